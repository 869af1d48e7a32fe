import Hummingbird
import MutualStore
import NIOCore

/// The one request context of the application. Middleware fills in who is signed in, the
/// CSRF token for forms and the decoded form of a POST.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The signed-in member, when there is one.
    public var identity: Identity?
    /// The raw session token from the cookie (needed to sign out).
    public var sessionToken: String?
    /// The scope of the API token the request came with; nil for a browser session.
    public var apiTokenScope: APITokenScope?
    /// The token every form on the page must send back as `csrf_token`.
    public var csrfToken = ""
    /// The fields of a submitted form, decoded once by the CSRF middleware.
    public var form = FormFields()
    /// Address used for sign-in rate limiting.
    public var clientAddress: String?
    /// Largest body a handler may read.
    public var maxUploadSize: Int { 1_048_576 }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}

/// A request from a signed-in member. Routes in a signed-in group get this context, which makes
/// "there is a member" a compile-time fact; building it fails with `AuthenticationRequired`.
public struct SignedInContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let identity: Identity
    public let sessionToken: String?
    /// The scope of the API token the request came with; nil for a browser session.
    public let apiTokenScope: APITokenScope?
    public let csrfToken: String
    public let form: FormFields
    public let clientAddress: String?
    public var maxUploadSize: Int { 1_048_576 }

    public init(context: AppRequestContext) throws {
        guard let identity = context.identity else { throw AuthenticationRequired() }
        self.coreContext = context.coreContext
        self.identity = identity
        self.sessionToken = context.sessionToken
        self.apiTokenScope = context.apiTokenScope
        self.csrfToken = context.csrfToken
        self.form = context.form
        self.clientAddress = context.clientAddress
    }
}

/// Thrown when a route needs a signed-in member and there is none. Pages answer with a redirect
/// to the sign-in page, the API with 401.
public struct AuthenticationRequired: Error {}

/// The fields of an `application/x-www-form-urlencoded` body. Repeated names keep every value.
public struct FormFields: Sendable {
    public private(set) var values: [String: [String]] = [:]

    public init() {}

    /// Fields already decoded (from a multipart form).
    init(values: [String: [String]]) { self.values = values }

    public init(urlEncoded body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    public subscript(_ name: String) -> String? { values[name]?.first }

    /// Every value sent under `name`, in order (repeated inputs such as skill rows).
    public func all(_ name: String) -> [String] { values[name] ?? [] }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
