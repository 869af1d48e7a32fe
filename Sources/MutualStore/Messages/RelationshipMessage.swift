import FluentKit
import Foundation

/// One message in a relationship's thread: written by a member, or by a programme manager
/// (a nudge), which the thread marks "from the programme manager".
public final class RelationshipMessage: Model, @unchecked Sendable {
    public static let schema = "relationship_messages"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "relationship_id") public var relationshipID: UUID
    /// The writer; `nil` once their profile was erased.
    @OptionalField(key: "author_person_id") public var authorPersonID: UUID?
    /// Written by a programme manager who is not a member (a nudge).
    @Field(key: "from_manager") public var fromManager: Bool
    @Field(key: "body") public var body: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}
