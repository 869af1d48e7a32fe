import Foundation
import Hummingbird
import MutualStore
import Prometheus

/// Health, readiness, Prometheus metrics, the OpenAPI document and the stylesheet.
struct OperationsRoutes: Sendable {
    let database: MutualDatabase
    let metrics: PrometheusCollectorRegistry
    let openAPIDocument: ByteBuffer
    let stylesheet: ByteBuffer
    /// Brings gauges read from the database (the job queue) up to date before a scrape.
    var refreshGauges: @Sendable () async -> Void = {}

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
        routes.open(.get, "/metrics") { _, _ in
            await refreshGauges()
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
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
