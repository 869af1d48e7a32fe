import Foundation

/// The time as Mutual sees it. Injected so that tests can move it (expiry, rate limits).
public struct MutualClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ read: @escaping @Sendable () -> Date) {
        self.read = read
    }

    public var now: Date { read() }

    /// The real wall clock.
    public static let system = MutualClock { Date() }
}
