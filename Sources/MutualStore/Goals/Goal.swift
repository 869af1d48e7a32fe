import FluentKit
import Foundation

/// One member's goal in a relationship, tracked over the cycle: how far along it is and when it
/// was reached. The agreement's goals text seeds these (one goal per line); members then keep
/// them up to date on the relationship page.
public final class Goal: Model, @unchecked Sendable {
    public static let schema = "goals"

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Still being worked on.
        case open
        /// Reached.
        case done
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "relationship_id") public var relationshipID: UUID
    /// The member whose goal it is; only they change it.
    @Field(key: "person_id") public var personID: UUID
    /// Order among the member's goals (the order they were written in).
    @Field(key: "position") public var position: Int
    @Field(key: "title") public var title: String
    /// The day it should be reached (midnight UTC of that day), when the member set one.
    @OptionalField(key: "due_at") public var dueAt: Date?
    /// How far along it is, 0–100 %.
    @Field(key: "progress") public var progress: Int
    @Field(key: "status") public var status: Status
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "completed_at") public var completedAt: Date?
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {}
}
