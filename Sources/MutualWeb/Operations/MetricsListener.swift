import Hummingbird
import Logging
import ServiceLifecycle

/// The separate listener for `/metrics` (`MUTUAL_METRICS_PORT`): a small application of its own on
/// the server's host, run as one of the main application's services, so it starts and stops
/// with the server. It answers `/metrics` and nothing else (404).
enum MetricsListener {
    static func make(
        host: String, port: Int, endpoint: MetricsEndpoint, address: ListenerAddress, logger: Logger
    ) -> some Service {
        let router = Router()
        router.get("/metrics") { request, _ in await endpoint.respond(to: request) }
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "Mutual metrics"),
            onServerRunning: { channel in
                address.record(port: channel.localAddress?.port)
                logger.info("Metrics are served on their own port", metadata: ["address": "\(channel.localAddress?.description ?? "?")"])
            },
            logger: logger)
    }
}
