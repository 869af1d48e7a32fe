import Foundation

/// A meeting as pages and the API show it.
public struct MeetingView: Sendable, Equatable {
    public let id: UUID
    public let relationshipID: UUID
    public let startsAt: Date
    public let endsAt: Date
    public let durationMinutes: Int
    public let place: String
    public let agenda: String
    public let status: Meeting.Status
    public let cancelNote: String
    public let sequence: Int
    public let seriesID: UUID?
    public let createdBy: UUID?
    public let updatedAt: Date

    init(_ meeting: Meeting) throws {
        id = try meeting.requireID()
        relationshipID = meeting.relationshipID
        startsAt = meeting.startsAt
        endsAt = meeting.endsAt
        durationMinutes = meeting.durationMinutes
        place = meeting.place
        agenda = meeting.agenda
        status = meeting.status
        cancelNote = meeting.cancelNote
        sequence = meeting.sequence
        seriesID = meeting.seriesID
        createdBy = meeting.createdBy
        updatedAt = meeting.updatedAt
    }

    /// Whether the meeting has begun by `now` (a meeting that started can be logged).
    public func hasStarted(by now: Date) -> Bool { startsAt <= now }
}
