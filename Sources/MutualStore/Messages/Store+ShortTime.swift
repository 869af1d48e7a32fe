import FluentKit
import Foundation

extension Store {
    /// "Mon 7 Dec, 10:05" in `zone`: how threads and lists show a time.
    public static func shortTime(_ date: Date, in zone: TimeZone) -> String {
        digestTime(date, in: zone)
    }
}
