import Foundation

/// The programme form's text for milestone templates: one per line, when it is due after the
/// match and then its name — `14d First meeting`, `6w Shadow a session`, `3m Mid-cycle review`
/// (`14 days`, `6 weeks`, `3 months` work too).
public enum MilestoneTemplateLines {
    /// The form field the lines are typed in.
    public static let field = "milestone_templates"

    /// The templates in `text`, in order; blank lines are skipped. The first wrong line is
    /// refused with its number and what to write instead.
    public static func parse(_ text: String) throws -> [MilestoneTemplateDraft] {
        var drafts: [MilestoneTemplateDraft] = []
        for (number, rawLine) in TextLines.numbered(text) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            drafts.append(try parse(line: line, number: number))
        }
        return drafts
    }

    /// The lines the form shows for stored templates (what `parse` reads back unchanged).
    public static func write(_ drafts: [MilestoneTemplateDraft]) -> String {
        drafts.map { "\($0.dueAfter)\($0.unit.letter) \($0.title)" }.joined(separator: "\n")
    }

    static func parse(line: String, number: Int) throws -> MilestoneTemplateDraft {
        let example = "like \"14d First meeting\" or \"3m Mid-cycle review\" (d for days, w for weeks, m for months)"
        let digits = line.prefix(while: \.isASCII).prefix(while: \.isNumber)
        guard !digits.isEmpty else {
            throw StoreError.invalid(
                field: field, message: "Milestone line \(number) (\"\(line)\") must start with when it is due after the match, \(example).")
        }
        guard let amount = Int(digits), digits.count <= 4 else {
            throw StoreError.invalid(field: field, message: "Milestone line \(number): \(digits) is too large; a milestone is due at most two years after the match.")
        }
        var rest = line.dropFirst(digits.count).drop(while: \.isWhitespace)
        let word = rest.prefix(while: \.isLetter)
        let unit: MilestoneOffsetUnit
        switch word.lowercased() {
        case "d", "day", "days": unit = .days
        case "w", "week", "weeks": unit = .weeks
        case "m", "month", "months": unit = .months
        default:
            throw StoreError.invalid(
                field: field,
                message: "Milestone line \(number) (\"\(line)\"): after \(amount) write d (days), w (weeks) or m (months), then the milestone's name, \(example).")
        }
        rest = rest.dropFirst(word.count).drop(while: \.isWhitespace)
        // "14d — First meeting" and "14d: First meeting" read naturally too.
        if let first = rest.first, "-–—:".contains(first) { rest = rest.dropFirst().drop(while: \.isWhitespace) }
        guard !rest.isEmpty else {
            throw StoreError.invalid(field: field, message: "Milestone line \(number) (\"\(line)\") needs a name after when it is due, \(example).")
        }
        return MilestoneTemplateDraft(title: String(rest), dueAfter: amount, unit: unit)
    }
}
