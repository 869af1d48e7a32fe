// TEMPORARY stand-in for the meetings core (lead, main); replaced by main's file at merge.
import Foundation

enum MeetingTimeText {
    static func describe(_ start: Date, durationMinutes: Int, in zone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = zone
        formatter.dateFormat = "EEEE d MMMM yyyy, HH:mm"
        return "\(formatter.string(from: start)) (\(zone.identifier))"
    }
    static func zone(for name: String) -> TimeZone { TimeZone(identifier: name) ?? TimeZone(identifier: "UTC")! }
}
