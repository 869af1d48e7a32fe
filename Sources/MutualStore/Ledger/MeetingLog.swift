import FluentKit
import Foundation

/// One member's log of one meeting: what they taught and learned (its `MeetingLogEntry` rows),
/// how useful it was and what they will do before next time. Unique per meeting and person; a
/// second log replaces the first.
public final class MeetingLog: Model, @unchecked Sendable {
    public static let schema = "meeting_logs"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "meeting_id") public var meetingID: UUID
    /// The meeting's relationship, kept here so a relationship's logs are found by one index.
    @Field(key: "relationship_id") public var relationshipID: UUID
    @Field(key: "person_id") public var personID: UUID
    /// How useful the meeting was, 1–5; nil when the member did not say.
    @OptionalField(key: "rating") public var rating: Int?
    /// What the member will do before the next meeting; empty when none.
    @Field(key: "commitment") public var commitment: String
    @Field(key: "logged_at") public var loggedAt: Date

    public init() {}
}
