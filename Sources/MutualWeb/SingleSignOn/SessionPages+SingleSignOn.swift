import Foundation
import Hummingbird
import MutualStore

/// "Sign in with …": the OpenID Connect authorization code flow's two ends. `GET /sign-in/oidc`
/// starts an attempt (state, nonce, PKCE verifier; the state also in an HttpOnly cookie) and
/// sends the browser to the provider; the provider sends it back to
/// `GET /sign-in/oidc/callback`, which uses the attempt up, exchanges the code, checks the ID
/// token and signs the verified email's login in through ``SessionPages/enter(_:next:context:)``,
/// the same path as a password. The two-factor step is skipped: the identity provider
/// authenticated the person and runs its own multi-factor checks.
extension SessionPages {
    static let singleSignOnPath = "/sign-in/oidc"
    static let singleSignOnCallbackPath = "/sign-in/oidc/callback"
    /// Holds the attempt's `state`, binding it to the browser that started it (login CSRF).
    static let singleSignOnStateCookie = "mutual_sso_state"

    func registerSingleSignOn(on routes: RouteTable) {
        routes.open(.get, Self.singleSignOnPath, startSingleSignOn)
        routes.open(.get, Self.singleSignOnCallbackPath, finishSingleSignOn)
    }

    var singleSignOnRedirectURI: String { baseURL + Self.singleSignOnCallbackPath }

    /// The button's link, carrying `next` (a local path) along.
    static func singleSignOnHref(next: String) -> String {
        guard !next.isEmpty, let encoded = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) else { return singleSignOnPath }
        return singleSignOnPath + "?next=" + encoded
    }

    @Sendable func startSingleSignOn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if context.identity != nil { return .redirect(to: "/dashboard", type: .normal) }
        guard let identityProvider else {
            return try singleSignOnProblem(SingleSignOnError.notConfigured, status: .notFound, context: context)
        }
        let next = Self.safeNext(request.uri.queryParameters.get("next"))
        do {
            let attempt = try await store.startSingleSignOn(next: next)
            let url = try await identityProvider.authorizationURL(for: attempt, redirectURI: singleSignOnRedirectURI)
            var response = Response.redirect(to: url.absoluteString, type: .normal)
            response.setCookie(cookies.make(Self.singleSignOnStateCookie, value: attempt.state, expires: attempt.expiresAt))
            return response
        } catch let error as SingleSignOnError {
            return try singleSignOnProblem(error, status: HTTPResponse.Status(code: error.status), context: context)
        }
    }

    @Sendable func finishSingleSignOn(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        guard let identityProvider else {
            return try singleSignOnProblem(SingleSignOnError.notConfigured, status: .notFound, context: context)
        }
        let query = request.uri.queryParameters
        let state = query.get("state") ?? ""
        do {
            // The attempt is used up first, whatever follows: a replayed or forged answer learns
            // nothing more, and a failed one cannot be retried with the same state.
            let attempt = try await store.claimSingleSignOn(state: state)
            guard let cookieState = request.cookies[Self.singleSignOnStateCookie]?.value,
                IdentityProvider.constantTimeEqual(cookieState, state)
            else { throw Store.singleSignOnForgedState }
            if let error = query.get("error") {
                let reason = query.get("error_description").map { String($0.prefix(200)) } ?? error
                throw SingleSignOnError.providerRefused(name: identityProvider.settings.name, reason: reason)
            }
            guard let code = query.get("code"), !code.isEmpty else {
                throw SingleSignOnError.providerRefused(name: identityProvider.settings.name, reason: "it sent no authorization code")
            }
            let claims = try await identityProvider.finish(
                code: code, codeVerifier: attempt.codeVerifier, nonce: attempt.nonce, redirectURI: singleSignOnRedirectURI)
            let email = try await identityProvider.verifiedEmail(in: claims)
            let login = try await store.signInWithSingleSignOn(email: email)
            var response = try await enter(login, next: attempt.next, context: context)
            response.setCookie(cookies.expired(Self.singleSignOnStateCookie))
            return response
        } catch let error as SingleSignOnError {
            return try singleSignOnProblem(error, status: HTTPResponse.Status(code: error.status), context: context)
        } catch let error as StoreError {
            return try singleSignOnProblem(error, status: APIProblem(error).status, context: context)
        }
    }

    /// The sign-in page with the problem in its message bar (and the buttons to try again).
    private func singleSignOnProblem(_ error: any LocalizedError, status: HTTPResponse.Status, context: AppRequestContext) throws -> Response {
        var model = signInPage(context)
        model.error = error.errorDescription ?? "Single sign-on failed. Try again."
        var response = try pages.render("sign-in", model, status: status)
        response.setCookie(cookies.expired(Self.singleSignOnStateCookie))
        return response
    }
}
