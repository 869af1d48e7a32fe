import FluentKit
import Foundation

/// One durable request for feedback: a person, an occasion (a meeting, a pulse, the cycle's
/// end, an early close) and whether they answered. Written by the feedback scan with a unique
/// `request_key`, so the same occasion is asked about once however often the scan runs.
public final class FeedbackRequest: Model, @unchecked Sendable {
    public static let schema = "feedback_requests"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "programme_id") public var programmeID: UUID
    @Field(key: "relationship_id") public var relationshipID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "kind") public var kind: FeedbackKind
    /// The meeting a check-in or fit check is about.
    @OptionalField(key: "meeting_id") public var meetingID: UUID?
    /// `kind:relationship:person:occasion`: the occasion's identity (unique).
    @Field(key: "request_key") public var requestKey: String
    @Field(key: "created_at") public var createdAt: Date
    /// When the one reminder went out.
    @OptionalField(key: "reminded_at") public var remindedAt: Date?
    @OptionalField(key: "answered_at") public var answeredAt: Date?

    public init() {}
}
