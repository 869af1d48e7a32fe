import FluentKit
import SQLKit

/// 006: match runs, kept with their inputs and results.
struct CreateMatchRuns006: AsyncMigration {
    var name: String { "006_create_match_runs" }

    func prepare(on database: any Database) async throws {
        try await database.schema(MatchRun.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("status", .string, .required)
            .field("model", .string, .required)
            .field("rules", .string, .required)
            .field("seed", .int, .required)
            .field("participants", .int, .required)
            .field("matched", .int, .required)
            .field("total_weight", .int64, .required)
            .field("upper_bound", .int64, .required)
            .field("optimality", .string, .required)
            .field("gap_millipercent", .int, .required)
            .field("result", .string, .required)
            .field("failure", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("finished_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "match_runs_programme_created").on(MatchRun.schema).column("programme_id").column("created_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MatchRun.schema).delete()
    }
}
