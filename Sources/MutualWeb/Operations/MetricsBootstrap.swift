import Metrics
import Prometheus

/// The process-wide Prometheus registry. swift-metrics can be bootstrapped only once per
/// process, so every application built in the process (tests build many) shares it.
public enum MetricsBootstrap {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
