import FluentKit
import Foundation

/// One skill in a meeting log: taught or learned, with a short note.
public final class MeetingLogEntry: Model, @unchecked Sendable {
    public static let schema = "meeting_log_entries"

    /// Which way the skill went for the member who logged it.
    public enum Direction: String, Codable, Sendable, CaseIterable {
        case taught, learned
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "log_id") public var logID: UUID
    @Field(key: "direction") public var direction: Direction
    @Field(key: "skill_id") public var skillID: UUID
    @Field(key: "note") public var note: String
    /// Order within its direction, as the member listed them.
    @Field(key: "position") public var position: Int

    public init() {}
}
