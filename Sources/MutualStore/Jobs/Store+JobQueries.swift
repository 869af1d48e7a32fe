import FluentKit
import Foundation
import SQLKit

/// A job as the jobs page and `GET /api/v1/jobs` show it.
public struct JobLine: Sendable, Equatable {
    public let id: UUID
    public let kind: String
    public let subject: String
    public let status: Job.Status
    public let attempts: Int
    public let maxAttempts: Int
    public let runAt: Date
    public let leaseOwner: String?
    /// When the holder's claim lapses unless renewed; past it, another worker takes the job over.
    public let leaseExpiresAt: Date?
    public let lastError: String
    public let createdAt: Date
    public let startedAt: Date?
    public let finishedAt: Date?
}

/// The queue's health, for `/metrics` and the jobs page.
public struct JobQueueHealth: Sendable, Equatable {
    public var queued = 0
    public var running = 0
    public var failed = 0
    public var finished = 0
    /// How long the oldest due job has waited for a worker, in seconds (0 when none waits).
    public var oldestWaitingSeconds: Double = 0
}

extension Store {
    /// A page of the organisation's jobs (and the server's own, such as housekeeping), newest
    /// first, optionally of one status, with the total.
    public func jobs(status: Job.Status?, page: Int = 1, perPage: Int = 50, of identity: Identity) async throws -> (lines: [JobLine], total: Int) {
        try requireRole(.admin, identity)
        let page = max(1, page)
        let perPage = min(max(1, perPage), 500)
        func filtered() throws -> QueryBuilder<Job> {
            var query = Job.query(on: try db()).group(.or) { scope in
                scope.filter(\.$organisationID == identity.organisationID).filter(\.$organisationID == nil)
            }
            if let status { query = query.filter(\.$status == status) }
            return query
        }
        let total = try await filtered().count()
        let jobs = try await filtered().sort(\.$createdAt, .descending).sort(\.$id, .descending)
            .range(((page - 1) * perPage)..<(page * perPage)).all()
        return (
            jobs.map { job in
                JobLine(
                    id: job.id ?? UUID(), kind: job.kind, subject: job.subject, status: job.status, attempts: job.attempts,
                    maxAttempts: job.maxAttempts, runAt: job.runAt, leaseOwner: job.leaseOwner, leaseExpiresAt: job.leaseExpiresAt, lastError: job.lastError,
                    createdAt: job.createdAt, startedAt: job.startedAt, finishedAt: job.finishedAt)
            }, total
        )
    }

    /// Counts by status and the oldest due job's wait, across all organisations (the queue is
    /// the server's).
    public func jobQueueHealth() async throws -> JobQueueHealth {
        let sql = try database.sql()
        var health = JobQueueHealth()
        for row in try await sql.select().column("status").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(Job.schema)
            .groupBy("status").all()
        {
            let count = try row.decode(column: "n", as: Int.self)
            switch Job.Status(rawValue: try row.decode(column: "status", as: String.self)) {
            case .queued: health.queued = count
            case .running: health.running = count
            case .failed: health.failed = count
            case .finished: health.finished = count
            case nil: break
            }
        }
        let now = clock.now
        if let oldest = try await Job.query(on: try db()).filter(\.$status == .queued).filter(\.$runAt <= now).sort(\.$runAt).first() {
            health.oldestWaitingSeconds = max(0, now.timeIntervalSince(oldest.runAt))
        }
        return health
    }

    /// Queues a failed job again from the start (the jobs page's "Try again").
    public func retryJob(id: UUID, by identity: Identity) async throws {
        try requireRole(.admin, identity)
        let now = clock.now
        try await transaction { database in
            guard let job = try await Job.query(on: database).filter(\.$id == id).group(.or, { scope in
                scope.filter(\.$organisationID == identity.organisationID).filter(\.$organisationID == nil)
            }).first()
            else { throw StoreError.notFound(what: "job") }
            guard job.status == .failed else {
                throw StoreError.conflict(field: nil, message: "Only a failed job can be tried again; this one is \(job.status.rawValue).")
            }
            job.status = .queued
            job.attempts = 0
            job.runAt = now
            job.finishedAt = nil
            try await job.save(on: database)
        }
    }
}
