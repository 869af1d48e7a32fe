import Hummingbird
import Logging
import MutualStore

/// One log line per request, like Hummingbird's `LogRequestsMiddleware`, but with the secrets
/// some paths carry left out: an invitation's token (`/invitations/…`), a password reset link's
/// secret (`/password-reset/…`), an unlock link's secret (`/unlock/…`), an unsubscribe link's signature (`/email/unsubscribe/…`)
/// and a calendar feed's secret (`/calendar/…`) would let whoever reads the logs accept the
/// invitation, take over an account, change someone's email or read their meetings. Queries are never logged (a `next=` can hold anything).
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Path prefixes whose remainder is a secret.
    static var secretPrefixes: [String] { ["/invitations/", "/email/unsubscribe/", "/password-reset/", "/unlock/", Store.calendarFeedPath] }

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
