import Foundation
import Synchronization

/// The port a listener bound, known once it is running (a listener asked for port 0 gets a
/// free one). Tests use it to reach the separate metrics listener.
public final class ListenerAddress: Sendable {
    private let bound = Mutex<Int?>(nil)

    init() {}

    func record(port: Int?) {
        bound.withLock { $0 = port }
    }

    /// The bound port, waiting up to `timeout` for the listener to start.
    public func port(timeout: Duration = .seconds(10)) async throws -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if let port = bound.withLock({ $0 }) { return port }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ConfigurationError("The listener did not start within \(timeout).")
    }
}
