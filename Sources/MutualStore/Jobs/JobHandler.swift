/// The code that does one kind of job.
public struct JobHandler: Sendable {
    public let kind: String
    /// How long to wait after a failure (the number of tries is stored with each job).
    public let policy: RetryPolicy
    public let run: @Sendable (ClaimedJob) async throws -> JobOutcome
    /// Called once when the job is given up for good, with the reason (a match run is marked
    /// failed, say), so nothing waits for it forever.
    public let giveUp: @Sendable (ClaimedJob, String) async -> Void

    public init(
        kind: String, policy: RetryPolicy = .standard, run: @escaping @Sendable (ClaimedJob) async throws -> JobOutcome,
        giveUp: @escaping @Sendable (ClaimedJob, String) async -> Void = { _, _ in }
    ) {
        self.kind = kind
        self.policy = policy
        self.run = run
        self.giveUp = giveUp
    }
}
