import Foundation
import Hummingbird
import MutualStore

/// `/api/v1`: the current member, members, invitations and API tokens. Every route takes an
/// `Authorization: Bearer` token; every query is scoped to the token's organisation.
///
/// Tokens are listed and revoked here but never made: a token that could mint tokens could
/// outlive its own expiry or revocation (and widen its own scope), so new tokens come only
/// from the tokens page, in a signed-in browser session (`MemberPages`).
struct AccountsAPI: Sendable {
    let store: Store
    let baseURL: String

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/me", role: .participant, me)
        routes.api(.get, "/api/v1/members", role: .programmeManager, listMembers)
        routes.api(.get, "/api/v1/members/:id", role: .programmeManager, getMember)
        routes.api(.patch, "/api/v1/members/:id", role: .admin, reads: RoleUpdate.self, updateMember)
        routes.api(.post, "/api/v1/members/:id/password-reset", role: .admin, status: .accepted, sendPasswordReset)
        routes.api(.get, "/api/v1/invitations", role: .admin, listInvitations)
        routes.api(.post, "/api/v1/invitations", role: .admin, reads: InvitationRequest.self, status: .created, createInvitation)
        routes.api(.delete, "/api/v1/invitations/:id", role: .admin, revokeInvitation)
        routes.api(.get, "/api/v1/tokens", role: .participant, listTokens)
        routes.api(.delete, "/api/v1/tokens/:id", role: .participant, revokeToken)
    }

    // MARK: Shapes

    struct MeBody: APIBody {
        let id: UUID, name: String, email: String, role: Role, organisation: OrganisationBody
        static var example: MeBody {
            MeBody(id: UUID(), name: "Ana Silva", email: "ana@example.org", role: .participant, organisation: .example)
        }
    }
    struct OrganisationBody: APIBody {
        let id: UUID, name: String
        static var example: OrganisationBody { OrganisationBody(id: UUID(), name: "Acme") }
    }
    struct MemberBody: APIBody {
        let id: UUID, name: String, email: String, role: Role, department: String
        let joinedAt: Date, lastSignInAt: Date?
        static var example: MemberBody {
            MemberBody(
                id: UUID(), name: "Ana Silva", email: "ana@example.org", role: .participant, department: "Data", joinedAt: Date(),
                lastSignInAt: Date())
        }
    }
    struct RoleUpdate: APIBody {
        let role: Role
        static var example: RoleUpdate { RoleUpdate(role: .admin) }
    }
    /// A password reset link sent to a member: to which address, and until when it works.
    struct PasswordResetBody: APIBody {
        let memberId: UUID, email: String, expiresAt: Date
        static var example: PasswordResetBody { PasswordResetBody(memberId: UUID(), email: "ana@example.org", expiresAt: Date()) }
    }
    struct InvitationRequest: APIBody {
        let email: String
        let role: Role?
        static var example: InvitationRequest { InvitationRequest(email: "ana@example.org", role: .participant) }
    }
    struct InvitationBody: APIBody {
        let id: UUID, email: String, role: Role, status: InvitationStatus
        let createdAt: Date, expiresAt: Date
        static var example: InvitationBody {
            InvitationBody(
                id: UUID(), email: "ana@example.org", role: .participant, status: .pending, createdAt: Date(), expiresAt: Date())
        }
    }
    /// A token as its owner sees it; the secret is shown once, on the page that made it, never here.
    struct TokenBody: APIBody {
        let id: UUID, name: String, prefix: String, scope: APITokenScope, createdAt: Date, expiresAt: Date?, expired: Bool
        let lastUsedAt: Date?
        static var example: TokenBody {
            TokenBody(
                id: UUID(), name: "reporting", prefix: "mut_abc", scope: .read, createdAt: Date(), expiresAt: Date(), expired: false,
                lastUsedAt: Date())
        }
    }

    // MARK: Handlers

    @Sendable func me(_ request: Request, _ context: SignedInContext) async throws -> MeBody {
        let identity = context.identity
        return MeBody(
            id: identity.accountID, name: identity.name, email: identity.email, role: identity.role,
            organisation: OrganisationBody(id: identity.organisationID, name: identity.organisationName))
    }

    @Sendable func listMembers(_ request: Request, _ context: SignedInContext) async throws -> ItemList<MemberBody> {
        ItemList(items: try await store.members(of: context.identity).map(MemberBody.init))
    }

    @Sendable func getMember(_ request: Request, _ context: SignedInContext) async throws -> MemberBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "member")
        return MemberBody(try await store.member(id: id, of: context.identity))
    }

    @Sendable func updateMember(_ request: Request, _ context: SignedInContext, _ input: APIInput<RoleUpdate>) async throws -> MemberBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "member")
        _ = try await store.member(id: id, of: context.identity)
        let update = try await input.read()
        return MemberBody(try await store.changeRole(ofMember: id, to: update.role, by: context.identity))
    }

    /// Sends the member the same single-use reset link as "Forgot your password?"; the link
    /// itself is never in the answer.
    @Sendable func sendPasswordReset(_ request: Request, _ context: SignedInContext) async throws -> PasswordResetBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "member")
        let member = try await store.sendPasswordReset(
            toMember: id, by: context.identity, resetURL: PasswordResetPages.resetURL(baseURL: baseURL))
        return PasswordResetBody(
            memberId: member.id, email: member.email, expiresAt: store.clock.now.addingTimeInterval(Store.passwordResetLifetime))
    }

    /// The invitation without its link: the link goes only by email to the invitee, so an admin
    /// cannot accept in someone else's name (and so learn whether the address has a login elsewhere).
    private func body(_ invitation: Invitation) throws -> InvitationBody {
        InvitationBody(
            id: try invitation.requireID(), email: invitation.email, role: invitation.role,
            status: invitation.status(at: store.clock.now), createdAt: invitation.createdAt,
            expiresAt: invitation.expiresAt)
    }

    @Sendable func listInvitations(_ request: Request, _ context: SignedInContext) async throws -> ItemList<InvitationBody> {
        ItemList(items: try await store.invitations(of: context.identity).map { try body($0) })
    }

    @Sendable func createInvitation(
        _ request: Request, _ context: SignedInContext, _ input: APIInput<InvitationRequest>
    ) async throws -> InvitationBody {
        let invitation = try await input.read()
        let issued = try await store.invite(email: invitation.email, role: invitation.role ?? .participant, by: context.identity) {
            "\(baseURL)/invitations/\($0)"
        }
        return try body(issued.invitation)
    }

    @Sendable func revokeInvitation(_ request: Request, _ context: SignedInContext) async throws -> InvitationBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "invitation")
        return try body(try await store.revokeInvitation(id: id, by: context.identity))
    }

    private func body(_ token: APIToken) throws -> TokenBody {
        TokenBody(
            id: try token.requireID(), name: token.name, prefix: token.prefix, scope: token.scope, createdAt: token.createdAt,
            expiresAt: token.expiresAt, expired: token.isExpired(at: store.clock.now), lastUsedAt: token.lastUsedAt)
    }

    @Sendable func listTokens(_ request: Request, _ context: SignedInContext) async throws -> ItemList<TokenBody> {
        ItemList(items: try await store.apiTokens(of: context.identity).map { try body($0) })
    }

    @Sendable func revokeToken(_ request: Request, _ context: SignedInContext) async throws -> NoContent {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "API token")
        try await store.revokeAPIToken(id: id, of: context.identity)
        return NoContent()
    }
}

extension AccountsAPI.MemberBody {
    init(_ member: Member) {
        self.init(
            id: member.id, name: member.name, email: member.email, role: member.role, department: member.department,
            joinedAt: member.joinedAt, lastSignInAt: member.lastSignInAt)
    }
}
