import Foundation

/// One HTTP POST of a webhook delivery.
public struct WebhookRequest: Sendable, Equatable {
    public var url: String
    /// Header names and values, in order (`content-type`, `webhook-id`, …).
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// Give up after this long (10 s).
    public var timeout: TimeInterval

    public init(url: String, headers: [(name: String, value: String)], body: Data, timeout: TimeInterval) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public static func == (lhs: WebhookRequest, rhs: WebhookRequest) -> Bool {
        lhs.url == rhs.url && lhs.body == rhs.body && lhs.timeout == rhs.timeout
            && lhs.headers.map { "\($0.name):\($0.value)" } == rhs.headers.map { "\($0.name):\($0.value)" }
    }
}

/// What the endpoint answered: the status and the first characters of the body (no more is kept).
public struct WebhookResponse: Sendable, Equatable {
    public var status: Int
    public var bodyExcerpt: String

    public init(status: Int, bodyExcerpt: String = "") {
        self.status = status
        self.bodyExcerpt = bodyExcerpt
    }
}

/// Sends webhook requests. Production uses ``AsyncHTTPWebhookTransport``; tests pass their own
/// (the transport and the clock are the only things a test replaces). An error thrown means the
/// request got no answer (refused, timed out, TLS failed): a failed attempt, retried.
public protocol WebhookTransport: Sendable {
    func send(_ request: WebhookRequest) async throws -> WebhookResponse
}
