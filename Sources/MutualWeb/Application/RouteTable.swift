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

    /// Asked before every page that needs more than the participant role; a response it
    /// returns is sent instead of the page (the two-factor set-up an organisation requires of
    /// its admins, ``TwoFactorRequirementGate``).
    private let staffPageGate: (@Sendable (Request, SignedInContext) async throws -> Response?)?

    init(router: Router<AppRequestContext>, staffPageGate: (@Sendable (Request, SignedInContext) async throws -> Response?)? = nil) {
        self.router = router
        self.signedIn = router.group(context: SignedInContext.self)
        self.staffPageGate = staffPageGate
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
    /// redirect when nobody is signed in).
    func member(
        _ method: HTTPRequest.Method, _ path: String, role: Role,
        _ handler: @escaping @Sendable (Request, SignedInContext) async throws -> Response
    ) {
        let gate = role > .participant ? staffPageGate : nil
        signedIn.on(RouterPath(path), method: method) { request, context in
            guard context.identity.role >= role else {
                throw StoreError.forbidden(
                    message: "This needs the \(role.label.lowercased()) role; you are signed in as a \(context.identity.role.label.lowercased()). Ask an admin if you need access.")
            }
            if let gate, let stopped = try await gate(request, context) { return stopped }
            return try await handler(request, context)
        }
        records.append(RouteRecord(method: method.rawValue, path: path, access: .member(role)))
    }

    func record(_ method: HTTPRequest.Method, _ path: String, _ contract: APIContract) {
        contracts["\(method.rawValue) \(path)"] = contract
    }
}
