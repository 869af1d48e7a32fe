// TEMPORARY stand-in for the meetings core (lead, main); replaced by main's file at merge.
import FluentKit
import Foundation

public final class Meeting: Model, @unchecked Sendable {
    public static let schema = "meetings"
    public enum Status: String, Codable, Sendable, CaseIterable { case scheduled, cancelled }
    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "relationship_id") public var relationshipID: UUID
    @Field(key: "starts_at") public var startsAt: Date
    @Field(key: "duration_minutes") public var durationMinutes: Int
    @Field(key: "place") public var place: String
    @Field(key: "agenda") public var agenda: String
    @Field(key: "status") public var status: Status
    @Field(key: "cancel_note") public var cancelNote: String
    @Field(key: "sequence") public var sequence: Int
    @OptionalField(key: "series_id") public var seriesID: UUID?
    @OptionalField(key: "created_by") public var createdBy: UUID?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date
    public var endsAt: Date { startsAt + Double(durationMinutes * 60) }
    public init() {}
}

public struct MeetingView: Sendable, Equatable {
    public let id: UUID
    public let relationshipID: UUID
    public let startsAt: Date
    public let durationMinutes: Int
    public let status: Meeting.Status
}

public struct MeetingDraft: Sendable {
    public var startsAt: Date, durationMinutes: Int, place: String, agenda: String
    public init(startsAt: Date, durationMinutes: Int, place: String, agenda: String) {
        self.startsAt = startsAt
        self.durationMinutes = durationMinutes
        self.place = place
        self.agenda = agenda
    }
}

extension Store {
    public func scheduleMeetings(in relationshipID: UUID, _ draft: MeetingDraft, repeats: Int = 1, by identity: Identity) async throws -> [MeetingView] {
        let (relationship, _) = try await scopedRelationship(id: relationshipID, of: identity)
        let meeting = Meeting()
        meeting.id = UUID()
        meeting.organisationID = relationship.organisationID
        meeting.relationshipID = relationshipID
        meeting.startsAt = draft.startsAt
        meeting.durationMinutes = draft.durationMinutes
        meeting.place = draft.place
        meeting.agenda = draft.agenda
        meeting.status = .scheduled
        meeting.cancelNote = ""
        meeting.sequence = 0
        meeting.createdAt = clock.now
        meeting.updatedAt = clock.now
        try await transaction { try await meeting.create(on: $0) }
        return [Self.standInView(meeting)]
    }

    public func cancelMeeting(id: UUID, note: String, by identity: Identity) async throws -> MeetingView {
        let (meeting, _) = try await scopedMeeting(id: id, of: identity)
        meeting.status = .cancelled
        try await transaction { try await meeting.save(on: $0) }
        return Self.standInView(meeting)
    }

    public func meeting(id: UUID, of identity: Identity) async throws -> (MeetingView, RelationshipView) {
        let (meeting, _) = try await scopedMeeting(id: id, of: identity)
        return (Self.standInView(meeting), try await relationship(id: meeting.relationshipID, of: identity))
    }

    static func standInView(_ meeting: Meeting) -> MeetingView {
        MeetingView(id: meeting.id!, relationshipID: meeting.relationshipID, startsAt: meeting.startsAt, durationMinutes: meeting.durationMinutes, status: meeting.status)
    }
}
