import FluentKit
import Foundation

/// One meeting of a relationship: when, how long, where (a place or a video link) and what
/// about. Cancelled meetings are kept (status `cancelled`) so calendars that subscribed can show
/// the cancellation.
public final class Meeting: Model, @unchecked Sendable {
    public static let schema = "meetings"

    public enum Status: String, Codable, Sendable, CaseIterable {
        case scheduled, cancelled
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "relationship_id") public var relationshipID: UUID
    /// The start, as an instant (stored in UTC; every page shows it in the viewer's zone).
    @Field(key: "starts_at") public var startsAt: Date
    @Field(key: "duration_minutes") public var durationMinutes: Int
    /// A place or a video link.
    @Field(key: "place") public var place: String
    @Field(key: "agenda") public var agenda: String
    @Field(key: "status") public var status: Status
    /// What the member who cancelled said, if anything.
    @Field(key: "cancel_note") public var cancelNote: String
    /// 0 when made, raised by one on every change or cancellation: RFC 5545's `SEQUENCE`, which
    /// tells calendar programs that a copy they hold is out of date.
    @Field(key: "sequence") public var sequence: Int
    /// Shared by the meetings of a series scheduled in one step.
    @OptionalField(key: "series_id") public var seriesID: UUID?
    /// The person who scheduled it.
    @OptionalField(key: "created_by") public var createdBy: UUID?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public var endsAt: Date { startsAt.addingTimeInterval(TimeInterval(durationMinutes * 60)) }

    public init() {}
}
