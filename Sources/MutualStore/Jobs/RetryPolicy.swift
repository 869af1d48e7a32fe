import Foundation

/// How often a kind of job is tried and how long it waits between tries.
public struct RetryPolicy: Sendable, Equatable {
    /// Tries in all, the first included.
    public var maxAttempts: Int
    /// The wait after the first failure; each later failure doubles it, up to `maximumDelay`.
    public var baseDelay: TimeInterval
    public var maximumDelay: TimeInterval

    public init(maxAttempts: Int, baseDelay: TimeInterval, maximumDelay: TimeInterval) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
    }

    /// The wait after failed attempt number `attempt` (1 for the first).
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let doublings = Double(max(0, min(attempt - 1, 30)))
        return min(maximumDelay, baseDelay * pow(2, doublings))
    }

    /// Emails: an unreachable server is retried for about a day (5 s, 10 s, 20 s … then hourly).
    public static let email = RetryPolicy(maxAttempts: 30, baseDelay: 5, maximumDelay: 3600)
    /// A match run is reproducible, so it is safe to run again; three tries, then it is failed.
    public static let matchRun = RetryPolicy(maxAttempts: 3, baseDelay: 10, maximumDelay: 300)
    /// Event consumers and chores.
    public static let standard = RetryPolicy(maxAttempts: 10, baseDelay: 2, maximumDelay: 600)
}
