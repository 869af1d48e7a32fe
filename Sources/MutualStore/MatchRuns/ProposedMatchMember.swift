import FluentKit
import Foundation

/// One person of a ``ProposedMatch``, by the people file's id (the id the engine and the edit
/// log use). Position 0 is the mentor in mentoring.
public final class ProposedMatchMember: Model, @unchecked Sendable {
    public static let schema = "proposed_match_members"

    @ID(key: .id) public var id: UUID?
    @Field(key: "proposed_match_id") public var proposedMatchID: UUID
    @Field(key: "run_id") public var runID: UUID
    @Field(key: "person_key") public var personKey: String
    @Field(key: "position") public var position: Int

    public init() {}
}
