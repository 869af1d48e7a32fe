import FluentKit
import Foundation

/// A unit of work that happens later: a match run, an email, an event's consumers, a
/// scheduled chore. Jobs live in the database so they survive a crash or a kill -9 and run
/// once across replicas: a worker claims a job with a lease it renews while it works, and a
/// job whose lease lapsed (its process died) is claimed again by any worker.
public final class Job: Model, @unchecked Sendable {
    public static let schema = "jobs"

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Waiting for `runAt`, or for a worker.
        case queued
        /// Claimed by `leaseOwner` until `leaseExpiresAt`.
        case running
        /// Done; kept for the jobs page until housekeeping prunes it.
        case finished
        /// Gave up after `maxAttempts`; `lastError` says why.
        case failed
    }

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "organisation_id") public var organisationID: UUID?
    /// What to do (see ``JobKind``).
    @Field(key: "kind") public var kind: String
    /// The handler's input, as JSON.
    @Field(key: "payload") public var payload: String
    /// What the job is about, for people reading the jobs page (`match_run:…`, `email:…`).
    @Field(key: "subject") public var subject: String
    @Field(key: "status") public var status: Status
    @Field(key: "attempts") public var attempts: Int
    @Field(key: "max_attempts") public var maxAttempts: Int
    /// Not before this time.
    @Field(key: "run_at") public var runAt: Date
    @OptionalField(key: "lease_owner") public var leaseOwner: String?
    @OptionalField(key: "lease_expires_at") public var leaseExpiresAt: Date?
    /// Why the last attempt failed (empty when none did).
    @Field(key: "last_error") public var lastError: String
    /// Makes enqueueing idempotent: a second job with the same key is not created (a schedule's
    /// slot, an event's consumer, one email per event and recipient).
    @OptionalField(key: "unique_key") public var uniqueKey: String?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "started_at") public var startedAt: Date?
    @OptionalField(key: "finished_at") public var finishedAt: Date?

    public init() {}
}
