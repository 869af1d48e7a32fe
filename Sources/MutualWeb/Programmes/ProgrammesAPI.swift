import Foundation
import Hummingbird
import MutualStore

/// `/api/v1/programmes`: programmes with objectives and KPIs, and enrolment.
struct ProgrammesAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/programmes", role: .participant, list)
        routes.api(.post, "/api/v1/programmes", role: .programmeManager, reads: ProgrammeRequest.self, status: .created, create)
        routes.api(.get, "/api/v1/programmes/:id", role: .participant, get)
        routes.api(.put, "/api/v1/programmes/:id", role: .programmeManager, reads: ProgrammeRequest.self, replace)
        routes.api(.get, "/api/v1/programmes/:id/enrolments", role: .programmeManager, enrolments)
        routes.api(.post, "/api/v1/programmes/:id/enrolments", role: .programmeManager, reads: EnrolRequest.self, enrolPeople)
        routes.api(.post, "/api/v1/programmes/:id/enrolments/import", role: .programmeManager, enrolFile)
        routes.api(.post, "/api/v1/programmes/:id/enrolments/remove", role: .programmeManager, reads: RemoveRequest.self, remove)
        routes.api(.post, "/api/v1/programmes/:id/enrol", role: .participant, reads: SelfEnrolRequest.self, status: .created, enrolSelf)
        routes.api(.delete, "/api/v1/programmes/:id/enrol", role: .participant, withdrawSelf)
    }

    // MARK: Shapes

    struct KPIBody: APIBody {
        let name: String
        let comparison: KPI.Comparison
        let target: Double
        let unit: String?
        static var example: KPIBody { KPIBody(name: "retention", comparison: .atLeast, target: 80, unit: "%") }
    }
    struct ObjectiveBody: APIBody {
        let goal: String
        let kpis: [KPIBody]
        static var example: ObjectiveBody { ObjectiveBody(goal: "Keep new hires", kpis: [.example]) }
    }
    /// The programme as the API writes it and reads it back.
    struct ProgrammeRequest: APIBody {
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
        /// Left out, the programme's milestone templates stay as they are (Goals/).
        let milestoneTemplates: [MilestoneTemplateBody]?

        static var example: ProgrammeRequest {
            ProgrammeRequest(
                name: "Data mentoring", description: "Peers teach each other.", model: .pairs, structure: .informal, cadence: "fortnightly",
                agendaTemplate: "1. Check-in", cycleStart: "2027-01-04", cycleEnd: "2027-06-30", enrolmentOpens: "2026-12-01",
                enrolmentCloses: "2026-12-31", capacity: 1, selfEnrolment: true, selfMatch: false, requiredFields: [.strengths],
                questions: ["What do you want to learn?"], objectives: [.example], milestoneTemplates: [.example])
        }

        /// The pages drop the blank rows of the questions form; an API client that sends a blank
        /// question, or more than the limit, is told so instead of having them dropped silently.
        func checkQuestions() throws {
            let questions = questions ?? []
            if questions.count > Store.questionLimit {
                throw APIProblem(
                    status: .unprocessableContent, title: "Invalid value",
                    detail: "A programme asks at most \(Store.questionLimit) questions; \(questions.count) were sent.", field: "questions")
            }
            if let blank = questions.firstIndex(where: { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }) {
                throw APIProblem(
                    status: .unprocessableContent, title: "Invalid value",
                    detail: "Question \(blank + 1) is empty. Write the question, or leave it out.", field: "questions.[\(blank)]")
            }
        }

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
    struct ProgrammeBody: APIBody {
        let id: UUID, name: String, description: String, model: ProgrammeModel, structure: ProgrammeStructure, cadence: String
        let agendaTemplate: String, cycleStart: String, cycleEnd: String, enrolmentOpens: String, enrolmentCloses: String
        let capacity: Int, selfEnrolment: Bool, selfMatch: Bool, requiredFields: [ProfileField], questions: [String], objectives: [ObjectiveBody]
        let enrolled: Int, viewerEnrolled: Bool, enrolmentOpen: Bool
        let milestoneTemplates: [MilestoneTemplateBody]
        static var example: ProgrammeBody {
            let request = ProgrammeRequest.example
            return ProgrammeBody(
                id: UUID(), name: request.name, description: "", model: .pairs, structure: .informal, cadence: "", agendaTemplate: "",
                cycleStart: request.cycleStart, cycleEnd: request.cycleEnd, enrolmentOpens: "", enrolmentCloses: "", capacity: 1,
                selfEnrolment: true, selfMatch: false, requiredFields: [.strengths], questions: ["Why?"], objectives: [.example],
                enrolled: 12, viewerEnrolled: false, enrolmentOpen: true, milestoneTemplates: [.example])
        }
    }
    struct SummaryBody: APIBody {
        let id: UUID, name: String, model: ProgrammeModel, cycleStart: String, cycleEnd: String, enrolled: Int
        let viewerEnrolled: Bool, enrolmentOpen: Bool
        static var example: SummaryBody {
            SummaryBody(
                id: UUID(), name: "Data mentoring", model: .pairs, cycleStart: "2027-01-04", cycleEnd: "2027-06-30", enrolled: 12,
                viewerEnrolled: true, enrolmentOpen: true)
        }
    }
    struct AnswerBody: APIBody {
        let question: String
        let answer: String
        static var example: AnswerBody { AnswerBody(question: "What do you want to learn?", answer: "SQL") }
    }
    struct EnrolmentBody: APIBody {
        let personId: UUID, externalId: String, name: String, department: String, role: EnrolmentRole, goals: String
        let source: EnrolmentSource, ready: Bool, missing: [ProfileField], answers: [AnswerBody]
        static var example: EnrolmentBody {
            EnrolmentBody(
                personId: UUID(), externalId: "P0001", name: "Ana Silva", department: "Data", role: .peer, goals: "Learn SQL",
                source: .manager, ready: false, missing: [.wants], answers: [.example])
        }
    }
    /// A page of enrolments by name; `next` is the cursor of the following page (absent on the last).
    struct EnrolmentListBody: APIBody {
        let items: [EnrolmentBody]
        /// Enrolments matching `q` (all without it), and how many of them are ready to match.
        let total: Int
        let ready: Int
        let next: String?
        static var example: EnrolmentListBody { EnrolmentListBody(items: [.example], total: 120, ready: 97, next: "QW5h") }
    }
    struct EnrolRequest: APIBody {
        let personIds: [UUID]
        let role: EnrolmentRole?
        static var example: EnrolRequest { EnrolRequest(personIds: [UUID()], role: .peer) }
    }
    struct RemoveRequest: APIBody {
        let personId: UUID
        static var example: RemoveRequest { RemoveRequest(personId: UUID()) }
    }
    struct SelfEnrolRequest: APIBody {
        let role: EnrolmentRole?
        let goals: String?
        let answers: [String]?
        static var example: SelfEnrolRequest { SelfEnrolRequest(role: .peer, goals: "Learn SQL", answers: ["SQL"]) }
    }
    struct EnrolOutcomeBody: APIBody {
        let added: Int, alreadyEnrolled: Int
        static var example: EnrolOutcomeBody { EnrolOutcomeBody(added: 3, alreadyEnrolled: 1) }
    }
    struct FileProblemBody: APIBody {
        let line: Int
        let reason: String
        static var example: FileProblemBody { FileProblemBody(line: 2, reason: "no person has id P9999") }
    }
    /// What an enrolment file did; 422 when some line was refused.
    struct FileReportBody: APIBody {
        let added: Int, alreadyEnrolled: Int, problems: [FileProblemBody]
        var status: HTTPResponse.Status? { problems.isEmpty ? nil : .unprocessableContent }
        static var example: FileReportBody { FileReportBody(added: 3, alreadyEnrolled: 1, problems: [.example]) }
    }

    // MARK: Handlers

    @Sendable func list(_ request: Request, _ context: SignedInContext) async throws -> ItemList<SummaryBody> {
        let items = try await store.programmes(of: context.identity).map {
            SummaryBody(
                id: $0.id, name: $0.name, model: $0.model, cycleStart: $0.cycleStart, cycleEnd: $0.cycleEnd, enrolled: $0.enrolled,
                viewerEnrolled: $0.viewerEnrolled, enrolmentOpen: $0.enrolmentOpen)
        }
        return ItemList(items: items)
    }

    @Sendable func create(_ request: Request, _ context: SignedInContext, _ input: APIInput<ProgrammeRequest>) async throws -> ProgrammeBody {
        let body = try await input.read()
        try body.checkQuestions()
        return ProgrammeBody(
            try await store.createProgramme(body.draft, objectives: body.objectiveDrafts, milestoneTemplates: body.templateDrafts ?? [], by: context.identity))
    }

    @Sendable func get(_ request: Request, _ context: SignedInContext) async throws -> ProgrammeBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        return ProgrammeBody(try await store.programme(id: id, of: context.identity))
    }

    @Sendable func replace(_ request: Request, _ context: SignedInContext, _ input: APIInput<ProgrammeRequest>) async throws -> ProgrammeBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let body = try await input.read()
        try body.checkQuestions()
        return ProgrammeBody(
            try await store.updateProgramme(
                id: id, body.draft, objectives: body.objectiveDrafts, milestoneTemplates: body.templateDrafts, by: context.identity))
    }

    /// `q` (part of a name), `limit` (1–500, 50) and `after` (the previous page's `next`).
    @Sendable func enrolments(_ request: Request, _ context: SignedInContext) async throws -> EnrolmentListBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let parameters = request.uri.queryParameters
        let page = try await store.enrolmentPage(
            in: id, text: try Paging.searchText(parameters.get("q")), after: try Paging.after(parameters.get("after")),
            limit: try Paging.limit(parameters.get("limit"), default: 50, range: 1...500), by: context.identity)
        let items = page.lines.map {
            EnrolmentBody(
                personId: $0.personID, externalId: $0.externalID, name: $0.name, department: $0.department, role: $0.role, goals: $0.goals,
                source: $0.source, ready: $0.isReady, missing: $0.missing,
                answers: $0.answers.map { AnswerBody(question: $0.question, answer: $0.answer) })
        }
        return EnrolmentListBody(items: items, total: page.total, ready: page.ready, next: page.next)
    }

    @Sendable func enrolPeople(_ request: Request, _ context: SignedInContext, _ input: APIInput<EnrolRequest>) async throws -> EnrolOutcomeBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let body = try await input.read()
        let outcome = try await store.enrol(personIDs: body.personIds, role: body.role, in: id, by: context.identity)
        return EnrolOutcomeBody(added: outcome.added, alreadyEnrolled: outcome.alreadyEnrolled)
    }

    @Sendable func enrolFile(_ request: Request, _ context: SignedInContext) async throws -> FileReportBody {
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
        return FileReportBody(
            added: report.added, alreadyEnrolled: report.alreadyEnrolled, problems: report.problems.map { .init(line: $0.line, reason: $0.reason) })
    }

    @Sendable func remove(_ request: Request, _ context: SignedInContext, _ input: APIInput<RemoveRequest>) async throws -> NoContent {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        try await store.withdraw(personID: try await input.read().personId, from: id, by: context.identity)
        return NoContent()
    }

    @Sendable func enrolSelf(_ request: Request, _ context: SignedInContext, _ input: APIInput<SelfEnrolRequest>) async throws -> ProgrammeBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let body = try await input.read()
        try await store.enrolSelf(in: id, role: body.role, goals: body.goals ?? "", answers: body.answers ?? [], by: context.identity)
        return ProgrammeBody(try await store.programme(id: id, of: context.identity))
    }

    @Sendable func withdrawSelf(_ request: Request, _ context: SignedInContext) async throws -> NoContent {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        do {
            try await store.withdraw(personID: context.identity.personID, from: id, by: context.identity)
        } catch StoreError.notFound(what: "enrolment") {
            // DELETE is idempotent: not being enrolled is the state asked for, so a retry (or a
            // withdrawal from a programme never joined) answers 204 as well. An unknown
            // programme is still a 404.
        }
        return NoContent()
    }
}

extension ProgrammesAPI.ProgrammeBody {
    init(_ detail: ProgrammeDetail) {
        let d = detail.draft
        self.init(
            id: detail.id, name: d.name, description: d.description, model: d.model, structure: d.structure, cadence: d.cadence,
            agendaTemplate: d.agendaTemplate, cycleStart: d.cycleStart, cycleEnd: d.cycleEnd, enrolmentOpens: d.enrolmentOpens,
            enrolmentCloses: d.enrolmentCloses, capacity: d.capacity, selfEnrolment: d.selfEnrolment, selfMatch: d.selfMatch,
            requiredFields: d.requiredFields, questions: d.questions,
            objectives: detail.objectives.map { objective in
                ProgrammesAPI.ObjectiveBody(
                    goal: objective.goal,
                    kpis: objective.kpis.map { ProgrammesAPI.KPIBody(name: $0.name, comparison: $0.comparison, target: $0.target, unit: $0.unit) })
            },
            enrolled: detail.enrolled, viewerEnrolled: detail.viewerEnrolled, enrolmentOpen: detail.enrolmentOpen,
            milestoneTemplates: detail.milestoneTemplates.map(MilestoneTemplateBody.init))
    }
}

extension ProgrammesAPI.ProgrammeRequest {
    var templateDrafts: [MilestoneTemplateDraft]? {
        milestoneTemplates?.map { MilestoneTemplateDraft(title: $0.title, dueAfter: $0.dueAfter, unit: $0.unit) }
    }
}
