import AsyncHTTPClient
import Foundation
import NIOCore

/// One HTTP request to the identity provider (discovery, keys, token exchange).
public struct IdentityProviderRequest: Sendable {
    /// GET or POST (all the flow needs).
    public var method: String
    public var url: URL
    public var headers: [(name: String, value: String)]
    public var body: Data?

    public init(method: String = "GET", url: URL, headers: [(name: String, value: String)] = [], body: Data? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// The provider's answer: the status and the whole body.
public struct IdentityProviderResponse: Sendable {
    public var status: Int
    public var body: Data

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// How Mutual talks to the identity provider. Production uses ``AsyncHTTPClientTransport``;
/// tests pass a provider of their own, so the flow is tested without a network.
public protocol IdentityProviderTransport: Sendable {
    func send(_ request: IdentityProviderRequest) async throws -> IdentityProviderResponse
}

/// The transport on async-http-client's shared client, with a timeout and a size limit so a
/// slow or huge answer cannot hold a sign-in (or memory) for long.
public struct AsyncHTTPClientTransport: IdentityProviderTransport {
    public var timeout: TimeAmount = .seconds(10)
    /// Discovery documents, key sets and token answers are a few kilobytes.
    public var maxBodyBytes = 1_048_576

    public init() {}

    public func send(_ request: IdentityProviderRequest) async throws -> IdentityProviderResponse {
        var outbound = HTTPClientRequest(url: request.url.absoluteString)
        outbound.method = request.method == "POST" ? .POST : .GET
        for header in request.headers { outbound.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outbound.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(outbound, timeout: timeout)
        let body = try await response.body.collect(upTo: maxBodyBytes)
        return IdentityProviderResponse(status: Int(response.status.code), body: Data(body.readableBytesView))
    }
}
