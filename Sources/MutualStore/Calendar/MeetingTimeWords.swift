import Foundation

/// A meeting's time in words for an email, in the reader's own time zone:
/// "Tuesday 8 December 2026, 10:00–10:45 (Europe/Berlin)". (The pages use the web layer's
/// `MeetingTimeText`, which words times the same way.)
enum MeetingTimeWords {
    static func describe(_ start: Date, durationMinutes: Int, timeZoneName: String) -> String {
        let zone = Store.timeZone(named: timeZoneName)
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_GB")
        day.calendar = Calendar(identifier: .gregorian)
        day.timeZone = zone
        day.dateFormat = "EEEE d MMMM yyyy, HH:mm"
        let time = DateFormatter()
        time.locale = day.locale
        time.calendar = day.calendar
        time.timeZone = zone
        time.dateFormat = "HH:mm"
        let end = start.addingTimeInterval(TimeInterval(durationMinutes) * 60)
        return "\(day.string(from: start))–\(time.string(from: end)) (\(zone.identifier))"
    }
}
