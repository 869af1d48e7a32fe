import FluentKit
import SQLKit

/// 029: the feedback answers of a programme in the order batches are cut (kind, then answer
/// time, then id), so the summary reads them from the index instead of sorting every answer
/// on each dashboard view (on SQLite the sort of 27,000 answers spilled to a temporary file).
struct IndexFeedbackInAnswerOrder029: AsyncMigration {
    var name: String { "029_index_feedback_in_answer_order" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "feedback_responses_answer_order").on(FeedbackResponse.schema)
            .column("programme_id").column("kind").column("answered_at").column("id").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "feedback_responses_answer_order").run()
    }
}
