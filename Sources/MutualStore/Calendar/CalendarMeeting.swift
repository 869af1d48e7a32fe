import Foundation

/// What a calendar needs to know about one meeting and the people in it. Kept apart from the
/// `Meeting` model so the feed, the invitations, their tests and the benchmark share one
/// conversion (``MeetingCalendar``) without a database.
public struct CalendarMeeting: Sendable, Equatable {
    /// A member of the meeting's relationship.
    public struct Member: Sendable, Equatable {
        public var personID: UUID
        public var name: String
        public var email: String?
        /// The profile's time zone (an IANA name), in which their email states the time.
        public var timeZone: String

        public init(personID: UUID, name: String, email: String?, timeZone: String = "") {
            self.personID = personID
            self.name = name
            self.email = email
            self.timeZone = timeZone
        }
    }

    public var id: UUID
    public var relationshipID: UUID
    public var startsAt: Date
    public var durationMinutes: Int
    public var place: String
    public var agenda: String
    public var cancelled: Bool
    public var cancelNote: String
    public var sequence: Int
    public var createdAt: Date
    public var updatedAt: Date
    /// The person who scheduled it (the invitation's organiser), when known.
    public var createdBy: UUID?
    /// The relationship's members, in the relationship's order.
    public var members: [Member]

    public init(
        id: UUID, relationshipID: UUID, startsAt: Date, durationMinutes: Int, place: String, agenda: String, cancelled: Bool,
        cancelNote: String, sequence: Int, createdAt: Date, updatedAt: Date, createdBy: UUID?, members: [Member]
    ) {
        self.id = id
        self.relationshipID = relationshipID
        self.startsAt = startsAt
        self.durationMinutes = durationMinutes
        self.place = place
        self.agenda = agenda
        self.cancelled = cancelled
        self.cancelNote = cancelNote
        self.sequence = sequence
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.members = members
    }

    public var endsAt: Date { startsAt.addingTimeInterval(TimeInterval(durationMinutes) * 60) }
}
