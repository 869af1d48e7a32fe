import Foundation
import MutualMatching

extension Store {
    /// The one way a profile's time-zone text becomes a `TimeZone`, for every page, email, slot
    /// search, series and nudge: an IANA name (`Europe/Lisbon`), or an offset such as `UTC+2`,
    /// `GMT-3` or `UTC+05:30` (which the people import accepts) as a fixed offset; UTC when the
    /// text is empty or neither.
    ///
    /// Before this was one function, finding a slot read `UTC+05:30` as +05:30 while the meeting
    /// pages read it as UTC, so a suggested 10:00 showed as 04:30.
    public static func timeZone(named name: String) -> TimeZone {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if let zone = TimeZone(identifier: trimmed) { return zone }
        if let minutes = TimeZoneParser.offsetMinutes(trimmed), let zone = TimeZone(secondsFromGMT: minutes * 60) { return zone }
        return utc
    }

    private static let utc = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current
}
