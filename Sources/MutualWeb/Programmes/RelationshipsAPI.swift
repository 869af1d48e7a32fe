import Foundation
import Hummingbird
import MutualStore

/// `/api/v1/relationships` (agreements, signatures, status) and self-match
/// (`/api/v1/programmes/:id/suggestions`, `/api/v1/requests`).
struct RelationshipsAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/relationships", role: .participant, mine)
        routes.api(.get, "/api/v1/relationships/:id", role: .participant, get)
        routes.api(.put, "/api/v1/relationships/:id/agreement", role: .participant, reads: AgreementRequest.self, updateAgreement)
        routes.api(.post, "/api/v1/relationships/:id/sign", role: .participant, reads: SignRequest.self, sign)
        routes.api(.post, "/api/v1/relationships/:id/status", role: .participant, reads: StatusRequest.self, changeStatus)
        routes.api(.get, "/api/v1/programmes/:id/relationships", role: .programmeManager, programmeRelationships)
        routes.api(.get, "/api/v1/programmes/:id/suggestions", role: .participant, suggestions)
        routes.api(.post, "/api/v1/programmes/:id/requests", role: .participant, reads: SendRequest.self, status: .created, sendRequest)
        routes.api(.get, "/api/v1/requests", role: .participant, requests)
        routes.api(.post, "/api/v1/requests/:id/respond", role: .participant, reads: AnswerRequest.self, respond)
        routes.api(.post, "/api/v1/requests/:id/withdraw", role: .participant, withdraw)
    }

    // MARK: Shapes

    struct AgreementRequest: APIBody {
        let vision: String?
        let goals: String?
        let boundaries: String?
        let confidentiality: String?
        let cadence: String?
        let structure: ProgrammeStructure?
        /// How often the members meet, as a structured choice (a series of meetings follows it).
        let cadenceInterval: MeetingCadence.Interval?
        /// Days between meetings, for `custom` (1–90).
        let cadenceDays: Int?
        static var example: AgreementRequest {
            AgreementRequest(
                vision: "Both of us get better at teaching.", goals: "Learn SQL", boundaries: "No work on weekends",
                confidentiality: "What we say stays between us", cadence: "fortnightly", structure: .informal, cadenceInterval: .fortnightly,
                cadenceDays: 14)
        }
    }
    struct SignRequest: APIBody {
        let version: Int
        static var example: SignRequest { SignRequest(version: 2) }
    }
    struct StatusRequest: APIBody {
        let status: Relationship.Status
        let reason: String?
        static var example: StatusRequest { StatusRequest(status: .paused, reason: "Parental leave") }
    }
    struct SendRequest: APIBody {
        let personId: UUID
        let message: String?
        static var example: SendRequest { SendRequest(personId: UUID(), message: "Shall we swap SQL for budgeting?") }
    }
    struct AnswerRequest: APIBody {
        let accept: Bool
        static var example: AnswerRequest { AnswerRequest(accept: true) }
    }
    struct AgreementBody: APIBody {
        let version: Int, vision: String, boundaries: String, confidentiality: String, cadence: String, structure: ProgrammeStructure
        /// Absent until the members choose; `cadence_days` is set for `custom` only.
        let cadenceInterval: MeetingCadence.Interval?, cadenceDays: Int?
        static var example: AgreementBody {
            AgreementBody(
                version: 1, vision: "", boundaries: "", confidentiality: "", cadence: "fortnightly", structure: .informal, cadenceInterval: .custom,
                cadenceDays: 10)
        }
    }
    struct MemberBody: APIBody {
        let personId: UUID, name: String, department: String, goals: String, signed: Bool
        static var example: MemberBody { MemberBody(personId: UUID(), name: "Ana Silva", department: "Data", goals: "Learn SQL", signed: true) }
    }
    struct RelationshipBody: APIBody {
        let id: UUID, programmeId: UUID, programme: String, status: Relationship.Status, startedAt: Date, endedAt: Date?
        let endReason: String, teaching: [String], reasons: [String], signed: Bool, agreement: AgreementBody, members: [MemberBody]
        static var example: RelationshipBody {
            RelationshipBody(
                id: UUID(), programmeId: UUID(), programme: "Data mentoring", status: .active, startedAt: Date(), endedAt: Date(),
                endReason: "", teaching: ["Ana teaches SQL"], reasons: ["Both want to learn"], signed: false, agreement: .example,
                members: [.example])
        }
    }
    struct SummaryBody: APIBody {
        let id: UUID, programme: String, members: [String], status: Relationship.Status, signed: Bool
        static var example: SummaryBody {
            SummaryBody(id: UUID(), programme: "Data mentoring", members: ["Ana Silva"], status: .active, signed: true)
        }
    }
    /// A page of a programme's relationships: `next` is absent on the last page.
    struct RelationshipListBody: APIBody {
        let items: [SummaryBody], total: Int, next: String?
        static var example: RelationshipListBody {
            RelationshipListBody(items: [.example], total: 1, next: KeysetCursor(key: "", id: UUID()).encoded)
        }
    }
    struct SuggestionBody: APIBody {
        let personId: UUID, name: String, department: String, score: Int, reasons: [String], requested: Bool
        static var example: SuggestionBody {
            SuggestionBody(personId: UUID(), name: "Nikhil Andersen", department: "Finance", score: 64, reasons: ["You teach SQL"], requested: false)
        }
    }
    struct RequestCreatedBody: APIBody {
        let id: UUID, status: MatchRequest.Status
        static var example: RequestCreatedBody { RequestCreatedBody(id: UUID(), status: .pending) }
    }
    struct RequestBody: APIBody {
        let id: UUID, programmeId: UUID, programme: String, other: String, incoming: Bool, status: MatchRequest.Status
        let message: String, createdAt: Date
        static var example: RequestBody {
            RequestBody(
                id: UUID(), programmeId: UUID(), programme: "Data mentoring", other: "Nikhil Andersen", incoming: true, status: .pending,
                message: "Shall we?", createdAt: Date())
        }
    }

    static func body(_ view: RelationshipView) -> RelationshipBody {
        RelationshipBody(
            id: view.id, programmeId: view.programmeID, programme: view.programmeName, status: view.status, startedAt: view.startedAt,
            endedAt: view.endedAt, endReason: view.endReason, teaching: view.teaching, reasons: view.reasons, signed: view.isSigned,
            agreement: AgreementBody(
                version: view.agreementVersion, vision: view.vision, boundaries: view.boundaries, confidentiality: view.confidentiality,
                cadence: view.cadence, structure: view.structure, cadenceInterval: view.meetingCadence?.interval,
                cadenceDays: view.meetingCadence?.interval == .custom ? view.meetingCadence?.days : nil),
            members: view.members.map {
                MemberBody(personId: $0.personID, name: $0.name, department: $0.department, goals: $0.goals, signed: $0.signed)
            })
    }

    static func summary(_ summary: RelationshipSummary) -> SummaryBody {
        SummaryBody(id: summary.id, programme: summary.programmeName, members: summary.memberNames, status: summary.status, signed: summary.isSigned)
    }

    // MARK: Relationships

    @Sendable func mine(_ request: Request, _ context: SignedInContext) async throws -> ItemList<SummaryBody> {
        ItemList(items: try await store.myRelationships(of: context.identity).map(Self.summary))
    }

    @Sendable func get(_ request: Request, _ context: SignedInContext) async throws -> RelationshipBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        return Self.body(try await store.relationship(id: id, of: context.identity))
    }

    @Sendable func updateAgreement(
        _ request: Request, _ context: SignedInContext, _ input: APIInput<AgreementRequest>
    ) async throws -> RelationshipBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        let current = try await store.relationship(id: id, of: context.identity)
        let body = try await input.read()
        // A field left out keeps what the agreement says now.
        let draft = AgreementDraft(
            vision: body.vision ?? current.vision, goals: body.goals ?? current.members.first(where: \.isViewer)?.goals ?? "",
            boundaries: body.boundaries ?? current.boundaries, confidentiality: body.confidentiality ?? current.confidentiality,
            cadence: body.cadence ?? current.cadence, structure: body.structure ?? current.structure,
            meetingCadence: try body.cadenceInterval.map { interval in
                try RelationshipPages.cadence(interval: interval.rawValue, days: body.cadenceDays.map(String.init))
            } ?? nil)
        try await store.updateAgreement(relationshipID: id, draft, by: context.identity)
        return Self.body(try await store.relationship(id: id, of: context.identity))
    }

    @Sendable func sign(_ request: Request, _ context: SignedInContext, _ input: APIInput<SignRequest>) async throws -> RelationshipBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        _ = try await store.relationship(id: id, of: context.identity)
        try await store.signAgreement(relationshipID: id, version: try await input.read().version, by: context.identity)
        return Self.body(try await store.relationship(id: id, of: context.identity))
    }

    @Sendable func changeStatus(_ request: Request, _ context: SignedInContext, _ input: APIInput<StatusRequest>) async throws -> RelationshipBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        _ = try await store.relationship(id: id, of: context.identity)
        let body = try await input.read()
        try await store.changeRelationship(id: id, to: body.status, reason: body.reason ?? "", by: context.identity)
        return Self.body(try await store.relationship(id: id, of: context.identity))
    }

    /// `limit` (1–500, 100) and `after` (the previous page's `next`).
    @Sendable func programmeRelationships(_ request: Request, _ context: SignedInContext) async throws -> RelationshipListBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let parameters = request.uri.queryParameters
        let page = try await store.relationshipPage(
            in: id, after: try Paging.after(parameters.get("after")),
            limit: try Paging.limit(parameters.get("limit"), default: 100, range: 1...500), by: context.identity)
        return RelationshipListBody(items: page.relationships.map(Self.summary), total: page.total, next: page.next)
    }

    // MARK: Self-match

    @Sendable func suggestions(_ request: Request, _ context: SignedInContext) async throws -> ItemList<SuggestionBody> {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let items = try await store.suggestedPeers(in: id, by: context.identity).map {
            SuggestionBody(
                personId: $0.personID, name: $0.name, department: $0.department, score: $0.score, reasons: $0.reasons, requested: $0.requested)
        }
        return ItemList(items: items)
    }

    @Sendable func sendRequest(_ request: Request, _ context: SignedInContext, _ input: APIInput<SendRequest>) async throws -> RequestCreatedBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let body = try await input.read()
        let requestID = try await store.sendMatchRequest(in: id, to: body.personId, message: body.message ?? "", by: context.identity)
        return RequestCreatedBody(id: requestID, status: .pending)
    }

    @Sendable func requests(_ request: Request, _ context: SignedInContext) async throws -> ItemList<RequestBody> {
        let items = try await store.matchRequests(of: context.identity).map { view in
            RequestBody(
                id: view.id, programmeId: view.programmeID, programme: view.programmeName, other: view.otherName, incoming: view.incoming,
                status: view.status, message: view.message, createdAt: view.createdAt)
        }
        return ItemList(items: items)
    }

    @Sendable func respond(_ request: Request, _ context: SignedInContext, _ input: APIInput<AnswerRequest>) async throws -> NoContent {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "request")
        try await store.requireMatchRequest(id, of: context.identity)
        try await store.answerMatchRequest(id, accept: try await input.read().accept, by: context.identity)
        return NoContent()
    }

    @Sendable func withdraw(_ request: Request, _ context: SignedInContext) async throws -> NoContent {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "request")
        try await store.withdrawMatchRequest(id, by: context.identity)
        return NoContent()
    }
}
