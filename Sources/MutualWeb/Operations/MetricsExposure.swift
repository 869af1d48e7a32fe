/// Where `/metrics` is served, decided from `MUTUAL_METRICS_TOKEN` and `MUTUAL_METRICS_PORT`.
/// Metrics say what the server does and for whom (routes, volumes, queue health), so they are
/// never open on the port the public reaches unless a token guards them.
enum MetricsExposure: Sendable, Equatable {
    /// Neither is set: `/metrics` answers 404 and the start-up log says how to turn it on.
    case off
    /// Only the token is set: `/metrics` on the main port, to requests that carry it.
    case mainPortWithToken
    /// The port is set: a listener of its own on the server's host (asking for the token too
    /// when one is set), and nothing on the main port.
    case separatePort(Int)

    init(token: String?, port: Int?) {
        if let port {
            self = .separatePort(port)
        } else if token != nil {
            self = .mainPortWithToken
        } else {
            self = .off
        }
    }

    /// The start-up line for a server whose metrics are off.
    static let howToTurnOn =
        "/metrics is off (it answers 404). Set MUTUAL_METRICS_TOKEN to serve it on this port to requests with `Authorization: Bearer <token>`, or MUTUAL_METRICS_PORT to serve it on a port of its own (see docs/operations.md)."
}
