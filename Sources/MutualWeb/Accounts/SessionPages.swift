import Foundation
import Hummingbird
import MutualStore

/// First-run setup, sign-in, choosing or switching organisation, sign-out and accepting an
/// invitation: the pages that make or end a session.
struct SessionPages: Sendable {
    let store: Store
    let pages: PageRenderer
    let cookies: CookieFactory
    /// The configured identity provider, for "Sign in with …" (SessionPages+SingleSignOn.swift).
    var identityProvider: IdentityProvider? = nil
    /// The public address, for the redirect URI the provider sends people back to.
    var baseURL = ""

    func register(on routes: RouteTable) {
        routes.open(.get, "/", root)
        routes.open(.get, "/setup", showSetup)
        routes.open(.post, "/setup", submitSetup)
        routes.open(.get, "/sign-in", showSignIn)
        routes.open(.post, "/sign-in", submitSignIn)
        registerTwoFactorSignIn(on: routes)
        registerSingleSignOn(on: routes)
        routes.open(.post, "/sign-out", signOut)
        routes.member(.get, "/organisations", role: .participant, showOrganisations)
        routes.member(.post, "/organisations/switch", role: .participant, switchOrganisation)
        routes.open(.get, "/invitations/:token", showInvitation)
        routes.open(.post, "/invitations/:token", acceptInvitation)
    }

    @Sendable func root(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if try await !store.isSetUp() { return .redirect(to: "/setup", type: .normal) }
        return .redirect(to: context.identity == nil ? "/sign-in" : "/dashboard", type: .normal)
    }

    // MARK: Setup

    struct SetupPage {
        let page: PageChrome
        var organisationName = "", name = "", email = "", error = ""
        var errorOrganisationName = false, errorName = false, errorEmail = false, errorPassword = false
    }

    @Sendable func showSetup(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if try await store.isSetUp() { return .redirect(to: "/", type: .normal) }
        return try pages.render("setup", SetupPage(page: pages.chrome(title: "Set up Mutual", context: context)))
    }

    @Sendable func submitSetup(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if try await store.isSetUp() { return .redirect(to: "/", type: .normal) }
        let form = context.form
        do {
            let account = try await store.setUpFirstOrganisation(
                SetupRequest(
                    organisationName: form["organisation_name"] ?? "", adminName: form["name"] ?? "",
                    email: form["email"] ?? "", password: form["password"] ?? ""))
            return try await signedInRedirect(account, to: "/dashboard", context: context)
        } catch let error as StoreError {
            var model = SetupPage(page: pages.chrome(title: "Set up Mutual", context: context))
            model.organisationName = form["organisation_name"] ?? ""
            model.name = form["name"] ?? ""
            model.email = form["email"] ?? ""
            model.error = error.errorDescription ?? "\(error)"
            model.errorOrganisationName = error.field == "organisation_name"
            model.errorName = error.field == "name"
            model.errorEmail = error.field == "email"
            model.errorPassword = error.field == "password"
            return try pages.render("setup", model, status: APIProblem(error).status)
        }
    }

    // MARK: Sign-in and sign-out

    struct SignInPage {
        let page: PageChrome
        var email = "", next = "", error = "", notice = ""
        /// "Sign in with <name>" when single sign-on is configured; empty hides the button.
        var singleSignOnName = ""
        /// `/sign-in/oidc` with the same `next` (a link, not a form: the page's CSP allows forms
        /// to post only to this site, and the provider is another).
        var singleSignOnHref = SessionPages.singleSignOnPath
    }

    /// The sign-in page's model with what every rendering shares (the single sign-on button).
    func signInPage(_ context: AppRequestContext) -> SignInPage {
        var model = SignInPage(page: pages.chrome(title: "Sign in", context: context))
        model.singleSignOnName = identityProvider?.settings.name ?? ""
        return model
    }

    @Sendable func showSignIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if try await !store.isSetUp() { return .redirect(to: "/setup", type: .normal) }
        if context.identity != nil { return .redirect(to: "/dashboard", type: .normal) }
        var model = signInPage(context)
        model.next = Self.safeNext(request.uri.queryParameters.get("next")) ?? ""
        model.singleSignOnHref = Self.singleSignOnHref(next: model.next)
        if request.uri.queryParameters.get("reset") == "done" {
            model.notice = "Your new password is saved and every session of your account was signed out. Sign in with the new password."
        } else if request.uri.queryParameters.get("unlocked") == "done" {
            model.notice = "Your account is unlocked. Sign in now."
        }
        return try pages.render("sign-in", model)
    }

    @Sendable func submitSignIn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let email = context.form["email"] ?? ""
        do {
            let login = try await store.signIn(email: email, password: context.form["password"] ?? "", clientAddress: context.clientAddress)
            let next = Self.safeNext(context.form["next"])
            if try await store.twoFactorEnabled(loginID: try login.requireID()) {
                // No session yet: the code comes first (TwoFactorSignInPages.swift).
                return try await askForSecondFactor(loginID: try login.requireID(), next: next)
            }
            return try await enter(login, next: next, context: context)
        } catch let error as StoreError {
            var model = signInPage(context)
            model.email = email
            model.next = Self.safeNext(context.form["next"]) ?? ""
            model.singleSignOnHref = Self.singleSignOnHref(next: model.next)
            model.error = error.errorDescription ?? "\(error)"
            let problem = APIProblem(error)
            var response = try pages.render("sign-in", model, status: problem.status)
            if let seconds = problem.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        }
    }

    @Sendable func signOut(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let token = context.sessionToken { try await store.endSession(token: token) }
        var response = Response.redirect(to: "/sign-in", type: .normal)
        response.setCookie(cookies.expired(SessionMiddleware.cookieName))
        return response
    }

    // MARK: Choosing and switching organisation

    struct OrganisationChoice { let accountID: String, name: String, roleWithArticle: String, current: Bool }
    struct OrganisationsPage {
        let page: PageChrome
        let organisations: [OrganisationChoice]
        let next: String
    }

    /// "Choose an organisation": every membership of the signed-in login, each a form that
    /// switches to it.
    @Sendable func showOrganisations(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let memberships = try await store.memberships(ofLogin: context.identity.loginID)
        return try pages.render(
            "choose-organisation",
            OrganisationsPage(
                page: pages.chrome(title: "Choose an organisation", context: context, current: "organisations"),
                organisations: memberships.map {
                    OrganisationChoice(
                        accountID: $0.accountID.uuidString, name: $0.organisationName, roleWithArticle: $0.role.withArticle,
                        current: $0.accountID == context.identity.accountID)
                },
                next: Self.safeNext(request.uri.queryParameters.get("next")) ?? ""))
    }

    /// Switches to another organisation of the same login: a new session for that membership,
    /// and the old session ends. A membership of any other login is "not found".
    @Sendable func switchOrganisation(_ request: Request, _ context: SignedInContext) async throws -> Response {
        guard let id = context.form["account_id"].flatMap(UUID.init(uuidString:)) else {
            throw StoreError.invalid(field: "account_id", message: "Choose one of your organisations from the list.")
        }
        let account = try await store.switchMembership(to: id, from: context.identity)
        if let token = context.sessionToken { try await store.endSession(token: token) }
        let session = try await store.startSession(for: account)
        var response = Response.redirect(to: Self.safeNext(context.form["next"]) ?? "/dashboard", type: .normal)
        response.setCookie(cookies.make(SessionMiddleware.cookieName, value: session.token, expires: session.expiresAt))
        return response
    }

    // MARK: Invitations

    struct AcceptPage {
        let page: PageChrome
        let organisationName: String, roleWithArticle: String, email: String, token: String
        /// Signed in as the login the invitation is for: one button, no password.
        var signedInAsInvitee = false
        var name = "", error = ""
    }

    private func acceptPage(_ context: AppRequestContext, token: String) async throws -> AcceptPage {
        let (invitation, organisation) = try await store.pendingInvitation(token: token)
        var model = AcceptPage(
            page: pages.chrome(title: "Accept invitation", context: context), organisationName: organisation.name,
            roleWithArticle: invitation.role.withArticle, email: invitation.email, token: token)
        model.signedInAsInvitee = context.identity?.email == invitation.email
        return model
    }

    @Sendable func showInvitation(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try pages.render("accept-invitation", try await acceptPage(context, token: context.parameters.get("token") ?? ""))
    }

    @Sendable func acceptInvitation(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        // An invitation to enrol (a programme launch) leads to the programme, where the new
        // member enrols; any other to the dashboard.
        let (pending, _) = try await store.pendingInvitation(token: token)
        let landing = pending.programmeID.map { "/programmes/\($0.uuidString)" } ?? "/dashboard"
        do {
            let account: Account
            if let identity = context.identity, try await acceptPage(context, token: token).signedInAsInvitee {
                account = try await store.acceptInvitation(token: token, as: identity)
            } else {
                account = try await store.acceptInvitation(
                    token: token, name: context.form["name"] ?? "", password: context.form["password"] ?? "",
                    clientAddress: context.clientAddress)
                if try await store.twoFactorEnabled(loginID: account.loginID) {
                    // A password is not a session for a login with two-factor sign-in.
                    return try await askForSecondFactor(loginID: account.loginID, next: landing)
                }
            }
            return try await signedInRedirect(account, to: landing, context: context)
        } catch let error as StoreError {
            switch error {
            case .invalid, .wrongCredentials, .tooManyAttempts, .conflict: break
            default: throw error
            }
            var model = try await acceptPage(context, token: token)
            model.name = context.form["name"] ?? ""
            model.error = error.errorDescription ?? "\(error)"
            let problem = APIProblem(error)
            var response = try pages.render("accept-invitation", model, status: problem.status)
            if let seconds = problem.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        }
    }

    // MARK: Helpers

    /// Signs a checked login in: a session for the membership used last, then `next` (or the
    /// two-factor set-up its organisation requires), or "Choose an organisation" when the login
    /// has several.
    func enter(_ login: Login, next: String?, context: AppRequestContext) async throws -> Response {
        let memberships = try await store.memberships(ofLogin: try login.requireID())
        let account = try await store.defaultMembership(of: login)
        guard memberships.count > 1 else {
            return try await signedInRedirect(account, to: try await landing(for: account, otherwise: next ?? "/dashboard"), context: context)
        }
        // Several organisations: signed in to the one used last, and asked which one to use.
        let query = next.map { "?next=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? ""
        return try await signedInRedirect(account, to: "/organisations" + query, context: context)
    }

    /// A new session for `account`; the browser's previous session, if any, ends.
    private func signedInRedirect(_ account: Account, to target: String, context: AppRequestContext) async throws -> Response {
        if let token = context.sessionToken { try await store.endSession(token: token) }
        let session = try await store.startSession(for: account)
        var response = Response.redirect(to: target, type: .normal)
        response.setCookie(cookies.make(SessionMiddleware.cookieName, value: session.token, expires: session.expiresAt))
        return response
    }

    /// Only local paths, so a crafted link cannot bounce a person to another site after sign-in.
    /// Where to go after signing in: `/` or a path on this site, nothing else. The query value
    /// is decoded once (by the router); browsers then drop tabs and newlines anywhere in a URL
    /// and read `\` as `/`, so `/\t/evil.example` and `/\evil.example` are `//evil.example`, a
    /// link off-site. A path must start with `/` followed by anything but `/`, `\` or a control
    /// character, and hold no control character or `\` at all.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), next.utf8.count <= 2_048, !next.hasPrefix("/sign-") else { return nil }
        guard !next.unicodeScalars.contains(where: { $0 == "\\" || $0.properties.generalCategory == .control }) else { return nil }
        guard next.dropFirst().first != "/" else { return nil }
        return next
    }
}
