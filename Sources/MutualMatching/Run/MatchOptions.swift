/// How a match run is carried out (the rules say *what* is allowed; these say *how hard* to try).
public struct MatchOptions: Sendable {
    public var model: MatchModel
    /// Add pricing rounds until the result is proven optimal for the whole pool.
    public var prove: Bool
    /// Use the fast greedy preview instead of the exact solver.
    public var preview: Bool
    /// Seeds every choice that is not otherwise determined (preview visiting order).
    public var seed: UInt64
    /// Partners kept per person; `nil` uses the rules or grows with the pool.
    public var partnersPerPerson: Int?
    /// Maximum partners scored per person while building candidates.
    public var scanLimit: Int
    /// Pricing rounds before giving up on a proof (the result then reports its gap).
    public var maximumPricingRounds: Int

    public init(model: MatchModel = .pairs, prove: Bool = false, preview: Bool = false, seed: UInt64 = 0,
                partnersPerPerson: Int? = nil, scanLimit: Int = CandidateGenerator.defaultScanLimit,
                maximumPricingRounds: Int = 50) {
        self.model = model
        self.prove = prove
        self.preview = preview
        self.seed = seed
        self.partnersPerPerson = partnersPerPerson
        self.scanLimit = scanLimit
        self.maximumPricingRounds = maximumPricingRounds
    }
}
