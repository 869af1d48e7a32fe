import Foundation

/// The pages' dates: British order, in UTC (the pages say so), one pattern per use.
enum UTCDateFormatter {
    static func make(_ pattern: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter
    }
}
