import FluentKit
import Foundation

/// A pair or group from a published match run, shown to its members with its explanation.
public final class PublishedMatch: Model, @unchecked Sendable {
    public static let schema = "matches"

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Waiting for every member's answer.
        case pending
        /// Everyone accepted.
        case accepted
        /// Someone declined: the members return to the pool for the next run.
        case declined
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "programme_id") public var programmeID: UUID
    @Field(key: "run_id") public var runID: UUID
    @Field(key: "status") public var status: Status
    /// The score people see, 0–100.
    @Field(key: "score") public var score: Int
    /// The reasons, as a JSON array of strings.
    @Field(key: "reasons") public var reasonsJSON: String
    @Field(key: "published_at") public var publishedAt: Date

    public init() {}
}

/// One member of a published match and their answer.
public final class MatchMember: Model, @unchecked Sendable {
    public static let schema = "match_members"

    public enum Response: String, Codable, Sendable, CaseIterable {
        case pending, accepted, declined
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "match_id") public var matchID: UUID
    @Field(key: "person_id") public var personID: UUID
    /// Order in the match; in mentoring, position 0 is the mentor.
    @Field(key: "position") public var position: Int
    @Field(key: "response") public var response: Response
    /// Why they declined, if they said.
    @Field(key: "reason") public var reason: String
    @OptionalField(key: "responded_at") public var respondedAt: Date?

    public init() {}
}
