/// Milliseconds per phase of a run, reported to the progress observer (if any) as each phase
/// ends. The matching, group and rotation engines all time their phases with it; the group
/// engine names its phases with strings, the others with ``MatchPhase``.
struct PhaseTimer<Phase: Sendable> {
    let clock = ContinuousClock()
    var start: ContinuousClock.Instant
    var timings: [(Phase, Int)]
    let progress: (@Sendable (Phase, Double) -> Void)?

    init(timings: [(Phase, Int)] = [], progress: (@Sendable (Phase, Double) -> Void)? = nil) {
        start = clock.now
        self.timings = timings
        self.progress = progress
    }

    mutating func end(_ phase: Phase) {
        let elapsed = start.duration(to: clock.now)
        timings.append((phase, Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)))
        progress?(phase, 1)
        start = clock.now
    }
}
