import FluentKit
import Foundation

/// A pair or group that is working together: a published match everyone accepted, or a
/// self-match request the other person accepted. It carries the agreement its members fill in
/// together and sign.
public final class Relationship: Model, @unchecked Sendable {
    public static let schema = "relationships"

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Meeting and working on their goals.
        case active
        /// On hold for a while (holiday, a busy quarter); the members keep their place.
        case paused
        /// The cycle ended as planned.
        case completed
        /// Ended early by a member or the manager: the members return to the pool and are not
        /// matched together again.
        case dissolved

        /// Still taking up the members' places in the programme.
        public var isOpen: Bool { self == .active || self == .paused }
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "programme_id") public var programmeID: UUID
    /// The published match it came from; `nil` for a self-match.
    @OptionalField(key: "match_id") public var matchID: UUID?
    @Field(key: "status") public var status: Status
    /// Why it ended, when someone said (dissolved or completed).
    @Field(key: "end_reason") public var endReason: String
    @Field(key: "started_at") public var startedAt: Date
    @OptionalField(key: "ended_at") public var endedAt: Date?
    /// Who ended it (a member or a manager); `nil` when the system did, or before migration 026.
    @OptionalField(key: "ended_by") public var endedBy: UUID?
    /// The agreement: the vision the members share.
    @Field(key: "vision") public var vision: String
    /// Topics that are off-limits.
    @Field(key: "boundaries") public var boundaries: String
    /// What stays between the members.
    @Field(key: "confidentiality") public var confidentiality: String
    /// How often they meet, in their words ("every two weeks, 45 minutes").
    @Field(key: "cadence") public var cadence: String
    /// The structured choice of how often they meet (`MeetingCadence.Interval`), empty until chosen.
    @Field(key: "cadence_interval") public var cadenceInterval: String
    /// Every so many days, for a custom interval; 0 otherwise.
    @Field(key: "cadence_days") public var cadenceDays: Int
    @Field(key: "structure") public var structure: ProgrammeStructure
    /// Increases with every change to the agreement; a signature is for one version.
    @Field(key: "agreement_version") public var agreementVersion: Int
    @OptionalField(key: "agreement_updated_at") public var agreementUpdatedAt: Date?

    /// How often the members meet, when they have chosen.
    public var meetingCadence: MeetingCadence? { MeetingCadence(stored: cadenceInterval, days: cadenceDays) }

    public init() {}
}

/// A member of a relationship: their goals in the agreement and their signature.
public final class RelationshipMember: Model, @unchecked Sendable {
    public static let schema = "relationship_members"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "relationship_id") public var relationshipID: UUID
    @Field(key: "person_id") public var personID: UUID
    /// Order in the relationship; in mentoring, position 0 is the mentor.
    @Field(key: "position") public var position: Int
    /// This member's goals for the relationship.
    @Field(key: "goals") public var goals: String
    /// The agreement version this member signed; 0 when they have not signed.
    @Field(key: "signed_version") public var signedVersion: Int
    @OptionalField(key: "signed_at") public var signedAt: Date?

    public init() {}
}

/// A self-match request: one participant asks another to work together.
public final class MatchRequest: Model, @unchecked Sendable {
    public static let schema = "match_requests"

    public enum Status: String, Codable, Sendable, CaseIterable {
        case pending, accepted, declined, withdrawn
        /// Closed by the nudge scan after 14 days without an answer.
        case expired
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "programme_id") public var programmeID: UUID
    @Field(key: "from_person_id") public var fromPersonID: UUID
    @Field(key: "to_person_id") public var toPersonID: UUID
    @Field(key: "status") public var status: Status
    /// A note from the person asking.
    @Field(key: "message") public var message: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "answered_at") public var answeredAt: Date?

    public init() {}
}
