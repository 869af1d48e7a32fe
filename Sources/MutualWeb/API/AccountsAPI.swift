import Foundation
import Hummingbird
import MutualStore

/// `/api/v1`: the current member, members, invitations and API tokens. Every route takes an
/// `Authorization: Bearer` token; every query is scoped to the token's organisation.
struct AccountsAPI: Sendable {
    let store: Store
    let baseURL: String

    func register(on routes: RouteTable) {
        routes.member(.get, "/api/v1/me", role: .participant, me)
        routes.member(.get, "/api/v1/members", role: .programmeManager, listMembers)
        routes.member(.get, "/api/v1/members/:id", role: .programmeManager, getMember)
        routes.member(.patch, "/api/v1/members/:id", role: .admin, updateMember)
        routes.member(.get, "/api/v1/invitations", role: .admin, listInvitations)
        routes.member(.post, "/api/v1/invitations", role: .admin, createInvitation)
        routes.member(.delete, "/api/v1/invitations/:id", role: .admin, revokeInvitation)
        routes.member(.get, "/api/v1/tokens", role: .participant, listTokens)
        routes.member(.post, "/api/v1/tokens", role: .participant, createToken)
        routes.member(.delete, "/api/v1/tokens/:id", role: .participant, revokeToken)
    }

    // MARK: Shapes

    struct MeBody: Encodable {
        let id: UUID, name: String, email: String, role: Role, organisation: OrganisationBody
    }
    struct OrganisationBody: Encodable { let id: UUID, name: String }
    struct MemberBody: Encodable {
        let id: UUID, name: String, email: String, role: Role, department: String
        let joinedAt: Date, lastSignInAt: Date?
        enum CodingKeys: String, CodingKey {
            case id, name, email, role, department
            case joinedAt = "joined_at", lastSignInAt = "last_sign_in_at"
        }
        init(_ member: Member) {
            id = member.id; name = member.name; email = member.email; role = member.role
            department = member.department; joinedAt = member.joinedAt; lastSignInAt = member.lastSignInAt
        }
    }
    struct ListBody<Item: Encodable>: Encodable { let items: [Item] }
    struct RoleUpdate: Decodable { let role: String }
    struct InvitationRequest: Decodable { let email: String; let role: String? }
    struct InvitationBody: Encodable {
        let id: UUID, email: String, role: Role, status: InvitationStatus
        let createdAt: Date, expiresAt: Date, acceptUrl: String?
        enum CodingKeys: String, CodingKey {
            case id, email, role, status
            case createdAt = "created_at", expiresAt = "expires_at", acceptUrl = "accept_url"
        }
    }
    struct TokenRequest: Decodable { let name: String }
    struct TokenBody: Encodable {
        let id: UUID, name: String, prefix: String, createdAt: Date, lastUsedAt: Date?, token: String?
        enum CodingKeys: String, CodingKey {
            case id, name, prefix, token
            case createdAt = "created_at", lastUsedAt = "last_used_at"
        }
    }

    // MARK: Handlers

    @Sendable func me(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let identity = context.identity
        return try JSONBody.response(
            MeBody(
                id: identity.accountID, name: identity.name, email: identity.email, role: identity.role,
                organisation: OrganisationBody(id: identity.organisationID, name: identity.organisationName)))
    }

    @Sendable func listMembers(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try JSONBody.response(ListBody(items: try await store.members(of: context.identity).map(MemberBody.init)))
    }

    @Sendable func getMember(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "member")
        return try JSONBody.response(MemberBody(try await store.member(id: id, of: context.identity)))
    }

    @Sendable func updateMember(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "member")
        _ = try await store.member(id: id, of: context.identity)
        let update = try await JSONBody.decode(RoleUpdate.self, from: request, context: context, allowedKeys: ["role"])
        guard let role = Role(parsing: update.role) else {
            throw APIProblem(status: .unprocessableContent, title: "Invalid value", detail: "role must be one of participant, programme_manager, admin.", field: "role")
        }
        return try JSONBody.response(MemberBody(try await store.changeRole(ofMember: id, to: role, by: context.identity)))
    }

    private func body(_ invitation: Invitation, token: String? = nil) throws -> InvitationBody {
        InvitationBody(
            id: try invitation.requireID(), email: invitation.email, role: invitation.role,
            status: invitation.status(at: store.clock.now), createdAt: invitation.createdAt,
            expiresAt: invitation.expiresAt, acceptUrl: token.map { "\(baseURL)/invitations/\($0)" })
    }

    @Sendable func listInvitations(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try JSONBody.response(ListBody(items: try await store.invitations(of: context.identity).map { try body($0) }))
    }

    @Sendable func createInvitation(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let input = try await JSONBody.decode(InvitationRequest.self, from: request, context: context, allowedKeys: ["email", "role"])
        let roleText = input.role ?? Role.participant.rawValue
        guard let role = Role(parsing: roleText) else {
            throw APIProblem(status: .unprocessableContent, title: "Invalid value", detail: "role must be one of participant, programme_manager, admin.", field: "role")
        }
        let issued = try await store.invite(email: input.email, role: role, by: context.identity) { "\(baseURL)/invitations/\($0)" }
        return try JSONBody.response(try body(issued.invitation, token: issued.token), status: .created)
    }

    @Sendable func revokeInvitation(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "invitation")
        return try JSONBody.response(try body(try await store.revokeInvitation(id: id, by: context.identity)))
    }

    private func body(_ token: APIToken, secret: String? = nil) throws -> TokenBody {
        TokenBody(
            id: try token.requireID(), name: token.name, prefix: token.prefix, createdAt: token.createdAt,
            lastUsedAt: token.lastUsedAt, token: secret)
    }

    @Sendable func listTokens(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try JSONBody.response(ListBody(items: try await store.apiTokens(of: context.identity).map { try body($0) }))
    }

    @Sendable func createToken(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let input = try await JSONBody.decode(TokenRequest.self, from: request, context: context, allowedKeys: ["name"])
        let issued = try await store.createAPIToken(named: input.name, for: context.identity)
        return try JSONBody.response(try body(issued.token, secret: issued.secret), status: .created)
    }

    @Sendable func revokeToken(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "API token")
        try await store.revokeAPIToken(id: id, of: context.identity)
        return Response(status: .noContent)
    }
}
