import Foundation
import Hummingbird
import MutualStore

/// Health, readiness, Prometheus metrics (when they are served on this port), the OpenAPI
/// document and the stylesheet.
struct OperationsRoutes: Sendable {
    let database: MutualDatabase
    /// `/metrics` on the main port (token-guarded), or nil when it is off here (404).
    let metrics: MetricsEndpoint?
    let openAPIDocument: ByteBuffer
    let stylesheet: ByteBuffer

    func register(on routes: RouteTable) {
        routes.open(.get, "/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        routes.open(.get, "/readyz") { _, _ in
            let ready = await database.isReachable()
            return Response(
                status: ready ? .ok : .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: ready ? "ready\n" : "database unreachable\n")))
        }
        if let metrics {
            routes.open(.get, "/metrics") { request, _ in await metrics.respond(to: request) }
        }
        routes.open(.get, "/api/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: openAPIDocument))
        }
        routes.open(.get, "/static/app.css") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                body: .init(byteBuffer: stylesheet))
        }
    }
}
