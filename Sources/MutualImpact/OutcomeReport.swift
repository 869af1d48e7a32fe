/// Everything the impact report says about one outcome. The top-level figures are
/// intention-to-treat (every participant); `completers` repeats them for participants who
/// completed, against the same never-participants.
public struct OutcomeReport: Sendable, Hashable, Codable {
    public var outcome: String
    public var kind: OutcomeKind
    public var intentionToTreat: OutcomeEstimate
    /// `nil` when completion is known for nobody.
    public var completers: OutcomeEstimate?
    /// A plain-language paragraph for a reader who is not a statistician.
    public var summary: String
    /// What the figures cannot show, in plain words.
    public var caveats: [String]

    public init(
        outcome: String, kind: OutcomeKind, intentionToTreat: OutcomeEstimate, completers: OutcomeEstimate?,
        summary: String, caveats: [String]
    ) {
        self.outcome = outcome
        self.kind = kind
        self.intentionToTreat = intentionToTreat
        self.completers = completers
        self.summary = summary
        self.caveats = caveats
    }

    enum CodingKeys: String, CodingKey {
        case outcome, kind, completers, summary, caveats
    }

    /// The flat shape: `{"outcome", "participants", "controls", "raw_difference",
    /// "effect", "ci_low", "ci_high", "balance", …}` with the intention-to-treat figures at
    /// the top and the completers' in `completers`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(kind, forKey: .kind)
        try intentionToTreat.encode(to: encoder)
        try container.encode(completers, forKey: .completers)
        try container.encode(summary, forKey: .summary)
        try container.encode(caveats, forKey: .caveats)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        outcome = try container.decode(String.self, forKey: .outcome)
        kind = try container.decode(OutcomeKind.self, forKey: .kind)
        intentionToTreat = try OutcomeEstimate(from: decoder)
        completers = try container.decodeIfPresent(OutcomeEstimate.self, forKey: .completers)
        summary = try container.decode(String.self, forKey: .summary)
        caveats = try container.decode([String].self, forKey: .caveats)
    }
}
