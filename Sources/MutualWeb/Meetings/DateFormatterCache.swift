import Foundation
import Synchronization

/// `DateFormatter`s kept by (time zone, pattern, locale), so a page that lists forty meetings
/// does not build eighty formatters (building one loads locale and calendar data; using one is
/// cheap). Formatting happens under the lock: a `DateFormatter` is not `Sendable`, and the
/// work done while holding it is one short format or parse.
///
/// The keys are bounded by the zones people use times the few patterns of ``MeetingTimeText``;
/// should that ever pass ``limit`` (a flood of odd offset zones), the cache starts over.
final class DateFormatterCache: Sendable {
    struct Key: Hashable {
        let zone: TimeZone
        let pattern: String
        let locale: String
        let lenient: Bool
    }

    static let shared = DateFormatterCache()
    static let limit = 512

    private let formatters = Mutex<[Key: DateFormatter]>([:])

    /// How many formatters are kept (for tests).
    var count: Int { formatters.withLock { $0.count } }

    /// `date` in `zone` written with `pattern`.
    func string(from date: Date, zone: TimeZone, pattern: String, locale: String) -> String {
        withFormatter(Key(zone: zone, pattern: pattern, locale: locale, lenient: true)) { $0.string(from: date) }
    }

    /// `text` read with `pattern` in `zone`, strictly (not leniently), and only when writing the
    /// date back gives `text` again (so "2026-02-30T10:00" is not read as 2 March).
    func strictDate(from text: String, zone: TimeZone, pattern: String, locale: String) -> Date? {
        withFormatter(Key(zone: zone, pattern: pattern, locale: locale, lenient: false)) { formatter in
            guard let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
            return date
        }
    }

    private func withFormatter<Result: Sendable>(_ key: Key, _ body: (DateFormatter) -> Result) -> Result {
        formatters.withLock { formatters in
            if let formatter = formatters[key] { return body(formatter) }
            if formatters.count >= Self.limit { formatters.removeAll() }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: key.locale)
            formatter.timeZone = key.zone
            formatter.dateFormat = key.pattern
            if !key.lenient { formatter.isLenient = false }
            formatters[key] = formatter
            return body(formatter)
        }
    }
}
