import FluentKit
import Foundation

/// A milestone every relationship of a programme gets when it opens, due a fixed time after
/// the match ("First meeting — within 14 days", "Mid-cycle review — at 3 months").
public final class ProgrammeMilestoneTemplate: Model, @unchecked Sendable {
    public static let schema = "programme_milestone_templates"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "programme_id") public var programmeID: UUID
    @Field(key: "position") public var position: Int
    @Field(key: "title") public var title: String
    /// How long after the relationship opens it is due, in `unit`s.
    @Field(key: "due_after") public var dueAfter: Int
    @Field(key: "unit") public var unit: MilestoneOffsetUnit

    public init() {}
}

/// The unit of a template's "due after".
public enum MilestoneOffsetUnit: String, Codable, Sendable, CaseIterable {
    case days, weeks, months

    /// The letter the programme form uses (`14d`, `2w`, `3m`).
    public var letter: String {
        switch self {
        case .days: "d"
        case .weeks: "w"
        case .months: "m"
        }
    }

    /// The largest offset accepted: two years, in this unit.
    public var limit: Int {
        switch self {
        case .days: 730
        case .weeks: 104
        case .months: 24
        }
    }

    /// "14 days", "1 week", "3 months".
    public func describe(_ amount: Int) -> String {
        let singular = String(rawValue.dropLast())
        return "\(amount) \(amount == 1 ? singular : rawValue)"
    }
}

/// A template as a programme manager writes it.
public struct MilestoneTemplateDraft: Sendable, Equatable {
    public var title: String
    public var dueAfter: Int
    public var unit: MilestoneOffsetUnit

    public init(title: String, dueAfter: Int, unit: MilestoneOffsetUnit) {
        self.title = title
        self.dueAfter = dueAfter
        self.unit = unit
    }

    /// "First meeting — within 14 days".
    public var sentence: String { "\(title) — within \(unit.describe(dueAfter)) of the match" }

    /// The day this milestone is due for a relationship that opened at `start`: the start's
    /// UTC day plus the offset (months on the calendar, so 31 January + 1 month is 28/29 February).
    public func dueDay(after start: Date) -> Date {
        let calendar = GoalDates.calendar
        let day = calendar.startOfDay(for: start)
        let component: Calendar.Component = unit == .months ? .month : .day
        let amount = unit == .weeks ? dueAfter * 7 : dueAfter
        return calendar.date(byAdding: component, value: amount, to: day) ?? day
    }
}
