import Foundation
import MutualMatching

/// Time zones from the system's time-zone database, for reading people files.
///
/// `MutualMatching` has no Foundation, so its own ``TimeZoneParser`` knows offsets and the
/// common IANA names only; the profile editor, the importer and `mutual match` use this
/// lookup instead so that every IANA name (America/Montevideo, Asia/Kathmandu, …) reads.
public enum SystemTimeZones {
    /// A fixed reference instant (1 January 2026), so results do not drift with the date a
    /// file happens to be read.
    static let reference = Date(timeIntervalSince1970: 1_767_225_600)

    /// The standard-time offset in minutes of an IANA name, falling back to ``TimeZoneParser``
    /// for offsets such as `UTC+2`; nil when neither knows the text.
    ///
    /// Standard time, like ``TimeZoneParser``: daylight saving moves a region together, so
    /// working-hour overlaps barely change, and a file reads the same in July as in January.
    @Sendable public static func standardOffsetMinutes(_ name: String) -> Int? {
        if let zone = TimeZone(identifier: name) {
            let seconds = zone.secondsFromGMT(for: reference) - Int(zone.daylightSavingTimeOffset(for: reference))
            return seconds / 60
        }
        return TimeZoneParser.offsetMinutes(name)
    }
}
