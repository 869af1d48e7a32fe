import Foundation
import Hummingbird
import MutualStore

/// Two-factor sign-in on a person's own account (set up, recovery codes, turn off), and the
/// admin's setting that requires it of the organisation's admins.
struct TwoFactorPages: Sendable {
    static let path = "/account/two-factor"
    static let settingsPath = "/admin/sign-in-security"

    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, Self.path, role: .participant, show)
        routes.member(.post, Self.path + "/enable", role: .participant, enable)
        routes.member(.post, Self.path + "/disable", role: .participant, disable)
        routes.member(.post, Self.path + "/recovery-codes", role: .participant, regenerate)
        routes.member(.get, Self.settingsPath, role: .admin, showSettings)
        routes.member(.post, Self.settingsPath, role: .admin, saveSettings)
    }

    // MARK: The account page

    struct AccountPage {
        let page: PageChrome
        let enabled: Bool
        let enabledOn: String
        let recoveryCodesLeft: Int
        /// Set up in progress: the secret to type in and the link for apps that take one.
        var secret = "", uri = ""
        /// Just made: shown once.
        var recoveryCodes: [String] = []
        /// The organisation requires it of admins and this admin has not set it up.
        var required = false
        /// Stored, not computed: templates see stored properties only.
        var hasRecoveryCodes = false
        var status = "", error = ""
    }

    private func page(_ context: SignedInContext) async throws -> AccountPage {
        let status = try await store.twoFactorStatus(of: context.identity)
        var model = AccountPage(
            page: pages.chrome(title: "Two-factor sign-in", context: context, current: "two-factor"), enabled: status.enabled,
            enabledOn: status.enabledAt.map { MemberPages.dateFormatter.string(from: $0) } ?? "", recoveryCodesLeft: status.recoveryCodesLeft)
        if !status.enabled {
            let enrolment = try await store.startTwoFactorEnrolment(for: context.identity)
            model.secret = enrolment.secretBase32
            model.uri = enrolment.authenticatorURI
            model.required = try await store.mustEnrolInTwoFactor(context.identity)
        }
        return model
    }

    private func render(_ model: AccountPage, error: StoreError? = nil) throws -> Response {
        var model = model
        guard let error else { return try pages.render("two-factor", model) }
        model.error = error.errorDescription ?? "\(error)"
        let problem = APIProblem(error)
        var response = try pages.render("two-factor", model, status: problem.status)
        if let seconds = problem.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
        return response
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try render(try await page(context))
    }

    @Sendable func enable(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await change(context, done: "Two-factor sign-in is on. From now on Mutual asks for a code from your app after your password.") {
            try await store.enableTwoFactor(for: $0, password: $1, code: $2, clientAddress: $3)
        }
    }

    @Sendable func disable(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await change(context, done: "Two-factor sign-in is off, and your recovery codes no longer work. Remove Mutual from your authenticator app.") {
            try await store.disableTwoFactor(for: $0, password: $1, code: $2, clientAddress: $3)
            return nil
        }
    }

    @Sendable func regenerate(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await change(context, done: "New recovery codes made; the old ones no longer work.") {
            try await store.regenerateRecoveryCodes(for: $0, password: $1, code: $2, clientAddress: $3)
        }
    }

    /// One of the three changes (on, off, new codes): each reads the password and the code from
    /// the form, and shows the page again with what it did, the recovery codes it made (shown
    /// once), or what was wrong.
    private func change(
        _ context: SignedInContext, done: String,
        _ action: (Identity, String, String, String?) async throws -> [String]?
    ) async throws -> Response {
        do {
            let codes = try await action(
                context.identity, context.form["password"] ?? "", context.form["code"] ?? "", context.clientAddress)
            var model = try await page(context)
            if let codes {
                model.recoveryCodes = codes
                model.hasRecoveryCodes = true
            }
            model.status = done
            return try render(model)
        } catch let error as StoreError {
            return try render(try await page(context), error: error)
        }
    }

    // MARK: The organisation's setting

    struct SettingsPage {
        let page: PageChrome
        let required: Bool
        /// Whether the admin looking may turn the requirement on (they have it themselves).
        let canRequire: Bool
        var status = "", error = ""
    }

    private func settingsPage(_ context: SignedInContext) async throws -> SettingsPage {
        SettingsPage(
            page: pages.chrome(title: "Sign-in security", context: context, current: "sign-in-security"),
            required: try await store.adminTwoFactorRequired(organisationID: context.identity.organisationID),
            canRequire: try await store.twoFactorEnabled(loginID: context.identity.loginID))
    }

    @Sendable func showSettings(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("sign-in-security", try await settingsPage(context))
    }

    @Sendable func saveSettings(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let value = context.form["require_admin_two_factor"] ?? ""
        guard value == "true" || value == "false" else {
            throw StoreError.invalid(field: "require_admin_two_factor", message: "Choose whether admins must use two-factor sign-in (true or false).")
        }
        do {
            try await store.setAdminTwoFactorRequired(value == "true", by: context.identity)
            var model = try await settingsPage(context)
            model.status = model.required
                ? "Admins must now use two-factor sign-in. Admins without it are sent to set it up before they can use admin pages."
                : "Admins no longer have to use two-factor sign-in."
            return try pages.render("sign-in-security", model)
        } catch let error as StoreError {
            var model = try await settingsPage(context)
            model.error = error.errorDescription ?? "\(error)"
            return try pages.render("sign-in-security", model, status: APIProblem(error).status)
        }
    }
}
