import Foundation

/// A weekly window when someone can meet, in their own time zone: e.g. Tuesday 09:00–11:30.
public struct AvailabilityWindow: Sendable, Codable, Equatable, Hashable {
    /// 1 = Monday … 7 = Sunday (ISO 8601).
    public var weekday: Int
    /// Minutes after local midnight.
    public var startMinute: Int
    public var endMinute: Int

    public init(weekday: Int, startMinute: Int, endMinute: Int) {
        self.weekday = weekday
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    public static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    /// Reads `HH:MM` (24-hour).
    public static func minutes(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]),
            (0...24).contains(hours), (0...59).contains(minutes), hours * 60 + minutes <= 24 * 60
        else { return nil }
        return hours * 60 + minutes
    }

    public static func clock(_ minutes: Int) -> String {
        String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    public var description: String {
        "\(Self.weekdayNames[max(0, min(6, weekday - 1))]) \(Self.clock(startMinute))–\(Self.clock(endMinute))"
    }

    static func decodeList(_ json: String) -> [AvailabilityWindow] {
        guard !json.isEmpty, let data = json.data(using: .utf8) else { return [] }
        return (try? JSONDecoder().decode([AvailabilityWindow].self, from: data)) ?? []
    }

    static func encodeList(_ windows: [AvailabilityWindow]) -> String {
        guard !windows.isEmpty, let data = try? JSONEncoder().encode(windows) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
