import FluentKit
import SQLKit

/// 024: feedback. Each programme's anonymity thresholds and pulse schedule (columns on
/// `programmes`, with defaults, so existing programmes get k = 5 for scores, 10 for comments,
/// and a pulse at 30 days and then every 60); the durable requests (one per person, occasion
/// and relationship, unique on `request_key`), the answers, and an answer's goal re-ratings.
struct CreateFeedback024: AsyncMigration {
    var name: String { "024_create_feedback" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Programme.schema)
            .field("feedback_k_scores", .int, .required, .sql(.default(FeedbackSettings.defaults.kScores)))
            .update()
        try await database.schema(Programme.schema)
            .field("feedback_k_comments", .int, .required, .sql(.default(FeedbackSettings.defaults.kComments)))
            .update()
        try await database.schema(Programme.schema)
            .field("pulse_first_days", .int, .required, .sql(.default(FeedbackSettings.defaults.pulseFirstDays)))
            .update()
        try await database.schema(Programme.schema)
            .field("pulse_every_days", .int, .required, .sql(.default(FeedbackSettings.defaults.pulseEveryDays)))
            .update()
        try await database.schema(FeedbackRequest.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("relationship_id", .uuid, .required, .references(Relationship.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("meeting_id", .uuid, .references(Meeting.schema, .id, onDelete: .setNull))
            .field("request_key", .string, .required)
            .field("created_at", .datetime, .required)
            .field("reminded_at", .datetime)
            .field("answered_at", .datetime)
            // A scan that runs twice, or on two replicas, asks once.
            .unique(on: "request_key")
            .create()
        try await database.schema(FeedbackResponse.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("request_id", .uuid, .required, .references(FeedbackRequest.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("score", .int)
            .field("fit", .string, .required)
            .field("reasons", .string, .required)
            .field("comment", .string, .required)
            .field("story", .string, .required)
            .field("shared", .bool, .required)
            .field("answered_at", .datetime, .required)
            // One answer per request: a second submission is refused.
            .unique(on: "request_id")
            .create()
        try await database.schema(FeedbackGoalRating.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("response_id", .uuid, .required, .references(FeedbackResponse.schema, .id, onDelete: .cascade))
            .field("goal_id", .uuid, .required, .references(Goal.schema, .id, onDelete: .cascade))
            .field("rating", .int, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            // "Feedback to give" reads a person's open requests; the summary reads a programme's answers.
            try await sql.create(index: "feedback_requests_person").on(FeedbackRequest.schema).column("person_id").column("answered_at").run()
            try await sql.create(index: "feedback_requests_relationship").on(FeedbackRequest.schema).column("relationship_id").run()
            try await sql.create(index: "feedback_responses_programme").on(FeedbackResponse.schema).column("programme_id").column("kind").run()
            try await sql.create(index: "feedback_goal_ratings_response").on(FeedbackGoalRating.schema).column("response_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FeedbackGoalRating.schema).delete()
        try await database.schema(FeedbackResponse.schema).delete()
        try await database.schema(FeedbackRequest.schema).delete()
        for column in ["feedback_k_scores", "feedback_k_comments", "pulse_first_days", "pulse_every_days"] {
            try await database.schema(Programme.schema).deleteField(.string(column)).update()
        }
    }
}
