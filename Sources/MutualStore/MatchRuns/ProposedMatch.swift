import FluentKit
import Foundation

/// One pair, triad or group a finished run proposes, as a row, so a run's matches can be
/// listed, paged, sorted and filtered in SQL. Its people are ``ProposedMatchMember`` rows.
public final class ProposedMatch: Model, @unchecked Sendable {
    public static let schema = "proposed_matches"

    public enum Kind: String, Codable, Sendable {
        case pair, triad, group
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "run_id") public var runID: UUID
    /// Place in the proposal's list (gaps are allowed: an edit removes rows without renumbering).
    @Field(key: "ordinal") public var ordinal: Int
    @Field(key: "kind") public var kind: Kind
    /// The solver's weight (the run total's units).
    @Field(key: "weight") public var weight: Int
    /// The score out of 100.
    @Field(key: "score") public var score: Int
    /// The reasons, as a JSON array of strings.
    @Field(key: "reasons") public var reasonsJSON: String

    public init() {}
}
