import Foundation
import Hummingbird
import MutualStore

/// The second step of signing in for a login with two-factor sign-in: after the password, a
/// short-lived, single-use pending sign-in (its token in an HttpOnly cookie, its digest in the
/// database) and a page that asks for a code. The session is made only when the code is right.
extension SessionPages {
    static let pendingSignInCookie = "mutual_pending_sign_in"

    func registerTwoFactorSignIn(on routes: RouteTable) {
        routes.open(.get, "/sign-in/code", showCodeStep)
        routes.open(.post, "/sign-in/code", submitCodeStep)
    }

    struct CodeStepPage {
        let page: PageChrome
        var next = "", error = ""
    }

    /// The password was right: remember that for five minutes, and ask for the code. Every
    /// path that checks a password of a login with two-factor sign-in comes here instead of
    /// making a session (sign-in, and accepting an invitation with an existing login's password).
    func askForSecondFactor(loginID: UUID, next: String?) async throws -> Response {
        let pending = try await store.startPendingSignIn(loginID: loginID)
        let query = next.map { "?next=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? ""
        var response = Response.redirect(to: "/sign-in/code" + query, type: .normal)
        response.setCookie(cookies.make(Self.pendingSignInCookie, value: pending.token, expires: pending.expiresAt))
        return response
    }

    @Sendable func showCodeStep(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let token = request.cookies[Self.pendingSignInCookie]?.value, try await store.pendingSignInIsValid(token: token) else {
            var response = Response.redirect(to: "/sign-in", type: .normal)
            response.setCookie(cookies.expired(Self.pendingSignInCookie))
            return response
        }
        var model = CodeStepPage(page: pages.chrome(title: "Enter your code", context: context))
        model.next = Self.safeNext(request.uri.queryParameters.get("next")) ?? ""
        return try pages.render("sign-in-code", model)
    }

    @Sendable func submitCodeStep(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let next = Self.safeNext(context.form["next"])
        do {
            let login = try await store.completeSignIn(
                pendingToken: request.cookies[Self.pendingSignInCookie]?.value ?? "", code: context.form["code"] ?? "",
                clientAddress: context.clientAddress)
            var response = try await enter(login, next: next, context: context)
            response.setCookie(cookies.expired(Self.pendingSignInCookie))
            return response
        } catch let error as StoreError {
            let problem = APIProblem(error)
            var response: Response
            if case .gone = error {
                // Nothing left to enter a code for: back to the password, saying why.
                var model = SignInPage(page: pages.chrome(title: "Sign in", context: context))
                model.next = next ?? ""
                model.error = error.errorDescription ?? "\(error)"
                response = try pages.render("sign-in", model, status: problem.status)
                response.setCookie(cookies.expired(Self.pendingSignInCookie))
            } else {
                var model = CodeStepPage(page: pages.chrome(title: "Enter your code", context: context))
                model.next = next ?? ""
                model.error = error.errorDescription ?? "\(error)"
                response = try pages.render("sign-in-code", model, status: problem.status)
            }
            if let seconds = problem.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            return response
        }
    }

    /// Where a member goes after signing in: the two-factor set-up when they are an admin of an
    /// organisation that requires it and have not set it up, else `target`.
    func landing(for account: Account, otherwise target: String) async throws -> String {
        try await store.mustEnrolInTwoFactor(try await store.identity(for: account)) ? TwoFactorPages.path : target
    }
}
