import Foundation
import MutualStore

/// The run page's words for a run's total and what is known about it. A bound is shown only
/// when it bounds the total shown, and an edited proposal never reads as proven best.
enum RunQualityText {
    static func quality(_ run: MatchRunSummary) -> String {
        let gap = String(format: "%.3f", run.gapPercent)
        switch (run.optimality, run.isEditedByHand) {
        case (.optimal?, false): return "Proven best possible for this pool"
        case (.gap?, false): return "Within \(gap) % of the best possible"
        case (.optimal?, true), (.gap?, true): return "Edited by hand: within \(gap) % of the run's upper bound (no longer the engine's proven result)"
        case (.heuristic?, _): return "Good groups found by search; no bound on the best possible is claimed"
        case (.edited?, _): return "Edited by hand: the run's upper bound no longer applies, so nothing is claimed about the best possible"
        case (nil, _): return ""
        }
    }

    static func total(_ run: MatchRunSummary) -> String {
        let total = Store.grouped(run.totalWeight)
        return run.optimality?.hasBound == true ? "\(total) (upper bound \(Store.grouped(run.upperBound)))" : total
    }
}
