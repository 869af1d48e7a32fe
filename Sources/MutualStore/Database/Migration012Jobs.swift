import FluentKit
import SQLKit

/// 012: durable jobs (see ``Job``).
struct CreateJobs012: AsyncMigration {
    var name: String { "012_jobs" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Job.schema)
            .id()
            .field("organisation_id", .uuid, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("subject", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("max_attempts", .int, .required)
            .field("run_at", .datetime, .required)
            .field("lease_owner", .string)
            .field("lease_expires_at", .datetime)
            .field("last_error", .string, .required)
            .field("unique_key", .string)
            .field("created_at", .datetime, .required)
            .field("started_at", .datetime)
            .field("finished_at", .datetime)
            .unique(on: "unique_key")
            .create()
        if let sql = database as? any SQLDatabase {
            // The worker's question: what is due, oldest first.
            try await sql.create(index: "jobs_due").on(Job.schema).column("status").column("run_at").run()
            try await sql.create(index: "jobs_subject").on(Job.schema).column("subject").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Job.schema).delete()
    }
}
