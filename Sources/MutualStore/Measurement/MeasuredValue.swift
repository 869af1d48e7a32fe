import Foundation

/// A measure's value at one moment: the figure, and for a share its count out of a total and
/// its 95 % Wilson interval; or nothing, with the reason ("no relationships yet", "3 more
/// respondents needed").
public struct MeasuredValue: Sendable, Equatable {
    /// The figure in the measure's unit (a share in percent, 0–100); nil when there is no data.
    public let value: Double?
    /// For a share: how many of how many.
    public let count: Int?
    public let total: Int?
    /// For a share: the 95 % interval, in percent.
    public let interval: WilsonInterval?
    /// Why there is no value, or what the value stands on, in a sentence.
    public let note: String

    public static func share(_ count: Int, of total: Int, none: String) -> MeasuredValue {
        guard total > 0 else { return MeasuredValue(value: nil, count: nil, total: nil, interval: nil, note: none) }
        return MeasuredValue(
            value: 100 * Double(count) / Double(total), count: count, total: total,
            interval: WilsonInterval(successes: count, trials: total), note: "\(count) of \(total)")
    }

    public static func number(_ value: Double, note: String) -> MeasuredValue {
        MeasuredValue(value: value, count: nil, total: nil, interval: nil, note: note)
    }

    public static func missing(_ why: String) -> MeasuredValue {
        MeasuredValue(value: nil, count: nil, total: nil, interval: nil, note: why)
    }
}
