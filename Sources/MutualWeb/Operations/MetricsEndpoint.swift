import Crypto
import Foundation
import Hummingbird
import Prometheus

/// `/metrics`: the Prometheus text, behind `Authorization: Bearer` when `MUTUAL_METRICS_TOKEN`
/// is set. The main router and the separate metrics listener (`MUTUAL_METRICS_PORT`) both
/// answer through this one type, so the token is checked the same way on either.
struct MetricsEndpoint: Sendable {
    let registry: PrometheusCollectorRegistry
    /// SHA-256 of the configured token; nil when no token is asked for.
    private let tokenDigest: [UInt8]?
    /// Brings gauges read from the database (the job queue) up to date before a scrape.
    let refreshGauges: @Sendable () async -> Void

    init(registry: PrometheusCollectorRegistry, token: String?, refreshGauges: @escaping @Sendable () async -> Void = {}) {
        self.registry = registry
        self.tokenDigest = token.map { Array(SHA256.hash(data: Data($0.utf8))) }
        self.refreshGauges = refreshGauges
    }

    func respond(to request: Request) async -> Response {
        if let tokenDigest, !Self.authorizes(request.headers[.authorization], expected: tokenDigest) {
            return Response(
                status: .unauthorized,
                headers: [.contentType: "text/plain; charset=utf-8", .wwwAuthenticate: #"Bearer realm="metrics""#],
                body: .init(byteBuffer: ByteBuffer(string: "Metrics need `Authorization: Bearer` with the value of MUTUAL_METRICS_TOKEN (Prometheus: `authorization: {credentials: …}` in the scrape config).\n")))
        }
        await refreshGauges()
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
    }

    /// Whether an `Authorization` header carries the token. Both sides are hashed first and the
    /// digests compared in full, so the time taken says nothing about how much of a guess was right
    /// (nor about the token's length).
    static func authorizes(_ header: String?, expected: [UInt8]) -> Bool {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return false }
        let presented = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        let digest = Array(SHA256.hash(data: Data(presented.utf8)))
        guard digest.count == expected.count else { return false }
        var difference: UInt8 = 0
        for index in digest.indices { difference |= digest[index] ^ expected[index] }
        return difference == 0
    }
}
