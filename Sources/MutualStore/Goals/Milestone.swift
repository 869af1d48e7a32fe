import FluentKit
import Foundation

/// A dated step in a relationship: under one member's goal, or shared by the whole relationship
/// (`goalID` nil; the programme's milestone templates make these when the relationship opens).
public final class Milestone: Model, @unchecked Sendable {
    public static let schema = "milestones"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "relationship_id") public var relationshipID: UUID
    /// The goal it leads to; nil for a milestone of the whole relationship.
    @OptionalField(key: "goal_id") public var goalID: UUID?
    @Field(key: "title") public var title: String
    /// The day it is due (midnight UTC of that day).
    @Field(key: "due_at") public var dueAt: Date
    @OptionalField(key: "done_at") public var doneAt: Date?
    /// The person who marked it done.
    @OptionalField(key: "done_by") public var doneBy: UUID?
    /// The programme template it came from (its position), nil when a member added it.
    @OptionalField(key: "template_position") public var templatePosition: Int?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}
