import Foundation

/// Due dates are days, not instants: stored as midnight UTC of the day and written as
/// `YYYY-MM-DD` everywhere a person or client sees them.
public enum GoalDates {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Midnight UTC of a `YYYY-MM-DD` day; the message names the field and shows the format.
    public static func day(_ text: String, field: String, label: String) throws -> Date {
        let checked = try Store.isoDate(text, field: field, label: label, required: true)
        let parts = checked.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else {
            throw StoreError.invalid(field: field, message: "\"\(text)\" is not a date; write \(label) as YYYY-MM-DD, like 2027-01-31.")
        }
        return date
    }

    /// `YYYY-MM-DD` of a stored due day.
    public static func text(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// Midnight UTC of the day `now` falls on: a milestone due before it is overdue.
    public static func startOfDay(_ now: Date) -> Date { calendar.startOfDay(for: now) }
}
