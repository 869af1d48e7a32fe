import Foundation

/// How often the members of a relationship meet: the agreement's structured choice, from which a
/// series of meetings is scheduled in one step.
public struct MeetingCadence: Sendable, Equatable, Hashable {
    public enum Interval: String, Sendable, Codable, CaseIterable {
        case weekly
        case fortnightly
        case threeWeekly = "three_weekly"
        case monthly
        /// Every `days` days (1–90).
        case custom

        public var label: String {
            switch self {
            case .weekly: "Weekly"
            case .fortnightly: "Fortnightly (every two weeks)"
            case .threeWeekly: "Every three weeks"
            case .monthly: "Monthly"
            case .custom: "Custom: every so many days"
            }
        }
    }

    public static let customDays = 1...90

    public let interval: Interval
    /// The custom interval in days; 0 for the named intervals.
    public let days: Int

    public init(_ interval: Interval, days: Int = 0) {
        self.interval = interval
        self.days = interval == .custom ? days : 0
    }

    /// The stored pair (`relationships.cadence_interval`, `cadence_days`); `nil` when none is
    /// chosen or the stored value is not one Mutual knows.
    public init?(stored interval: String, days: Int) {
        guard let known = Interval(rawValue: interval) else { return nil }
        if known == .custom, !Self.customDays.contains(days) { return nil }
        self.init(known, days: days)
    }

    /// In words, for pages and emails: "Fortnightly (every two weeks)", "Every 10 days".
    public var description: String {
        interval == .custom ? (days == 1 ? "Every day" : "Every \(days) days") : interval.label
    }

    /// The start of the `occurrence`-th meeting of a series (0 is the first) in `zone`, so a
    /// weekly 10:00 stays at 10:00 local time across a daylight-saving change, and a monthly one
    /// on the 31st falls on the last day of shorter months.
    public func start(of occurrence: Int, after first: Date, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let component: (Calendar.Component, Int) =
            switch interval {
            case .weekly: (.day, 7 * occurrence)
            case .fortnightly: (.day, 14 * occurrence)
            case .threeWeekly: (.day, 21 * occurrence)
            case .monthly: (.month, occurrence)
            case .custom: (.day, days * occurrence)
            }
        return calendar.date(byAdding: component.0, value: component.1, to: first) ?? first
    }

    /// Reads an agreement's or programme's free-text cadence as one of the structured choices
    /// when it clearly is one ("every two weeks, 45 minutes" → fortnightly); `nil` otherwise.
    /// Used by migration 019 for agreements written before the choice existed, and to start a new
    /// relationship's choice from its programme's words.
    public static func interpret(_ text: String) -> MeetingCadence? {
        let words = text.lowercased()
            .replacingOccurrences(of: "-", with: " ")
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map(String.init)
        let phrase = " " + words.joined(separator: " ") + " "
        func has(_ candidates: [String]) -> Bool { candidates.contains { phrase.contains(" \($0) ") } }
        if has(["fortnightly", "biweekly", "bi weekly", "every two weeks", "every 2 weeks", "every other week", "twice a month", "twice monthly"]) {
            return MeetingCadence(.fortnightly)
        }
        if has(["every three weeks", "every 3 weeks", "three weekly", "3 weekly"]) { return MeetingCadence(.threeWeekly) }
        if has(["weekly", "every week", "once a week", "each week"]) { return MeetingCadence(.weekly) }
        if has(["monthly", "every month", "once a month", "each month"]) { return MeetingCadence(.monthly) }
        return nil
    }
}
