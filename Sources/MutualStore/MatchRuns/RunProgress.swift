import FluentKit
import Foundation
import MutualMatching
import SQLKit
import Synchronization

/// What a running match run is doing, in words a programme manager reads while waiting.
public enum RunProgress {
    static let loading = "Loading the enrolled people and their skills"
    static let forming = "Forming groups: trying swaps and moves between groups"
    static let saving = "Saving the result"

    /// The sentence for an engine phase and how much of it is done.
    static func sentence(_ phase: MatchPhase, _ fraction: Double) -> String {
        let percent = Int((min(max(fraction, 0), 1) * 100).rounded())
        return switch phase {
        case .read: "Reading the people"
        case .candidates: "Finding promising partners for everyone (\(percent) %)"
        case .solve: "Finding the best matching of the whole pool"
        case .pricing: "Checking that no better partner was overlooked (\(percent) % of the checks allowed)"
        case .bound: "Working out how close this is to the best possible"
        case .explain: "Writing why each pair was matched"
        }
    }
}

/// Records a run's progress as the engine reports it: one database write per change of
/// sentence, never more often than twice a second, and never after the run finished.
final class RunProgressRecorder: Sendable {
    private let runID: UUID
    private let database: MutualDatabase
    private let last = Mutex<(text: String, at: ContinuousClock.Instant?)>(("", nil))

    init(runID: UUID, database: MutualDatabase) {
        self.runID = runID
        self.database = database
    }

    /// For `MatchEngine.run(progress:)`: called from any thread.
    func report(_ phase: MatchPhase, _ fraction: Double) {
        let text = RunProgress.sentence(phase, fraction)
        let now = ContinuousClock.now
        let due = last.withLock { last -> Bool in
            guard text != last.text else { return false }
            // A new phase is always written; a new percentage in the same phase at most twice a second.
            let samePhase = last.text.prefix(12) == text.prefix(12)
            if samePhase, let at = last.at, at.duration(to: now) < .milliseconds(500) { return false }
            last = (text, now)
            return true
        }
        guard due else { return }
        Task { await self.write(text) }
    }

    /// Writes `text` as the run's progress while it is still running.
    func write(_ text: String) async {
        do {
            try await database.sql().update(MatchRun.schema).set("progress", to: SQLBind(text))
                .where("id", .equal, SQLBind(runID)).where("status", .equal, SQLBind(MatchRun.Status.running.rawValue)).run()
        } catch {
            // Progress is a courtesy: a failed write must not fail the run.
        }
    }
}
