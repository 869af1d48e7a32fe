import Foundation

/// Meeting times in words, in a given person's time zone, the same on every page and email:
/// "Tuesday 8 December 2026, 10:00–10:45 (Europe/Berlin)".
enum MeetingTimeText {
    static func describe(_ start: Date, durationMinutes: Int, in zone: TimeZone) -> String {
        let end = start.addingTimeInterval(TimeInterval(durationMinutes * 60))
        let endText = calendar(zone).isDate(start, inSameDayAs: end) ? clock(end, zone) : "\(day(end, zone)) \(clock(end, zone))"
        return "\(day(start, zone)), \(clock(start, zone))–\(endText) (\(zone.identifier))"
    }

    /// "Tuesday 8 December 2026".
    static func day(_ date: Date, _ zone: TimeZone) -> String {
        format(date, zone, "EEEE d MMMM yyyy")
    }

    /// "10:00".
    static func clock(_ date: Date, _ zone: TimeZone) -> String {
        format(date, zone, "HH:mm")
    }

    /// The value an `<input type="datetime-local">` shows for `date` in `zone`: "2026-12-08T10:00".
    static func localInputValue(_ date: Date, _ zone: TimeZone) -> String {
        format(date, zone, "yyyy-MM-dd'T'HH:mm")
    }

    /// Reads a form's start: RFC 3339 with an offset or `Z` (what the suggested slots send), or a
    /// local `YYYY-MM-DDTHH:MM` from a date-time field, read in the person's zone. A local time
    /// the clocks skip (a spring-forward gap) is refused, since it never happens there.
    static func parseStart(_ text: String, in zone: TimeZone) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let instant = try? Date(text, strategy: .iso8601) { return instant }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let instant = try? fractional.parse(text) { return instant }
        for pattern in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"] {
            if let date = DateFormatterCache.shared.strictDate(from: text, zone: zone, pattern: pattern, locale: "en_US_POSIX") { return date }
        }
        return nil
    }

    private static func calendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// Through the shared cache: one formatter per zone and pattern, not one per call.
    private static func format(_ date: Date, _ zone: TimeZone, _ pattern: String) -> String {
        DateFormatterCache.shared.string(from: date, zone: zone, pattern: pattern, locale: "en_GB")
    }
}
