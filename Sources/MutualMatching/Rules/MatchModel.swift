/// The shape of a programme's matching.
public enum MatchModel: String, Sendable, Hashable, CaseIterable {
    /// Mutual pairs: both people teach and learn (reciprocal complementarity).
    case pairs
    /// Accountability buddies: matched on similar wants and interests.
    case buddies
    /// Traditional mentor → mentee with mentor capacities.
    case mentoring
}
