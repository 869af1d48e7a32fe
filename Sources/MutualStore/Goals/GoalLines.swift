import Foundation

/// Turns a goals text (the agreement's or the enrolment's, written freely) into one goal per
/// line: list markers ("-", "*", "•", "1.", "2)") are stripped and empty lines skipped.
public enum GoalLines {
    /// The goals in `text`, in order, each trimmed and without its list marker. Repeats (the
    /// same words in any case) are kept once.
    public static func split(_ text: String) -> [String] {
        var seen = Set<String>()
        var goals: [String] = []
        for line in text.split(whereSeparator: \.isNewline) {
            let goal = stripMarker(from: line.trimmingCharacters(in: .whitespaces))
            guard !goal.isEmpty, seen.insert(goal.lowercased()).inserted else { continue }
            goals.append(goal)
        }
        return goals
    }

    /// The line without a leading bullet (`-`, `*`, `•`, `–`, `—`, `+`) or number (`1.`, `2)`),
    /// and a checkbox (`[ ]`, `[x]`) after it.
    static func stripMarker(from line: String) -> String {
        var rest = Substring(line)
        if let first = rest.first, "-*•–—+·".contains(first) {
            rest = rest.dropFirst()
        } else {
            let digits = rest.prefix(while: \.isNumber)
            let after = rest.dropFirst(digits.count)
            if !digits.isEmpty, digits.count <= 3, let mark = after.first, mark == "." || mark == ")",
                after.dropFirst().first?.isWhitespace ?? true
            {
                rest = after.dropFirst()
            }
        }
        rest = rest.drop(while: \.isWhitespace)
        for box in ["[ ]", "[x]", "[X]"] where rest.hasPrefix(box) {
            rest = rest.dropFirst(box.count).drop(while: \.isWhitespace)
        }
        return String(rest).trimmingCharacters(in: .whitespaces)
    }
}
