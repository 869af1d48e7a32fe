import Hummingbird
import MutualStore

/// Finds out who is calling: a session cookie for pages, an `Authorization: Bearer` API token
/// for `/api`. Cookies are ignored by the API so that a cross-site page cannot use them there.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "mutual_session"
    let store: Store
    let cookies: CookieFactory

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        // SCIM is authorised by the organisation's provisioning token alone (SCIMRoutes):
        // cookies are ignored there as under /api.
        if request.uri.path.hasPrefix(SCIMRoutes.prefix) { return try await next(request, context) }
        if request.uri.path.hasPrefix("/api/") {
            if let authorization = request.headers[.authorization] {
                guard authorization.lowercased().hasPrefix("bearer ") else { throw Self.invalidToken }
                let secret = String(authorization.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
                switch try await store.checkAPIToken(secret) {
                case .valid(let identity, let scope, _):
                    context.identity = identity
                    context.apiTokenScope = scope
                case .expired(let date):
                    throw APIProblem(
                        status: .unauthorized, title: "API token expired",
                        detail: "This API token expired on \(MemberPages.dateFormatter.string(from: date)). Create a new one under Account → API tokens (/account/tokens) while signed in, and send it instead.")
                case .unknown:
                    throw Self.invalidToken
                }
            }
            return try await next(request, context)
        }
        var staleCookie = false
        if let token = request.cookies[Self.cookieName]?.value, !token.isEmpty {
            if let identity = try await store.identity(forSessionToken: token) {
                context.identity = identity
                context.sessionToken = token
            } else {
                staleCookie = true
            }
        }
        var response = try await next(request, context)
        if staleCookie && !response.headers[values: .setCookie].contains(where: { $0.hasPrefix(Self.cookieName + "=") }) {
            response.setCookie(cookies.expired(Self.cookieName))
        }
        return response
    }

    static let invalidToken = APIProblem(
        status: .unauthorized, title: "Invalid API token",
        detail: "The Authorization header does not hold a valid API token. Send `Authorization: Bearer mut_…` with a token from Account → API tokens.")
}
