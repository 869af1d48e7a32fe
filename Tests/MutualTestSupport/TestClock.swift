import Foundation
import MutualStore

/// A clock tests can move forward, to reach expiries and rate-limit windows without waiting.
public final class TestClock: @unchecked Sendable {
    private var current: Date
    private let lock = NSLock()

    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = start
    }

    public var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func advance(by interval: TimeInterval) {
        lock.lock()
        current = current.addingTimeInterval(interval)
        lock.unlock()
    }

    public var mutualClock: MutualClock {
        MutualClock { [self] in self.now }
    }
}
