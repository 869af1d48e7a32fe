import FluentKit
import Foundation

/// A member raised the current level of a skill they want to learn ("SQL: 2 → 3"), on a date,
/// optionally after a meeting. The profile keeps only the current level; this keeps the growth.
public final class SkillLevelChange: Model, @unchecked Sendable {
    public static let schema = "skill_level_changes"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "skill_id") public var skillID: UUID
    @Field(key: "from_level") public var fromLevel: Int
    @Field(key: "to_level") public var toLevel: Int
    @Field(key: "changed_at") public var changedAt: Date
    /// The meeting the growth came from, when the member raised it from that meeting's log.
    @OptionalField(key: "meeting_id") public var meetingID: UUID?

    public init() {}
}
