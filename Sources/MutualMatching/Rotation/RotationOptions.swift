/// How a rotation round is formed.
public struct RotationOptions: Sendable, Hashable {
    /// Forbid every previous partner outright; whoever cannot then be placed is reported.
    public var zeroRepeats: Bool
    /// The cost of repeating last round's partner, in percent (older rounds cost less; see
    /// ``RoundHistory``). Ignored with ``zeroRepeats``.
    public var repeatPenaltyPercent: Int
    /// Group sizes; `nil` forms pairs.
    public var groups: GroupOptions?
    /// Seed for pairs (groups carry their own in ``groups``).
    public var seed: UInt64

    /// The accepted ``repeatPenaltyPercent`` values: 0 (repeats cost nothing) to 1,000 (a repeat
    /// with last round's partner costs ten times a good pair's value, so it happens only when
    /// nothing else is possible). Beyond that the cost arithmetic would gain nothing and could overflow.
    public static let repeatPenaltyRange = 0...1_000

    /// Why `percent` is not an acceptable repeat penalty, in words for the command line and the
    /// server; `nil` when it is.
    public static func repeatPenaltyProblem(_ percent: Int) -> String? {
        guard !repeatPenaltyRange.contains(percent) else { return nil }
        return "--repeat-penalty must be a whole percent from \(repeatPenaltyRange.lowerBound) to \(repeatPenaltyRange.upperBound) "
            + "(80 by default: repeating last round's partner costs 80 % of a good pair's value); \(percent) is "
            + (percent < 0 ? "negative" : "too large")
    }

    public init(zeroRepeats: Bool = false, repeatPenaltyPercent: Int = 80, groups: GroupOptions? = nil, seed: UInt64 = 0) {
        self.zeroRepeats = zeroRepeats
        self.repeatPenaltyPercent = repeatPenaltyPercent
        self.groups = groups
        self.seed = seed
    }
}
