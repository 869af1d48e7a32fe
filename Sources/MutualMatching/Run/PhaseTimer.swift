/// Milliseconds per phase of a run, reported to the progress observer as each phase ends.
struct PhaseTimer {
    let clock = ContinuousClock()
    var start: ContinuousClock.Instant
    var timings: [(MatchPhase, Int)]
    let progress: (@Sendable (MatchPhase, Double) -> Void)?

    init(timings: [(MatchPhase, Int)] = [], progress: (@Sendable (MatchPhase, Double) -> Void)?) {
        start = clock.now
        self.timings = timings
        self.progress = progress
    }

    mutating func end(_ phase: MatchPhase) {
        let elapsed = start.duration(to: clock.now)
        timings.append((phase, Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)))
        progress?(phase, 1)
        start = clock.now
    }
}
