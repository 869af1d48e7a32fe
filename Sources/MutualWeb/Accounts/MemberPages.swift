import Foundation
import Hummingbird
import MutualStore

/// The dashboard and the admin's members-and-invitations page. (API tokens: `TokenPages`.)
struct MemberPages: Sendable {
    let store: Store
    let pages: PageRenderer
    let baseURL: String

    func register(on routes: RouteTable) {
        routes.member(.get, "/dashboard", role: .participant, dashboard)
        routes.member(.get, "/admin/members", role: .admin, showMembers)
        routes.member(.post, "/admin/members/invite", role: .admin, invite)
        routes.member(.post, "/admin/members/invite-all", role: .admin, inviteAll)
        routes.member(.post, "/admin/members/:id/role", role: .admin, changeRole)
        routes.member(.post, "/admin/members/:id/password-reset", role: .admin, sendPasswordReset)
        routes.member(.post, "/admin/invitations/:id/revoke", role: .admin, revokeInvitation)
    }

    // MARK: Dashboard

    struct DashboardPage {
        let page: PageChrome
        let firstName: String, roleWithArticle: String
        let peopleCount: Int, memberCount: Int, skillCount: Int
        let isAdmin: Bool
        /// Programme managers see how many relationships need attention, linking to the list.
        var isManager = false, attentionCount = 0
        /// Feedback requests the member has not answered yet (`FeedbackPages`).
        var feedbackToGive: [FeedbackPages.RequestLine] = []
        var hasFeedbackToGive = false
    }

    @Sendable func dashboard(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let summary = try await store.summary(of: context.identity)
        var page = DashboardPage(
            page: pages.chrome(title: "Dashboard", context: context, current: "dashboard"),
            firstName: context.identity.name.split(separator: " ").first.map(String.init) ?? context.identity.name,
            roleWithArticle: context.identity.role.withArticle, peopleCount: summary.people,
            memberCount: summary.members, skillCount: summary.skills, isAdmin: context.identity.role >= .admin)
        page.feedbackToGive = try await store.feedbackToGive(of: context.identity).prefix(5).map(FeedbackPages.line)
        page.hasFeedbackToGive = !page.feedbackToGive.isEmpty
        if context.identity.role >= .programmeManager {
            page.isManager = true
            page.attentionCount = try await store.needsAttention(of: context.identity).count
        }
        return try pages.render("dashboard", page)
    }

    // MARK: Members

    struct RoleOption { let value: String, label: String, selected: Bool }
    struct MemberRow { let id: String, name: String, email: String, roleLabel: String, roleOptions: [RoleOption] }
    struct InvitationRow { let id: String, email: String, roleLabel: String, status: String, expires: String, pending: Bool }
    struct MembersPage {
        let page: PageChrome
        let members: [MemberRow]
        let memberCount: Int
        let invitations: [InvitationRow]
        let hasInvitations: Bool
        let roles: [RoleOption]
        var status = "", error = "", inviteEmail = ""
        /// Who in the directory can sign in (`AccessSection`).
        var access: AccessSection
        /// The bulk invitation form's values, kept after an error.
        var bulk = BulkForm()
    }

    struct BulkForm { var department = "", level = "", location = "", skill = "", people = "" }

    static func roleOptions(selected: Role) -> [RoleOption] {
        Role.allCases.map { RoleOption(value: $0.rawValue, label: $0.label, selected: $0 == selected) }
    }

    private func membersPage(
        _ context: SignedInContext, status: String = "", error: String = "", inviteEmail: String = "",
        inviteRole: Role = .participant, query: AccessSection.Query = AccessSection.Query()
    ) async throws -> MembersPage {
        let members = try await store.members(of: context.identity)
        // Invitations of directory people are shown (and withdrawn) under Who can sign in; this
        // list keeps the rest, newest first, at most 100.
        let invitations = Array(try await store.invitations(of: context.identity).filter { $0.personID == nil }.prefix(100))
        let now = store.clock.now
        var model = MembersPage(
            page: pages.chrome(title: "Members", context: context, current: "members"),
            members: members.map {
                MemberRow(
                    id: $0.id.uuidString, name: $0.name, email: $0.email, roleLabel: $0.role.label,
                    roleOptions: Self.roleOptions(selected: $0.role))
            },
            memberCount: members.count,
            invitations: invitations.map {
                let status = $0.status(at: now)
                return InvitationRow(
                    id: $0.id?.uuidString ?? "", email: $0.email, roleLabel: $0.role.label, status: status.rawValue.capitalized,
                    expires: Self.dateFormatter.string(from: $0.expiresAt), pending: status == .pending)
            },
            hasInvitations: !invitations.isEmpty,
            roles: Self.roleOptions(selected: inviteRole),
            access: try await AccessSection.make(store: store, query: query, identity: context.identity))
        model.status = status
        model.error = error
        model.inviteEmail = inviteEmail
        return model
    }

    @Sendable func showMembers(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let query = try AccessSection.Query(request)
        do {
            return try pages.render("members", try await membersPage(context, query: query))
        } catch let error as StoreError {
            // A stale or edited cursor: the first page, with what was wrong.
            guard case .invalid = error else { throw error }
            return try pages.render(
                "members", try await membersPage(context, error: error.errorDescription ?? "", query: AccessSection.Query(status: query.status)),
                status: .unprocessableContent)
        }
    }

    /// "Invite everyone without an account": the filtered directory, one invitation each,
    /// through the durable email (``Store/inviteInBulk(_:role:by:acceptURL:)``).
    @Sendable func inviteAll(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let form = BulkForm(
            department: context.form["department"] ?? "", level: context.form["level"] ?? "", location: context.form["location"] ?? "",
            skill: context.form["skill"] ?? "", people: context.form["people"] ?? "")
        do {
            let audience = InvitationAudience(
                department: form.department, level: try LaunchesAPI.level(form.level), location: form.location, skill: form.skill, pastedList: form.people)
            let baseURL = self.baseURL
            let result = try await store.inviteInBulk(audience, by: context.identity) { "\(baseURL)/invitations/\($0)" }
            return try pages.render("members", try await membersPage(context, status: Self.words(result, audience: audience)))
        } catch let error as StoreError {
            guard case .invalid = error else { throw error }
            var model = try await membersPage(context, error: error.errorDescription ?? "")
            model.bulk = form
            return try pages.render("members", model, status: .unprocessableContent)
        }
    }

    /// What a bulk invitation did, in one sentence a person reads at a glance.
    static func words(_ result: BulkInvitationResult, audience: InvitationAudience) -> String {
        var parts = [
            result.invited == 1 ? "Invited 1 person (\(audience.summary))." : "Invited \(result.invited) people (\(audience.summary))."
        ]
        if result.invited > 0 { parts.append("Each gets the link by email now and a reminder in 7 days if they have not joined.") }
        var skipped: [String] = []
        if result.alreadyInvited > 0 { skipped.append("\(result.alreadyInvited) already had a pending invitation") }
        if result.alreadyMembers > 0 { skipped.append("\(result.alreadyMembers) already have an account") }
        if result.withoutEmail > 0 { skipped.append("\(result.withoutEmail) have no email address in the directory") }
        if !skipped.isEmpty { parts.append("Not invited: " + skipped.joined(separator: ", ") + ".") }
        if !result.unknownEntries.isEmpty {
            let shown = result.unknownEntries.prefix(10).joined(separator: ", ")
            let more = result.unknownEntries.count > 10 ? " and \(result.unknownEntries.count - 10) more" : ""
            parts.append("Not in the directory: \(shown)\(more).")
        }
        parts += result.notes
        return parts.joined(separator: " ")
    }

    @Sendable func invite(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let email = context.form["email"] ?? ""
        guard let role = Role(parsing: context.form["role"] ?? "") else {
            return try pages.render(
                "members", try await membersPage(context, error: "Choose a role for the invitation.", inviteEmail: email),
                status: .unprocessableContent)
        }
        do {
            let issued = try await store.invite(email: email, role: role, by: context.identity, acceptURL: acceptURL)
            // The link goes only to the invitee's mailbox, never onto this page (see AccountsAPI.body).
            return try pages.render(
                "members", try await membersPage(context, status: "We emailed an invitation to \(issued.invitation.email)."))
        } catch let error as StoreError {
            return try pages.render(
                "members",
                try await membersPage(context, error: error.errorDescription ?? "\(error)", inviteEmail: email, inviteRole: role),
                status: APIProblem(error).status)
        }
    }

    @Sendable func changeRole(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try Self.uuid(context.parameters.get("id"), what: "member")
        guard let role = Role(parsing: context.form["role"] ?? "") else {
            throw StoreError.invalid(field: "role", message: "Choose one of the roles participant, programme manager or admin.")
        }
        do {
            let member = try await store.changeRole(ofMember: id, to: role, by: context.identity)
            return try pages.render("members", try await membersPage(context, status: "\(member.name) is now \(member.role.withArticle)."))
        } catch let error as StoreError {
            guard case .conflict = error else { throw error }
            return try pages.render("members", try await membersPage(context, error: error.errorDescription ?? ""), status: .conflict)
        }
    }

    /// "Send a password reset link": the member gets the same single-use link as "Forgot your
    /// password?" sends; the admin never sees it.
    @Sendable func sendPasswordReset(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try Self.uuid(context.parameters.get("id"), what: "member")
        let member = try await store.sendPasswordReset(
            toMember: id, by: context.identity, resetURL: PasswordResetPages.resetURL(baseURL: baseURL))
        return try pages.render(
            "members",
            try await membersPage(
                context, status: "A password reset link was sent to \(member.email). It works once, for 1 hour."))
    }

    @Sendable func revokeInvitation(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try Self.uuid(context.parameters.get("id"), what: "invitation")
        let invitation = try await store.revokeInvitation(id: id, by: context.identity)
        return try pages.render("members", try await membersPage(context, status: "The invitation for \(invitation.email) was withdrawn."))
    }

    // MARK: Helpers

    func acceptURL(_ token: String) -> String { "\(baseURL)/invitations/\(token)" }

    /// A malformed id can never name anything, so it is "not found" rather than a crash.
    static func uuid(_ text: String?, what: String) throws -> UUID {
        guard let text, let id = UUID(uuidString: text) else { throw StoreError.notFound(what: what) }
        return id
    }

    static let dateFormatter = UTCDateFormatter.make("d MMM yyyy, HH:mm 'UTC'")
    static let dayFormatter = UTCDateFormatter.make("d MMM yyyy")
}
