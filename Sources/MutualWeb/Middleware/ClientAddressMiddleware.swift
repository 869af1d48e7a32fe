import Foundation
import HTTPTypes
import Hummingbird

/// Works out the client's address for rate limiting, and echoes the request id (which every
/// log line of the request carries as `hb.request.id`) in an `X-Request-Id` header so a person
/// reporting a problem can quote it.
///
/// Behind proxies, `X-Forwarded-For` is read from the right: each proxy appends the address it
/// received the request from, so the right-most address that is not a trusted proxy is the
/// client. Anything to its left was written by the client and is ignored. The header is only
/// read when the connection itself comes from a trusted proxy.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// The proxies whose `X-Forwarded-For` entries are believed; empty believes none.
    let trustedProxies: [IPNetwork]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = Self.clientAddress(
            peer: context.remoteAddress?.ipAddress, forwardedFor: request.headers[values: .xForwardedFor], trusted: trustedProxies)
        var response = try await next(request, context)
        response.headers[.xRequestID] = context.id
        return response
    }

    /// The client behind `peer`, given the `X-Forwarded-For` headers (in order) and the trusted
    /// proxies. A request with no peer address (the in-process test client) counts as coming
    /// from loopback.
    static func clientAddress(peer: String?, forwardedFor: [String], trusted: [IPNetwork]) -> String? {
        func isTrusted(_ address: String) -> Bool { trusted.contains { $0.contains(address) } }
        guard isTrusted(peer ?? "127.0.0.1") else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for hop in hops.reversed() where !isTrusted(hop) {
            return IPNetwork.bytes(of: hop) == nil ? peer : hop
        }
        return hops.first ?? peer
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xRequestID = Self("X-Request-Id")!
}
