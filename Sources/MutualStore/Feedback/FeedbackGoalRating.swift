import FluentKit
import Foundation

/// A goal re-rated in an end-of-cycle review (1–5: how far the person got).
public final class FeedbackGoalRating: Model, @unchecked Sendable {
    public static let schema = "feedback_goal_ratings"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "response_id") public var responseID: UUID
    @Field(key: "goal_id") public var goalID: UUID
    @Field(key: "rating") public var rating: Int

    public init() {}
}
