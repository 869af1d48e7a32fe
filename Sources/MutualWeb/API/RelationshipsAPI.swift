import Foundation
import Hummingbird
import MutualStore

/// `/api/v1/relationships` (agreements, signatures, status) and self-match
/// (`/api/v1/programmes/:id/suggestions`, `/api/v1/requests`).
struct RelationshipsAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.member(.get, "/api/v1/relationships", role: .participant, mine)
        routes.member(.get, "/api/v1/relationships/:id", role: .participant, get)
        routes.member(.put, "/api/v1/relationships/:id/agreement", role: .participant, updateAgreement)
        routes.member(.post, "/api/v1/relationships/:id/sign", role: .participant, sign)
        routes.member(.post, "/api/v1/relationships/:id/status", role: .participant, changeStatus)
        routes.member(.get, "/api/v1/programmes/:id/relationships", role: .programmeManager, programmeRelationships)
        routes.member(.get, "/api/v1/programmes/:id/suggestions", role: .participant, suggestions)
        routes.member(.post, "/api/v1/programmes/:id/requests", role: .participant, sendRequest)
        routes.member(.get, "/api/v1/requests", role: .participant, requests)
        routes.member(.post, "/api/v1/requests/:id/respond", role: .participant, respond)
        routes.member(.post, "/api/v1/requests/:id/withdraw", role: .participant, withdraw)
    }

    // MARK: Shapes

    struct AgreementRequest: Decodable {
        let vision: String?
        let goals: String?
        let boundaries: String?
        let confidentiality: String?
        let cadence: String?
        let structure: ProgrammeStructure?
    }
    struct SignRequest: Decodable { let version: Int }
    struct StatusRequest: Decodable {
        let status: Relationship.Status
        let reason: String?
    }
    struct SendRequest: Decodable {
        let personID: UUID
        let message: String?
        enum CodingKeys: String, CodingKey {
            case personID = "person_id", message
        }
    }
    struct AnswerRequest: Decodable { let accept: Bool }

    static func object(_ view: RelationshipView) -> [String: Any] {
        [
            "id": view.id.uuidString, "programme_id": view.programmeID.uuidString, "programme": view.programmeName,
            "status": view.status.rawValue, "started_at": ISO8601DateFormatter().string(from: view.startedAt),
            "ended_at": view.endedAt.map { ISO8601DateFormatter().string(from: $0) } ?? NSNull(), "end_reason": view.endReason,
            "teaching": view.teaching, "reasons": view.reasons, "signed": view.isSigned,
            "agreement": [
                "version": view.agreementVersion, "vision": view.vision, "boundaries": view.boundaries, "confidentiality": view.confidentiality,
                "cadence": view.cadence, "structure": view.structure.rawValue,
            ] as [String: Any],
            "members": view.members.map {
                ["person_id": $0.personID.uuidString, "name": $0.name, "department": $0.department, "goals": $0.goals, "signed": $0.signed] as [String: Any]
            },
        ]
    }

    static func summaryObject(_ summary: RelationshipSummary) -> [String: Any] {
        [
            "id": summary.id.uuidString, "programme": summary.programmeName, "members": summary.memberNames, "status": summary.status.rawValue,
            "signed": summary.isSigned,
        ]
    }

    // MARK: Relationships

    @Sendable func mine(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try ProgrammesAPI.jsonResponse(["items": try await store.myRelationships(of: context.identity).map(Self.summaryObject)])
    }

    @Sendable func get(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        return try ProgrammesAPI.jsonResponse(Self.object(try await store.relationship(id: id, of: context.identity)))
    }

    @Sendable func updateAgreement(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        let current = try await store.relationship(id: id, of: context.identity)
        let body = try await JSONBody.decode(
            AgreementRequest.self, from: request, context: context,
            allowedKeys: ["vision", "goals", "boundaries", "confidentiality", "cadence", "structure"])
        // A field left out keeps what the agreement says now.
        let draft = AgreementDraft(
            vision: body.vision ?? current.vision, goals: body.goals ?? current.members.first(where: \.isViewer)?.goals ?? "",
            boundaries: body.boundaries ?? current.boundaries, confidentiality: body.confidentiality ?? current.confidentiality,
            cadence: body.cadence ?? current.cadence, structure: body.structure ?? current.structure)
        try await store.updateAgreement(relationshipID: id, draft, by: context.identity)
        return try ProgrammesAPI.jsonResponse(Self.object(try await store.relationship(id: id, of: context.identity)))
    }

    @Sendable func sign(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        _ = try await store.relationship(id: id, of: context.identity)
        let body = try await JSONBody.decode(SignRequest.self, from: request, context: context, allowedKeys: ["version"])
        try await store.signAgreement(relationshipID: id, version: body.version, by: context.identity)
        return try ProgrammesAPI.jsonResponse(Self.object(try await store.relationship(id: id, of: context.identity)))
    }

    @Sendable func changeStatus(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        _ = try await store.relationship(id: id, of: context.identity)
        let body = try await JSONBody.decode(StatusRequest.self, from: request, context: context, allowedKeys: ["status", "reason"])
        try await store.changeRelationship(id: id, to: body.status, reason: body.reason ?? "", by: context.identity)
        return try ProgrammesAPI.jsonResponse(Self.object(try await store.relationship(id: id, of: context.identity)))
    }

    @Sendable func programmeRelationships(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        return try ProgrammesAPI.jsonResponse(["items": try await store.relationships(in: id, by: context.identity).map(Self.summaryObject)])
    }

    // MARK: Self-match

    @Sendable func suggestions(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let items = try await store.suggestedPeers(in: id, by: context.identity).map { suggestion -> [String: Any] in
            [
                "person_id": suggestion.personID.uuidString, "name": suggestion.name, "department": suggestion.department,
                "score": suggestion.score, "reasons": suggestion.reasons, "requested": suggestion.requested,
            ]
        }
        return try ProgrammesAPI.jsonResponse(["items": items])
    }

    @Sendable func sendRequest(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let body = try await JSONBody.decode(SendRequest.self, from: request, context: context, allowedKeys: ["person_id", "message"])
        let requestID = try await store.sendMatchRequest(in: id, to: body.personID, message: body.message ?? "", by: context.identity)
        return try ProgrammesAPI.jsonResponse(["id": requestID.uuidString, "status": MatchRequest.Status.pending.rawValue], status: .created)
    }

    @Sendable func requests(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let items = try await store.matchRequests(of: context.identity).map { view -> [String: Any] in
            [
                "id": view.id.uuidString, "programme_id": view.programmeID.uuidString, "programme": view.programmeName, "other": view.otherName,
                "incoming": view.incoming, "status": view.status.rawValue, "message": view.message,
                "created_at": ISO8601DateFormatter().string(from: view.createdAt),
            ]
        }
        return try ProgrammesAPI.jsonResponse(["items": items])
    }

    @Sendable func respond(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "request")
        try await store.requireMatchRequest(id, of: context.identity)
        let body = try await JSONBody.decode(AnswerRequest.self, from: request, context: context, allowedKeys: ["accept"])
        try await store.answerMatchRequest(id, accept: body.accept, by: context.identity)
        return Response(status: .noContent)
    }

    @Sendable func withdraw(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "request")
        try await store.withdrawMatchRequest(id, by: context.identity)
        return Response(status: .noContent)
    }
}
