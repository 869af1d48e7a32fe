/// The impact report: one entry per outcome, and how it was computed.
public struct ImpactReport: Sendable, Hashable, Codable {
    /// How participants were matched, in words.
    public var method: String
    /// The covariates matched on.
    public var covariates: [String]
    /// How level and time zone were coarsened for matching.
    public var coarsening: Coarsening
    public var bootstrapReplicates: Int
    public var seed: UInt64
    public var outcomes: [OutcomeReport]

    public static let methodDescription =
        "coarsened exact matching on department, level, company and time zone; effect on participants (ATT) with a 95 % stratified bootstrap percentile interval"

    /// The method in words, with the coarsening used.
    public static func method(coarsening: Coarsening) -> String {
        "coarsened exact matching (\(coarsening.description)); effect on participants (ATT) with a 95 % stratified bootstrap percentile interval"
    }
    public static let matchedCovariates = ["department", "level", "company", "time zone"]

    public init(outcomes: [OutcomeReport], options: ImpactOptions, coarsening: Coarsening = .finest) {
        method = Self.method(coarsening: coarsening)
        covariates = Self.matchedCovariates
        self.coarsening = coarsening
        bootstrapReplicates = options.bootstrapReplicates
        seed = options.seed
        self.outcomes = outcomes
    }

    enum CodingKeys: String, CodingKey {
        case method, covariates, coarsening
        case bootstrapReplicates = "bootstrap_replicates"
        case seed, outcomes
    }
}

extension ImpactStudy {
    /// The report for several outcomes, each given as values by external id, in the order given.
    public func report(outcomes: [(name: String, values: [String: Double])], options: ImpactOptions = ImpactOptions()) -> ImpactReport {
        // Each outcome draws from its own generator seeded alike, so an outcome's interval does
        // not change when another outcome is added to the file.
        let reports = outcomes.map { outcome in
            report(outcome: outcome.name, values: values(byID: outcome.values), options: options)
        }
        return ImpactReport(outcomes: reports, options: options, coarsening: coarsening)
    }
}
