import FluentKit
import Foundation

/// One person's answer to one request. The respondent is kept (to count distinct respondents
/// against k, and to show an answer by name when they chose to share it), but no page, API
/// call, event or export shows it otherwise.
public final class FeedbackResponse: Model, @unchecked Sendable {
    public static let schema = "feedback_responses"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "programme_id") public var programmeID: UUID
    @Field(key: "request_id") public var requestID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "kind") public var kind: FeedbackKind
    /// Usefulness (check-in, 1–5), health (pulse, 1–5) or the recommendation (review, 0–10).
    @OptionalField(key: "score") public var score: Int?
    /// The fit check's ``FitAnswer``; empty for other kinds.
    @Field(key: "fit") public var fit: String
    /// The close survey's ``CloseReason`` values, `;`-separated.
    @Field(key: "reasons") public var reasons: String
    @Field(key: "comment") public var comment: String
    /// The review's story the person would share.
    @Field(key: "story") public var story: String
    /// The respondent chose to show this answer to the programme manager by name.
    @Field(key: "shared") public var shared: Bool
    @Field(key: "answered_at") public var answeredAt: Date

    public init() {}
}
