import Hummingbird
import Logging

/// One log line per request, like Hummingbird's `LogRequestsMiddleware`, but with the secrets
/// some paths carry left out: an invitation's token (`/invitations/…`), a password reset link's
/// secret (`/password-reset/…`), an unlock link's secret (`/unlock/…`) and an unsubscribe link's signature (`/email/unsubscribe/…`)
/// would let whoever reads the logs accept the invitation, take over an account or change
/// someone's email. Queries are never logged (a `next=` can hold anything).
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Path prefixes whose remainder is a secret.
    static var secretPrefixes: [String] { ["/invitations/", "/email/unsubscribe/", "/password-reset/", "/unlock/"] }

    static func loggedPath(_ path: String) -> String {
        for prefix in secretPrefixes where path.hasPrefix(prefix) && path.count > prefix.count {
            return prefix + "…"
        }
        return path
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        context.logger.info(
            "Request", metadata: ["hb.request.method": "\(request.method)", "hb.request.path": "\(Self.loggedPath(request.uri.path))"])
        return try await next(request, context)
    }
}
