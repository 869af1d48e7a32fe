import Foundation

/// A day of the proleptic Gregorian calendar in UTC, computed from a `Date` by integer
/// arithmetic (days since 1970, then era, year of era and day of year). Feedback figures label
/// tens of thousands of answers with their month on every dashboard view, and a `Calendar`
/// lookup per answer cost more than reading the answers.
public struct UTCDay: Sendable, Hashable {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(_ date: Date) {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        // Days counted from 0000-03-01, so a leap day falls at the end of its year.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// `YYYY-MM`.
    public var monthLabel: String { Self.padded(year, 4) + "-" + Self.padded(month, 2) }

    /// `YYYY-MM-DD`.
    public var iso: String { monthLabel + "-" + Self.padded(day, 2) }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
