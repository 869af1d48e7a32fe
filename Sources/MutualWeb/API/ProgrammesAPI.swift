import Foundation
import Hummingbird
import MutualStore

/// `/api/v1/programmes`: programmes with objectives and KPIs, and enrolment.
struct ProgrammesAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.member(.get, "/api/v1/programmes", role: .participant, list)
        routes.member(.post, "/api/v1/programmes", role: .programmeManager, create)
        routes.member(.get, "/api/v1/programmes/:id", role: .participant, get)
        routes.member(.put, "/api/v1/programmes/:id", role: .programmeManager, replace)
        routes.member(.get, "/api/v1/programmes/:id/enrolments", role: .programmeManager, enrolments)
        routes.member(.post, "/api/v1/programmes/:id/enrolments", role: .programmeManager, enrolPeople)
        routes.member(.post, "/api/v1/programmes/:id/enrolments/import", role: .programmeManager, enrolFile)
        routes.member(.post, "/api/v1/programmes/:id/enrolments/remove", role: .programmeManager, remove)
        routes.member(.post, "/api/v1/programmes/:id/enrol", role: .participant, enrolSelf)
        routes.member(.delete, "/api/v1/programmes/:id/enrol", role: .participant, withdrawSelf)
        routes.member(.get, "/api/v1/programmes/:id/runs", role: .programmeManager, listRuns)
        routes.member(.post, "/api/v1/programmes/:id/runs", role: .programmeManager, startRun)
        routes.member(.get, "/api/v1/runs/:id", role: .programmeManager, getRun)
        routes.member(.post, "/api/v1/runs/:id/publish", role: .programmeManager, publishRun)
        routes.member(.get, "/api/v1/programmes/:id/matches", role: .programmeManager, publishedMatches)
        routes.member(.get, "/api/v1/matches", role: .participant, myMatches)
        routes.member(.post, "/api/v1/matches/:id/respond", role: .participant, respond)
    }

    // MARK: Shapes

    struct KPIBody: Codable {
        let name: String
        let comparison: KPI.Comparison
        let target: Double
        let unit: String?
    }
    struct ObjectiveBody: Codable {
        let goal: String
        let kpis: [KPIBody]
    }
    /// The programme as the API writes it and reads it back.
    struct ProgrammeRequest: Decodable {
        let name: String
        let description: String?
        let model: ProgrammeModel
        let structure: ProgrammeStructure?
        let cadence: String?
        let agendaTemplate: String?
        let cycleStart: String
        let cycleEnd: String
        let enrolmentOpens: String?
        let enrolmentCloses: String?
        let capacity: Int?
        let selfEnrolment: Bool?
        let selfMatch: Bool?
        let requiredFields: [ProfileField]?
        let questions: [String]?
        let objectives: [ObjectiveBody]?
        enum CodingKeys: String, CodingKey {
            case name, description, model, structure, cadence, capacity, objectives, questions
            case agendaTemplate = "agenda_template", cycleStart = "cycle_start", cycleEnd = "cycle_end"
            case enrolmentOpens = "enrolment_opens", enrolmentCloses = "enrolment_closes", selfEnrolment = "self_enrolment"
            case selfMatch = "self_match", requiredFields = "required_fields"
        }
        static let keys: Set<String> = [
            "name", "description", "model", "structure", "cadence", "agenda_template", "cycle_start", "cycle_end", "enrolment_opens",
            "enrolment_closes", "capacity", "self_enrolment", "self_match", "required_fields", "questions", "objectives",
        ]

        var draft: ProgrammeDraft {
            ProgrammeDraft(
                name: name, description: description ?? "", model: model, structure: structure ?? .informal, cadence: cadence ?? "",
                agendaTemplate: agendaTemplate ?? "", cycleStart: cycleStart, cycleEnd: cycleEnd, enrolmentOpens: enrolmentOpens ?? "",
                enrolmentCloses: enrolmentCloses ?? "", capacity: capacity ?? 1, selfEnrolment: selfEnrolment ?? false,
                selfMatch: selfMatch ?? false, requiredFields: requiredFields ?? [.strengths, .wants], questions: questions ?? [])
        }
        var objectiveDrafts: [ObjectiveDraft] {
            (objectives ?? []).map { objective in
                ObjectiveDraft(
                    goal: objective.goal,
                    kpis: objective.kpis.map { KPI(name: $0.name, comparison: $0.comparison, target: $0.target, unit: $0.unit ?? "") })
            }
        }
    }
    struct ProgrammeBody: Encodable {
        let id: UUID, name: String, description: String, model: ProgrammeModel, structure: ProgrammeStructure, cadence: String
        let agendaTemplate: String, cycleStart: String, cycleEnd: String, enrolmentOpens: String, enrolmentCloses: String
        let capacity: Int, selfEnrolment: Bool, selfMatch: Bool, requiredFields: [ProfileField], questions: [String], objectives: [ObjectiveBody]
        let enrolled: Int, viewerEnrolled: Bool, enrolmentOpen: Bool
        enum CodingKeys: String, CodingKey {
            case id, name, description, model, structure, cadence, capacity, objectives, enrolled, questions
            case agendaTemplate = "agenda_template", cycleStart = "cycle_start", cycleEnd = "cycle_end"
            case enrolmentOpens = "enrolment_opens", enrolmentCloses = "enrolment_closes", selfEnrolment = "self_enrolment"
            case selfMatch = "self_match", requiredFields = "required_fields", viewerEnrolled = "viewer_enrolled", enrolmentOpen = "enrolment_open"
        }
        init(_ detail: ProgrammeDetail) {
            let d = detail.draft
            id = detail.id; name = d.name; description = d.description; model = d.model; structure = d.structure; cadence = d.cadence
            agendaTemplate = d.agendaTemplate; cycleStart = d.cycleStart; cycleEnd = d.cycleEnd; enrolmentOpens = d.enrolmentOpens
            enrolmentCloses = d.enrolmentCloses; capacity = d.capacity; selfEnrolment = d.selfEnrolment; selfMatch = d.selfMatch
            requiredFields = d.requiredFields
            questions = d.questions
            objectives = detail.objectives.map { objective in
                ObjectiveBody(goal: objective.goal, kpis: objective.kpis.map { KPIBody(name: $0.name, comparison: $0.comparison, target: $0.target, unit: $0.unit) })
            }
            enrolled = detail.enrolled; viewerEnrolled = detail.viewerEnrolled; enrolmentOpen = detail.enrolmentOpen
        }
    }
    struct SummaryBody: Encodable {
        let id: UUID, name: String, model: ProgrammeModel, cycleStart: String, cycleEnd: String, enrolled: Int
        let viewerEnrolled: Bool, enrolmentOpen: Bool
        enum CodingKeys: String, CodingKey {
            case id, name, model, enrolled
            case cycleStart = "cycle_start", cycleEnd = "cycle_end", viewerEnrolled = "viewer_enrolled", enrolmentOpen = "enrolment_open"
        }
    }
    struct EnrolmentBody: Encodable {
        let personID: UUID, externalID: String, name: String, department: String, role: EnrolmentRole, goals: String
        let source: EnrolmentSource, ready: Bool, missing: [ProfileField], answers: [QuestionAnswer]
        enum CodingKeys: String, CodingKey {
            case name, department, role, goals, source, ready, missing, answers
            case personID = "person_id", externalID = "external_id"
        }
    }
    struct EnrolRequest: Decodable {
        let personIDs: [UUID]
        let role: EnrolmentRole?
        enum CodingKeys: String, CodingKey { case role, personIDs = "person_ids" }
    }
    struct RemoveRequest: Decodable {
        let personID: UUID
        enum CodingKeys: String, CodingKey { case personID = "person_id" }
    }
    struct SelfEnrolRequest: Decodable {
        let role: EnrolmentRole?
        let goals: String?
        let answers: [String]?
    }
    struct EnrolOutcomeBody: Encodable {
        let added: Int, alreadyEnrolled: Int
        enum CodingKeys: String, CodingKey { case added, alreadyEnrolled = "already_enrolled" }
    }
    struct FileReportBody: Encodable {
        struct Problem: Encodable { let line: Int; let reason: String }
        let added: Int, alreadyEnrolled: Int, problems: [Problem]
        enum CodingKeys: String, CodingKey { case added, problems, alreadyEnrolled = "already_enrolled" }
    }

    struct RunRequest: Decodable { let seed: Int? }

    /// A run; `result` is the engine's output (the same JSON as `mutual match`) once done.
    static func runObject(_ run: MatchRunSummary, now: Date, includeResult: Bool) -> [String: Any] {
        let iso = Date.ISO8601FormatStyle()
        var object: [String: Any] = [
            "id": run.id.uuidString, "programme_id": run.programmeID.uuidString,
            "status": run.status.rawValue, "model": run.model.rawValue, "seed": run.seed,
            "participants": run.participants, "matched": run.matched, "total_weight": run.totalWeight, "upper_bound": run.upperBound,
            "optimality": run.optimality?.rawValue ?? "", "gap_percent": run.gapPercent, "failure": run.failure, "progress": run.progress,
            "created_at": run.createdAt.formatted(iso),
        ]
        if let finished = run.finishedAt { object["finished_at"] = finished.formatted(iso) }
        if includeResult, let result = try? JSONSerialization.jsonObject(with: Data(run.resultJSON.utf8)) { object["result"] = result }
        return object
    }

    static func jsonResponse(_ object: Any, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    // MARK: Handlers

    @Sendable func listRuns(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let runs = try await store.matchRuns(of: id, by: context.identity)
        let now = store.clock.now
        return try Self.jsonResponse(["items": runs.map { Self.runObject($0, now: now, includeResult: false) }])
    }

    @Sendable func startRun(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let body = try await JSONBody.decode(RunRequest.self, from: request, context: context, allowedKeys: ["seed"])
        let run = try await store.matchRunner.start(programmeID: id, seed: body.seed ?? 1, by: context.identity)
        return try Self.jsonResponse(Self.runObject(run, now: store.clock.now, includeResult: false), status: .accepted)
    }

    struct RespondRequest: Decodable { let accept: Bool; let reason: String? }

    @Sendable func publishRun(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match run")
        let count = try await store.publishMatchRun(id: id, by: context.identity)
        return try Self.jsonResponse(["published": count])
    }

    @Sendable func publishedMatches(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let summary = try await store.publishedMatches(in: id, by: context.identity)
        return try Self.jsonResponse([
            "pending": summary.pending, "accepted": summary.accepted, "declined": summary.declined,
            "decline_reasons": summary.declineReasons, "match_ids": summary.matchIDs.map(\.uuidString),
        ] as [String: Any])
    }

    @Sendable func myMatches(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let items = try await store.myMatches(of: context.identity).map { match -> [String: Any] in
            [
                "id": match.id.uuidString, "programme": match.programmeName, "score": match.score, "reasons": match.reasons,
                "status": match.status.rawValue, "my_response": match.myResponse.rawValue,
                "relationship_id": match.relationshipID?.uuidString ?? NSNull(),
                "partners": match.partners.map { ["name": $0.name, "department": $0.department, "response": $0.response.rawValue] },
            ]
        }
        return try Self.jsonResponse(["items": items])
    }

    @Sendable func respond(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match")
        // Someone outside the match gets 404 before their body is even read.
        try await store.matchMembership(id, of: context.identity)
        let body = try await JSONBody.decode(RespondRequest.self, from: request, context: context, allowedKeys: ["accept", "reason"])
        try await store.respond(toMatch: id, accept: body.accept, reason: body.reason ?? "", by: context.identity)
        return Response(status: .noContent)
    }

    @Sendable func getRun(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match run")
        return try Self.jsonResponse(Self.runObject(try await store.matchRun(id: id, of: context.identity), now: store.clock.now, includeResult: true))
    }

    @Sendable func list(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let items = try await store.programmes(of: context.identity).map {
            SummaryBody(
                id: $0.id, name: $0.name, model: $0.model, cycleStart: $0.cycleStart, cycleEnd: $0.cycleEnd, enrolled: $0.enrolled,
                viewerEnrolled: $0.viewerEnrolled, enrolmentOpen: $0.enrolmentOpen)
        }
        return try JSONBody.response(PeopleAPI.ListBody(items: items))
    }

    @Sendable func create(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let body = try await JSONBody.decode(ProgrammeRequest.self, from: request, context: context, allowedKeys: ProgrammeRequest.keys)
        let detail = try await store.createProgramme(body.draft, objectives: body.objectiveDrafts, by: context.identity)
        return try JSONBody.response(ProgrammeBody(detail), status: .created)
    }

    @Sendable func get(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        return try JSONBody.response(ProgrammeBody(try await store.programme(id: id, of: context.identity)))
    }

    @Sendable func replace(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let body = try await JSONBody.decode(ProgrammeRequest.self, from: request, context: context, allowedKeys: ProgrammeRequest.keys)
        let detail = try await store.updateProgramme(id: id, body.draft, objectives: body.objectiveDrafts, by: context.identity)
        return try JSONBody.response(ProgrammeBody(detail))
    }

    @Sendable func enrolments(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let items = try await store.enrolments(in: id, by: context.identity).map {
            EnrolmentBody(
                personID: $0.personID, externalID: $0.externalID, name: $0.name, department: $0.department, role: $0.role, goals: $0.goals,
                source: $0.source, ready: $0.isReady, missing: $0.missing, answers: $0.answers)
        }
        return try JSONBody.response(PeopleAPI.ListBody(items: items))
    }

    @Sendable func enrolPeople(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let body = try await JSONBody.decode(EnrolRequest.self, from: request, context: context, allowedKeys: ["person_ids", "role"])
        let outcome = try await store.enrol(personIDs: body.personIDs, role: body.role, in: id, by: context.identity)
        return try JSONBody.response(EnrolOutcomeBody(added: outcome.added, alreadyEnrolled: outcome.alreadyEnrolled))
    }

    @Sendable func enrolFile(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        guard (request.headers[.contentType] ?? "").lowercased().hasPrefix("text/csv") else {
            throw APIProblem(
                status: .unsupportedMediaType, title: "Send CSV",
                detail: "Send the file as the body with Content-Type: text/csv: a header with id (and optionally role and goals), one person per line.")
        }
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let report = try await store.enrol(csv: String(buffer: body), in: id, by: context.identity)
        let result = FileReportBody(
            added: report.added, alreadyEnrolled: report.alreadyEnrolled, problems: report.problems.map { .init(line: $0.line, reason: $0.reason) })
        return try JSONBody.response(result, status: report.problems.isEmpty ? .ok : .unprocessableContent)
    }

    @Sendable func remove(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let body = try await JSONBody.decode(RemoveRequest.self, from: request, context: context, allowedKeys: ["person_id"])
        try await store.withdraw(personID: body.personID, from: id, by: context.identity)
        return Response(status: .noContent)
    }

    @Sendable func enrolSelf(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let body = try await JSONBody.decode(SelfEnrolRequest.self, from: request, context: context, allowedKeys: ["role", "goals", "answers"])
        try await store.enrolSelf(in: id, role: body.role, goals: body.goals ?? "", answers: body.answers ?? [], by: context.identity)
        return try JSONBody.response(ProgrammeBody(try await store.programme(id: id, of: context.identity)), status: .created)
    }

    @Sendable func withdrawSelf(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        try await store.withdraw(personID: context.identity.personID, from: id, by: context.identity)
        return Response(status: .noContent)
    }
}
