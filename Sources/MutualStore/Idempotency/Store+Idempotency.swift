import FluentKit
import Foundation
import SQLKit

extension Store {
    /// How long an `Idempotency-Key` and its answer are remembered.
    public static let idempotencyKeyLifetime: TimeInterval = 24 * 3600

    /// Claims `request`'s key for its caller and address, or says what the key already holds.
    ///
    /// The claim is an `INSERT … ON CONFLICT DO NOTHING` on the unique (organisation, account,
    /// address, key) index, in a transaction: of any number of requests racing with one key,
    /// exactly one inserts the row and runs; the others find the row (PostgreSQL makes them wait
    /// for the winner's commit; SQLite's single writer orders them) and are told it is in
    /// progress, or replay its answer once it is recorded.
    public func claimIdempotencyKey(_ request: IdempotencyRequest) async throws -> IdempotencyClaim {
        let now = clock.now
        let organisationID = request.caller.organisationID
        let accountID = request.caller.accountID
        let scope = SecretTokens.digest(request.address)
        let keyDigest = SecretTokens.digest(request.key)
        let (claimed, existing) = try await transaction { database -> (UUID?, IdempotencyRecord?) in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            // A use that expired (and housekeeping has not removed yet) is forgotten here, so the key starts afresh.
            try await IdempotencyRecord.query(on: database)
                .filter(\.$organisationID == organisationID).filter(\.$accountID == accountID)
                .filter(\.$requestScope == scope).filter(\.$keyDigest == keyDigest)
                .filter(\.$expiresAt <= now)
                .delete()
            let id = UUID()
            let inserted = try await sql.insert(into: IdempotencyRecord.schema)
                .columns(
                    "id", "organisation_id", "account_id", "request_scope", "key_digest", "request_digest", "route", "created_at",
                    "expires_at"
                )
                .values(
                    SQLBind(id), SQLBind(organisationID), SQLBind(accountID), SQLBind(scope), SQLBind(keyDigest),
                    SQLBind(request.requestDigest), SQLBind(request.route), SQLBind(now),
                    SQLBind(now.addingTimeInterval(Self.idempotencyKeyLifetime))
                )
                .ignoringConflicts(with: ["organisation_id", "account_id", "request_scope", "key_digest"])
                .returning("id")
                .all()
            if !inserted.isEmpty { return (id, nil) }
            let existing = try await IdempotencyRecord.query(on: database)
                .filter(\.$organisationID == organisationID).filter(\.$accountID == accountID)
                .filter(\.$requestScope == scope).filter(\.$keyDigest == keyDigest)
                .first()
            return (nil, existing)
        }
        if let claimed { return .claimed(claimed) }
        // The winner gave the key up between our insert and our read: it is free again, but
        // another racer may be taking it; the caller retries.
        guard let existing else { return .inProgress(since: now) }
        guard existing.requestDigest == request.requestDigest else { return .mismatch }
        guard let status = existing.responseStatus, let sealed = existing.responseBody else {
            return .inProgress(since: existing.createdAt)
        }
        let body = try sealer.open(sealed)
        return .replay(
            StoredAPIAnswer(
                status: status, contentType: existing.responseContentType ?? "application/json",
                body: Array(Data(base64Encoded: body) ?? Data())))
    }

    /// Records the answer of the request that claimed the key, for its retries.
    public func completeIdempotencyKey(_ id: UUID, with answer: StoredAPIAnswer) async throws {
        // Sealed: an answer that creates something can carry a secret (an invitation's link).
        let sealed = try sealer.seal(Data(answer.body).base64EncodedString())
        try await transaction { database in
            try await IdempotencyRecord.query(on: database)
                .filter(\.$id == id)
                .filter(\.$responseStatus == nil)
                .set(\.$responseStatus, to: answer.status)
                .set(\.$responseContentType, to: answer.contentType)
                .set(\.$responseBody, to: sealed)
                .update()
        }
    }

    /// Gives up a claimed key whose request failed, so a retry runs it again.
    public func releaseIdempotencyKey(_ id: UUID) async throws {
        try await transaction { database in
            try await IdempotencyRecord.query(on: database).filter(\.$id == id).filter(\.$responseStatus == nil).delete()
        }
    }

    /// Forgets keys older than ``idempotencyKeyLifetime`` (the daily housekeeping job).
    func purgeExpiredIdempotencyKeys(on database: any Database, now: Date) async throws {
        try await IdempotencyRecord.query(on: database).filter(\.$expiresAt <= now).delete()
    }
}
