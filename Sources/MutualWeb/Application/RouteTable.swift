import Hummingbird
import MutualStore

/// Who may call a route. Every route states it when it is registered.
public enum RouteAccess: Sendable, Hashable, CustomStringConvertible {
    /// Anyone, signed in or not (sign-in, setup, health checks).
    case anyone
    /// A signed-in member with at least this role.
    case member(Role)

    public var description: String {
        switch self {
        case .anyone: "anyone"
        case .member(let role): role.rawValue
        }
    }
}

/// One registered route, as the OpenAPI check and the role tests see it.
public struct RouteRecord: Sendable, Hashable {
    public let method: String
    /// The path with Hummingbird parameters, e.g. `/api/v1/members/:id`.
    public let path: String
    public let access: RouteAccess
    /// Whether the route honours an `Idempotency-Key` header (the API's POSTs).
    public var takesIdempotencyKey = false
}

/// Registers routes on the router and remembers each with the role it needs, so tests can
/// enumerate them (a participant must be refused every admin route, the OpenAPI document must
/// list every API route).
public final class RouteTable: @unchecked Sendable {
    let router: Router<AppRequestContext>
    private let signedIn: RouterGroup<SignedInContext>
    public private(set) var records: [RouteRecord] = []
    /// The typed API routes' contracts, by `"METHOD path"` (e.g. `"GET /api/v1/me"`).
    public private(set) var contracts: [String: APIContract] = [:]

    /// What runs the API's POSTs under their `Idempotency-Key`.
    let idempotencyKeys: IdempotencyKeys
    /// Asked before every signed-in route; a response it returns is sent instead (the two-factor
    /// set-up an organisation requires of its admins, ``TwoFactorRequirementGate``, which lets
    /// through only the set-up itself, signing out and choosing an organisation).
    private let memberGate: (@Sendable (Request, SignedInContext) async throws -> Response?)?

    init(
        router: Router<AppRequestContext>, idempotencyKeys: IdempotencyKeys,
        memberGate: (@Sendable (Request, SignedInContext) async throws -> Response?)? = nil
    ) {
        self.router = router
        self.signedIn = router.group(context: SignedInContext.self)
        self.idempotencyKeys = idempotencyKeys
        self.memberGate = memberGate
    }

    /// A route anyone may call.
    func open(
        _ method: HTTPRequest.Method, _ path: String,
        _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        router.on(RouterPath(path), method: method, use: handler)
        records.append(RouteRecord(method: method.rawValue, path: path, access: .anyone))
    }

    /// A route for signed-in members with at least `role`; others get 403 (401 or a sign-in
    /// redirect when nobody is signed in). A request made with an API token must also be
    /// allowed by the token's scope (``scopeRefusal(_:method:role:)``): this is the one place
    /// both are checked, so no route can forget either.
    func member(
        _ method: HTTPRequest.Method, _ path: String, role: Role, takesIdempotencyKey: Bool = false,
        _ handler: @escaping @Sendable (Request, SignedInContext) async throws -> Response
    ) {
        // Every signed-in route, the participant's too: an admin who must set up two-factor
        // sign-in could otherwise make an admin token or edit anyone's profile from them.
        let gate = memberGate
        signedIn.on(RouterPath(path), method: method) { request, context in
            guard context.identity.role >= role else {
                throw StoreError.forbidden(
                    message: "This needs the \(role.label.lowercased()) role; you are signed in as \(context.identity.role.withArticle). Ask an admin if you need access.")
            }
            if let scope = context.apiTokenScope, let refusal = Self.scopeRefusal(scope, method: request.method, role: role) {
                throw StoreError.forbidden(message: refusal)
            }
            if let gate, let stopped = try await gate(request, context) { return stopped }
            return try await handler(request, context)
        }
        records.append(RouteRecord(method: method.rawValue, path: path, access: .member(role), takesIdempotencyKey: takesIdempotencyKey))
    }

    /// Why a token with `scope` may not call a route with `method` that needs `role`, or nil
    /// when it may. The owner's role is checked separately (and first): a scope only ever takes
    /// away from what the role allows.
    static func scopeRefusal(_ scope: APITokenScope, method: HTTPRequest.Method, role: Role) -> String? {
        switch scope {
        case .read where method != .get && method != .head:
            return "This API token has the read scope, which only reads (GET). To make changes, create a token with the write scope under Account → API tokens (/account/tokens)."
        case .read, .write:
            guard role == .admin else { return nil }
            return "This route is for organisation admins and needs a token with the admin scope; this token has the \(scope.rawValue) scope. An admin can create an admin token under Account → API tokens (/account/tokens)."
        case .admin:
            return nil
        }
    }

    func record(_ method: HTTPRequest.Method, _ path: String, _ contract: APIContract) {
        contracts["\(method.rawValue) \(path)"] = contract
    }
}
