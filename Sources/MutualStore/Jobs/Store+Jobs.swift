import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Writes a job on `database`: pass the transaction of the change the job belongs to, so the
    /// job exists exactly when the change does. A job whose `uniqueKey` is taken is not written.
    public func enqueue(_ job: NewJob, on database: any Database) async throws {
        try await enqueue([job], on: database)
    }

    /// Writes several jobs in one statement (see ``enqueue(_:on:)-(NewJob,_)``).
    public func enqueue(_ jobs: [NewJob], on database: any Database) async throws {
        guard !jobs.isEmpty else { return }
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        // No wake-up here: the job is not visible until the transaction commits, and
        // `Store.transaction` wakes the worker then.
        try await sql.raw(jobInsert(jobs)).run()
    }

    /// `INSERT INTO jobs … VALUES …` for `jobs`, skipping any whose unique key is taken.
    func jobInsert(_ jobs: [NewJob]) -> SQLQueryString {
        let now = clock.now
        let rows = jobs.map { job -> SQLQueryString in
            """
            (\(bind: UUID()), \(bind: job.organisationID), \(bind: job.kind), \(bind: job.payload), \(bind: job.subject), \
            \(bind: Job.Status.queued.rawValue), 0, \(bind: job.policy.maxAttempts), \(bind: job.runAt ?? now), '', \
            \(bind: job.uniqueKey), \(bind: now))
            """
        }
        return "INSERT INTO \(ident: Job.schema) (id, organisation_id, kind, payload, subject, status, attempts, max_attempts, run_at, "
            + "last_error, unique_key, created_at) VALUES " + rows.joined(separator: ", ") + " ON CONFLICT (unique_key) DO NOTHING"
    }

    /// Writes a job in a transaction of its own.
    public func enqueue(_ job: NewJob) async throws {
        try await transaction { try await self.enqueue(job, on: $0) }
    }

    /// Whether any job of these kinds is due (a cheap read, so an idle worker does not take
    /// SQLite's write lock every poll).
    func hasDueJobs(kinds: [String], at now: Date) async throws -> Bool {
        let row = try await database.sql().select().column(SQLLiteral.numeric("1"), as: "due").from(Job.schema)
            .where(SQLColumn("kind"), .in, SQLGroupExpression(SQLList(kinds.map { SQLBind($0) })))
            .where { due in
                due.where { queued in
                    queued.where("status", .equal, Job.Status.queued.rawValue).where("run_at", .lessThanOrEqual, SQLBind(now))
                }
                .orWhere { lapsed in
                    lapsed.where("status", .equal, Job.Status.running.rawValue).where("lease_expires_at", .lessThan, SQLBind(now))
                }
            }
            .limit(1).first()
        return row != nil
    }

    // The worker's own statements below are single statements, atomic without a transaction
    // (one round trip each on PostgreSQL, where BEGIN and COMMIT would make it three), and they
    // do not go through `Store.transaction`, which wakes the worker after each commit: a worker
    // woken by its own claim would look again at once, and again, and spin. On SQLite they
    // wait their turn for the one connection like every query.

    /// Claims up to `limit` due jobs of these kinds for `owner`, oldest first: queued jobs whose
    /// time has come, and running jobs whose lease lapsed (their worker died). Safe with many
    /// workers: PostgreSQL skips rows another statement is claiming (`FOR UPDATE SKIP
    /// LOCKED`); SQLite runs one statement at a time on its one connection.
    func claimJobs(kinds: [String], limit: Int, owner: String, lease: TimeInterval) async throws -> [ClaimedJob] {
        guard limit > 0, !kinds.isEmpty else { return [] }
        let now = clock.now
        let isPostgres = database.location.isPostgres
        let sql = try database.sql()
        let kindList = SQLGroupExpression(SQLList(kinds.map { SQLBind($0) }))
        let lock = isPostgres ? SQLRaw(" FOR UPDATE SKIP LOCKED") : SQLRaw("")
        let rows = try await sql.raw(
            """
            UPDATE \(ident: Job.schema) SET status = \(bind: Job.Status.running.rawValue), lease_owner = \(bind: owner), \
            lease_expires_at = \(bind: now.addingTimeInterval(lease)), attempts = attempts + 1, started_at = \(bind: now) \
            WHERE id IN (SELECT id FROM \(ident: Job.schema) WHERE kind IN \(kindList) AND \
            ((status = \(bind: Job.Status.queued.rawValue) AND run_at <= \(bind: now)) OR \
            (status = \(bind: Job.Status.running.rawValue) AND lease_expires_at < \(bind: now))) \
            ORDER BY run_at LIMIT \(unsafeRaw: String(limit))\(lock)) \
            RETURNING id, kind, payload, subject, organisation_id, attempts, max_attempts
            """
        ).all()
        return try rows.map { row in
            ClaimedJob(
                id: try row.decode(column: "id", as: UUID.self), kind: try row.decode(column: "kind", as: String.self),
                payload: try row.decode(column: "payload", as: String.self),
                subject: try row.decode(column: "subject", as: String.self),
                organisationID: try row.decode(column: "organisation_id", as: UUID?.self),
                attempt: try row.decode(column: "attempts", as: Int.self),
                maxAttempts: try row.decode(column: "max_attempts", as: Int.self))
        }
    }

    /// Extends the lease of a job `owner` still holds; false when it lost the lease (another
    /// worker took the job over after a pause longer than the lease).
    func renewLease(of jobID: UUID, owner: String, lease: TimeInterval) async throws -> Bool {
        let expires = clock.now.addingTimeInterval(lease)
        let sql = try database.sql()
        let rows = try await sql.update(Job.schema).set("lease_expires_at", to: SQLBind(expires))
            .where("id", .equal, SQLBind(jobID)).where("lease_owner", .equal, SQLBind(owner))
            .where("status", .equal, Job.Status.running.rawValue)
            .returning("id").all()
        return !rows.isEmpty
    }

    /// Records how an attempt ended. Only the lease holder's word counts: a worker that lost its
    /// lease (and the job to another worker) changes nothing. Returns whether the job was given
    /// up for good.
    @discardableResult
    func settleJob(_ job: ClaimedJob, owner: String, result: Result<JobOutcome, any Error>, policy: RetryPolicy) async throws -> Bool {
        let now = clock.now
        let sql = try database.sql()
        var update = sql.update(Job.schema).set("lease_owner", to: SQLLiteral.null).set("lease_expires_at", to: SQLLiteral.null)
        var givenUp = false
        switch result {
        case .success(.finished):
            update = update.set("status", to: SQLBind(Job.Status.finished.rawValue)).set("finished_at", to: SQLBind(now))
        case .success(.later(let time, let reason)):
            // Not an attempt: give back the one the claim counted.
            update = update.set("status", to: SQLBind(Job.Status.queued.rawValue)).set("run_at", to: SQLBind(time))
                .set("attempts", to: SQLRaw("attempts - 1")).set("last_error", to: SQLBind(reason))
        case .failure(let error):
            let message = Self.describe(error)
            let permanent = error is any PermanentJobError
            if permanent || job.attempt >= job.maxAttempts {
                givenUp = true
                update = update.set("status", to: SQLBind(Job.Status.failed.rawValue)).set("finished_at", to: SQLBind(now))
                    .set("last_error", to: SQLBind(message))
            } else {
                update = update.set("status", to: SQLBind(Job.Status.queued.rawValue))
                    .set("run_at", to: SQLBind(now.addingTimeInterval(policy.delay(afterAttempt: job.attempt))))
                    .set("last_error", to: SQLBind(message))
            }
        }
        let settled = try await update.where("id", .equal, SQLBind(job.id)).where("lease_owner", .equal, SQLBind(owner))
            .returning("id").all()
        return givenUp && !settled.isEmpty
    }

    /// Gives jobs back to the queue at once (a worker shutting down), so another worker need
    /// not wait for their leases to lapse.
    func releaseJobs(_ ids: [UUID], owner: String) async throws {
        guard !ids.isEmpty else { return }
        let now = clock.now
        let sql = try database.sql()
        try await sql.update(Job.schema)
            .set("status", to: SQLBind(Job.Status.queued.rawValue)).set("run_at", to: SQLBind(now))
            .set("attempts", to: SQLRaw("attempts - 1"))
            .set("lease_owner", to: SQLLiteral.null).set("lease_expires_at", to: SQLLiteral.null)
            .where(SQLColumn("id"), .in, SQLGroupExpression(SQLList(ids.map { SQLBind($0) }))).where("lease_owner", .equal, SQLBind(owner))
            .where("status", .equal, Job.Status.running.rawValue)
            .run()
    }

    /// An error's text for the jobs page: its description where it has one.
    static func describe(_ error: any Error) -> String {
        let text = (error as? any LocalizedError)?.errorDescription ?? String(describing: error)
        return String(text.prefix(2000))
    }
}

/// An error that retrying cannot fix: the job fails at once instead of being retried.
public protocol PermanentJobError: Error {}
