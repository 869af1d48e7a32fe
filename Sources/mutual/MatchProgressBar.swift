import Foundation
import MutualMatching
import Synchronization

/// A progress bar on standard error that appears only once a run has taken a second, and
/// only on a terminal, so quick runs and piped output stay clean.
final class MatchProgressBar: Sendable {
    private struct State {
        var lastDrawn = ""
        var drawn = false
    }

    private let enabled: Bool
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let state = Mutex(State())

    init(enabled: Bool) {
        self.enabled = enabled && isatty(2) != 0
        start = clock.now
    }

    func update(phase: MatchPhase, fraction: Double) {
        guard enabled, start.duration(to: clock.now) > .seconds(1) else { return }
        let width = 30
        let filled = max(0, min(width, Int(fraction * Double(width))))
        let line = "\r\(phase.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) ["
            + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            + "] \(Int(fraction * 100))%"
        state.withLock { state in
            guard line != state.lastDrawn else { return }
            state.lastDrawn = line
            state.drawn = true
            FileHandle.standardError.write(Data(line.utf8))
        }
    }

    func finish() {
        state.withLock { state in
            if state.drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        }
    }
}
