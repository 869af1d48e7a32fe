import Foundation

/// How a KPI stands against its target.
public enum KPIStatus: String, Codable, Sendable, CaseIterable {
    case onTrack = "on_track"
    case atRisk = "at_risk"
    case offTrack = "off_track"
    /// Mutual computes the measure but has nothing to compute it from yet.
    case noData = "no_data"
    /// The KPI names nothing Mutual records; it is shown with its target only.
    case notMeasured = "not_measured"

    public var label: String {
        switch self {
        case .onTrack: "On track"
        case .atRisk: "At risk"
        case .offTrack: "Off track"
        case .noData: "No data yet"
        case .notMeasured: "Not measured by Mutual"
        }
    }

    /// The status of a value against a target (already scaled to the part of the cycle that
    /// has passed). Within 10 % of the target, or below it while the target is still inside the
    /// value's 95 % interval, is "at risk": the shortfall may be chance.
    public static func of(_ measured: MeasuredValue, against target: Double, comparison: KPI.Comparison) -> KPIStatus {
        guard let value = measured.value else { return .noData }
        let intervalReaches: Bool
        switch comparison {
        case .atLeast:
            if value >= target { return .onTrack }
            intervalReaches = measured.interval.map { $0.high * 100 >= target } ?? false
            return value >= target * 0.9 || intervalReaches ? .atRisk : .offTrack
        case .atMost:
            if value <= target { return .onTrack }
            intervalReaches = measured.interval.map { $0.low * 100 <= target } ?? false
            return value <= target * 1.1 || intervalReaches ? .atRisk : .offTrack
        }
    }
}
