import Foundation

/// A meeting a member is about to schedule. An empty agenda is filled in from the programme's
/// template (and, for mastermind groups, whose turn it is); see `Store.suggestedAgenda`.
public struct MeetingDraft: Sendable, Equatable {
    public var startsAt: Date
    public var durationMinutes: Int
    public var place: String
    public var agenda: String

    public init(startsAt: Date, durationMinutes: Int, place: String = "", agenda: String = "") {
        self.startsAt = startsAt
        self.durationMinutes = durationMinutes
        self.place = place
        self.agenda = agenda
    }
}

/// What a reschedule or edit changes; `nil` keeps the meeting's value.
public struct MeetingChange: Sendable, Equatable {
    public var startsAt: Date?
    public var durationMinutes: Int?
    public var place: String?
    public var agenda: String?

    public init(startsAt: Date? = nil, durationMinutes: Int? = nil, place: String? = nil, agenda: String? = nil) {
        self.startsAt = startsAt
        self.durationMinutes = durationMinutes
        self.place = place
        self.agenda = agenda
    }

    public var isEmpty: Bool { startsAt == nil && durationMinutes == nil && place == nil && agenda == nil }
}
