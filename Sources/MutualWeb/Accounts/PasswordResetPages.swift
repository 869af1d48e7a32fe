import Foundation
import Hummingbird
import MutualStore

/// "Forgot your password?" and the single-use link it emails (`/password-reset/:token`), where
/// a person chooses a new password. The link's secret is in the path, so the request log leaves
/// it out (``RequestLogMiddleware``).
struct PasswordResetPages: Sendable {
    let store: Store
    let pages: PageRenderer
    let baseURL: String

    static let linkPrefix = "/password-reset/"

    func register(on routes: RouteTable) {
        routes.open(.get, "/forgot-password", showRequest)
        routes.open(.post, "/forgot-password", submitRequest)
        routes.open(.get, "/password-reset/:token", showReset)
        routes.open(.post, "/password-reset/:token", submitReset)
    }

    /// The absolute link emailed for a reset secret.
    static func resetURL(baseURL: String) -> @Sendable (String) -> String {
        { "\(baseURL)\(linkPrefix)\($0)" }
    }

    // MARK: Asking for a link

    struct RequestPage {
        let page: PageChrome
        var email = "", error = "", sent = false
        let sentMessage = PasswordResetPages.sentMessage
    }

    /// The one answer, whether or not an account uses the address.
    static let sentMessage =
        "If an account uses that address, we have sent a link to it. The link works once, for 1 hour; check your spam folder if it does not arrive in a few minutes."

    @Sendable func showRequest(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        try pages.render("forgot-password", RequestPage(page: pages.chrome(title: "Forgot your password?", context: context)))
    }

    @Sendable func submitRequest(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var model = RequestPage(page: pages.chrome(title: "Forgot your password?", context: context))
        model.email = context.form["email"] ?? ""
        do {
            try await store.requestPasswordReset(email: model.email, resetURL: Self.resetURL(baseURL: baseURL))
            model.sent = true
            return try pages.render("forgot-password", model)
        } catch let error as StoreError {
            // Only a malformed address is refused; that says nothing about who uses Mutual.
            guard case .invalid = error else { throw error }
            model.error = error.errorDescription ?? "\(error)"
            return try pages.render("forgot-password", model, status: .unprocessableContent)
        }
    }

    // MARK: Choosing a new password

    struct ResetPage {
        let page: PageChrome
        let email: String, token: String
        var error = ""
    }

    @Sendable func showReset(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let (_, login) = try await store.pendingLoginLink(token: token, purpose: .passwordReset)
        return try pages.render(
            "reset-password", ResetPage(page: pages.chrome(title: "Choose a new password", context: context), email: login.email, token: token))
    }

    @Sendable func submitReset(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        do {
            _ = try await store.resetPassword(token: token, newPassword: context.form["password"] ?? "")
            return .redirect(to: "/sign-in?reset=done", type: .normal)
        } catch let error as StoreError {
            guard case .invalid = error else { throw error }
            let (_, login) = try await store.pendingLoginLink(token: token, purpose: .passwordReset)
            var model = ResetPage(page: pages.chrome(title: "Choose a new password", context: context), email: login.email, token: token)
            model.error = error.errorDescription ?? "\(error)"
            return try pages.render("reset-password", model, status: .unprocessableContent)
        }
    }
}
