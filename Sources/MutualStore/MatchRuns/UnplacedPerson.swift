import FluentKit
import Foundation

/// Someone a run's proposal leaves without a partner, or (on a run with capacities above one)
/// with places left open, and why: one row each.
public final class UnplacedPerson: Model, @unchecked Sendable {
    public static let schema = "unplaced_people"

    public enum Kind: String, Codable, Sendable {
        /// No partner at all.
        case unmatched
        /// Fewer partners than places.
        case openPlace = "open_place"
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "run_id") public var runID: UUID
    @Field(key: "ordinal") public var ordinal: Int
    @Field(key: "kind") public var kind: Kind
    @Field(key: "person_key") public var personKey: String
    @Field(key: "reason") public var reason: String
    /// Places and partners of an open place (0 for the unmatched).
    @Field(key: "capacity") public var capacity: Int
    @Field(key: "partners") public var partners: Int

    public init() {}
}
