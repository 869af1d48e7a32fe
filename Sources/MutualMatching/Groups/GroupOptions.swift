/// How a group formation run is carried out. The programme's rules (``MatchRules``) say what
/// is allowed and what a good match is; these say what shape the groups take and how hard the
/// search tries.
public struct GroupOptions: Sendable, Hashable {
    /// Allowed group sizes, e.g. `4...6`.
    public var sizeRange: ClosedRange<Int>
    /// Seeds every random choice; the same seed gives the same groups (see ``timeBudget``).
    public var seed: UInt64
    /// A safety cap on the search's wall-clock time. The search normally stops after a fixed
    /// amount of work (so results are reproducible); when the cap cuts it short the result says
    /// so in ``GroupResult/stoppedByTimeBudget`` and may then differ between machines.
    public var timeBudget: Duration?
    /// Local-search steps per person (`nil`: chosen from the pool size). More is slower and better.
    public var stepsPerPerson: Int?
    /// Independent searches with different seeds (run in parallel) for pools small enough to
    /// be searched whole; the best by (objective, restart number) wins, so the count of cores
    /// never changes the answer.
    public var restarts: Int
    /// Pools larger than this are cut into shards of compatible people (similar level and
    /// time zone) that are searched independently in parallel.
    public var shardSize: Int
    /// Percentage points a group's score gains when its members' main skill families all differ.
    public var skillFamilyDiversityWeight: Int
    /// Run the fairness phase that lifts the worst group when a swap or move can.
    public var protectWorstGroup: Bool
    /// The most the fairness phase's polish may lower the total objective, in percent.
    public var fairnessTolerancePercent: Int
    /// The most the fairness phase's rescue of a group far behind the rest (below half the
    /// mean) may lower the total objective, in percent (0 turns the rescue off; see ``GroupFairness``).
    public var rescueTolerancePercent: Int
    /// The work the fairness phase's chain search may do, in group evaluations (0 turns it
    /// off; see ``GroupBottleneckSearch``). It is spent once per pass of the phase.
    public var fairnessChainEvaluations: Int

    public init(
        sizeRange: ClosedRange<Int> = 4...6, seed: UInt64 = 0, timeBudget: Duration? = nil, stepsPerPerson: Int? = nil,
        restarts: Int = 4, shardSize: Int = 1_200, skillFamilyDiversityWeight: Int = 10, protectWorstGroup: Bool = true,
        fairnessTolerancePercent: Int = 2, rescueTolerancePercent: Int = 30, fairnessChainEvaluations: Int = 200_000
    ) {
        self.sizeRange = sizeRange
        self.seed = seed
        self.timeBudget = timeBudget
        self.stepsPerPerson = stepsPerPerson
        self.restarts = restarts
        self.shardSize = shardSize
        self.skillFamilyDiversityWeight = skillFamilyDiversityWeight
        self.protectWorstGroup = protectWorstGroup
        self.fairnessTolerancePercent = fairnessTolerancePercent
        self.fairnessChainEvaluations = fairnessChainEvaluations
        self.rescueTolerancePercent = rescueTolerancePercent
    }

    /// Parses a size option such as `5` or `4-6` (also `4–6` and `4...6`); `nil` when invalid.
    public static func parseSizeRange(_ text: String) -> ClosedRange<Int>? {
        let separators: [String] = ["...", "–", "-", ".."]
        for separator in separators {
            let parts = text.split(separator: separator, omittingEmptySubsequences: false)
            if parts.count == 2 {
                guard let low = Int(String(parts[0]).trimmingSpaces()), let high = Int(String(parts[1]).trimmingSpaces()),
                      low >= 2, high >= low, high <= 50 else { return nil }
                return low...high
            }
        }
        guard let size = Int(text.trimmingSpaces()), (2...50).contains(size) else { return nil }
        return size...size
    }
}
