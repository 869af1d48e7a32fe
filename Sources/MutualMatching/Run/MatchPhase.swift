/// The phases of a run, reported to progress observers and in `timings`.
public enum MatchPhase: String, Sendable, CaseIterable {
    case read, candidates, solve, pricing, bound, explain
}
