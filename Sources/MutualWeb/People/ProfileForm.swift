import Foundation
import MutualStore

/// Reads the profile edit form (and the API's profile body) into a `ProfileUpdate`, with a
/// message naming the field for anything that is not even the right shape.
enum ProfileForm {
    /// Splits a comma- or semicolon-separated list as people type it.
    static func list(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == "," || $0 == ";" || $0 == "\n" })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    static func integer(_ text: String?, field: String, label: String) throws -> Int? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        guard let value = Int(trimmed) else {
            throw StoreError.invalid(field: field, message: "\(label) must be a whole number, not \"\(trimmed)\".")
        }
        return value
    }

    /// Pairs of skill and level rows; rows without a skill are ignored, a skill without a level
    /// is an error naming the row.
    static func skillRows(skills: [String], levels: [String], field: String) throws -> [(skill: String, level: Int)] {
        var rows: [(skill: String, level: Int)] = []
        for (index, skill) in skills.enumerated() {
            let name = skill.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { continue }
            let levelText = index < levels.count ? levels[index] : ""
            guard let level = try integer(levelText, field: "\(field)[\(index)]", label: "The level of \(name)") else {
                throw StoreError.invalid(field: "\(field)[\(index)]", message: "Choose a level for \(name).")
            }
            rows.append((name, level))
        }
        return rows
    }

    static func availability(days: [String], starts: [String], ends: [String]) throws -> [AvailabilityWindow] {
        var windows: [AvailabilityWindow] = []
        for (index, day) in days.enumerated() {
            let start = index < starts.count ? starts[index] : ""
            let end = index < ends.count ? ends[index] : ""
            if day.isEmpty && start.isEmpty && end.isEmpty { continue }
            guard let weekday = Int(day), let startMinute = AvailabilityWindow.minutes(start), let endMinute = AvailabilityWindow.minutes(end) else {
                throw StoreError.invalid(
                    field: "availability[\(index)]", message: "Each availability row needs a day, a start and an end time (HH:MM).")
            }
            windows.append(AvailabilityWindow(weekday: weekday, startMinute: startMinute, endMinute: endMinute))
        }
        return windows
    }
}
