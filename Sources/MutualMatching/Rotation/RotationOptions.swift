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

    public init(zeroRepeats: Bool = false, repeatPenaltyPercent: Int = 80, groups: GroupOptions? = nil, seed: UInt64 = 0) {
        self.zeroRepeats = zeroRepeats
        self.repeatPenaltyPercent = repeatPenaltyPercent
        self.groups = groups
        self.seed = seed
    }
}
