/// How good a finished run's proposal is known to be. The run row and the engine's JSON carry
/// the raw value (`status` in the JSON, `optimality` on the row).
public enum RunOptimality: String, Codable, Sendable, CaseIterable {
    /// The total equals the engine's upper bound: proven best possible for the pool.
    case optimal
    /// The total is below the upper bound by the certified gap (``RunResult/gapMillipercent``).
    case gap
    /// Group formation: good groups found by search, with no bound claimed.
    case heuristic
    /// Edited by hand past the engine's bound (scores recomputed with today's profiles, or a
    /// pair a re-run kept was unlocked and swapped): no bound and no proof apply any more.
    case edited

    /// Whether the run's upper bound is a bound for its total, so a page may show both.
    public var hasBound: Bool { self == .optimal || self == .gap }
}
