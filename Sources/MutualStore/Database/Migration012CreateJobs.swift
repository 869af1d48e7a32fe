import FluentKit
import Foundation
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
        // Runs a previous version left running were detached tasks in some process; give each
        // a job, so a worker finishes it (running a run again is safe: it is reproducible).
        let now = Date()
        // Only the two columns it needs: columns later migrations add to `match_runs` do not exist yet here.
        for run in try await MatchRun.query(on: database).filter(\.$status == .running).field(\.$id).field(\.$organisationID).all() {
            let id = try run.requireID()
            let job = Job()
            job.id = UUID()
            job.organisationID = run.organisationID
            job.kind = JobKind.matchRun
            job.payload = try JobCoding.encode(MatchRunJob(runID: id))
            job.subject = "match_run:\(id.uuidString.lowercased())"
            job.status = .queued
            job.attempts = 0
            job.maxAttempts = RetryPolicy.matchRun.maxAttempts
            job.runAt = now
            job.lastError = ""
            job.uniqueKey = "match_run:\(id.uuidString.lowercased())"
            job.createdAt = now
            try await job.create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Job.schema).delete()
    }
}
