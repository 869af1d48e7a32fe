import MutualStore

/// Reads `duration_minutes` for "Find a time" (the page and the API alike): 45 when it is left
/// out, otherwise one of ``Store/slotDurations`` (15 to 240 in steps of 15).
enum SlotDuration {
    static let defaultMinutes = 45

    /// The minutes asked for, or nil when the text is not a number ``Store/slotDurations`` holds.
    static func minutes(_ text: String?) -> Int? {
        guard let text, !text.isEmpty else { return defaultMinutes }
        guard let minutes = Int(text), Store.slotDurations.contains(minutes) else { return nil }
        return minutes
    }

    /// What to say about text that ``minutes(_:)`` refused.
    static func refusal(_ text: String?) -> StoreError {
        .invalid(
            field: "duration_minutes",
            message: "duration_minutes must be a number of minutes from 15 to 240 in steps of 15 (for example 30, 45 or 60), not \"\(text ?? "")\".")
    }

    /// "45 minutes", "1 hour", "1 hour 30 minutes".
    static func label(_ minutes: Int) -> String {
        let hours = minutes / 60
        let rest = minutes % 60
        let hourText = hours == 0 ? "" : hours == 1 ? "1 hour" : "\(hours) hours"
        let minuteText = rest == 0 ? "" : "\(rest) minutes"
        return [hourText, minuteText].filter { !$0.isEmpty }.joined(separator: " ")
    }
}
