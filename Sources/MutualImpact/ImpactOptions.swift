/// How an impact estimate is computed.
public struct ImpactOptions: Sendable, Hashable {
    /// Bootstrap resamples for the interval; 1,000 gives a stable 95 % percentile interval.
    public var bootstrapReplicates: Int
    /// The seed of the bootstrap; the same seed gives the same interval.
    public var seed: UInt64
    /// |SMD| at or above this is flagged as imbalance (the usual rule of thumb).
    public var imbalanceThreshold: Double

    public init(bootstrapReplicates: Int = 1000, seed: UInt64 = 1, imbalanceThreshold: Double = 0.1) {
        self.bootstrapReplicates = max(0, bootstrapReplicates)
        self.seed = seed
        self.imbalanceThreshold = imbalanceThreshold
    }
}
