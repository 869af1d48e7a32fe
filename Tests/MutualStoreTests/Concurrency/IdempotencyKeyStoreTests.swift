import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

/// `Idempotency-Key` claims in the store: one of many racing claims wins, a finished request is
/// replayed, a different request is told apart, and keys are forgotten after a day.
@Suite("Idempotency keys in the store")
struct IdempotencyKeyStoreTests {
    static func request(_ key: String, digest: String = "body-1", by caller: Identity, address: String = "POST /api/v1/programmes") -> IdempotencyRequest {
        IdempotencyRequest(key: key, address: address, route: address, requestDigest: digest, caller: caller)
    }

    @Test("Of 50 claims of one key at once, exactly one wins; the rest are told it is in progress", arguments: TestBackend.all)
    func oneClaimWins(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            let claims = try await withThrowingTaskGroup(of: IdempotencyClaim.self) { group in
                for _ in 0..<50 { group.addTask { try await store.claimIdempotencyKey(Self.request("key-1", by: org.admin)) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let won = claims.compactMap { claim -> UUID? in
                if case .claimed(let id) = claim { return id }
                return nil
            }
            #expect(won.count == 1, "\(won.count) claims won")
            let waiting = claims.filter { claim in
                if case .inProgress = claim { return true }
                return false
            }
            #expect(waiting.count == 49, "the others are told the key is in progress")
            #expect(try await IdempotencyRecord.query(on: database.database()).count() == 1)
        }
    }

    @Test("A finished request is replayed, a different one is refused, another caller's key is its own, and a day later the key is forgotten", arguments: TestBackend.all)
    func lifecycle(backend: TestBackend) async throws {
        let clock = TestClock()
        try await backend.withDatabase { database in
            let store = Store(database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            guard case .claimed(let id) = try await store.claimIdempotencyKey(Self.request("k", by: org.admin)) else {
                Issue.record("the first claim did not win")
                return
            }
            let answer = StoredAPIAnswer(status: 201, contentType: "application/json", body: Array(#"{"accept_url":"http://x/invitations/SECRET123"}"#.utf8))
            try await store.completeIdempotencyKey(id, with: answer)
            #expect(try await store.claimIdempotencyKey(Self.request("k", by: org.admin)) == .replay(answer))
            #expect(try await store.claimIdempotencyKey(Self.request("k", digest: "body-2", by: org.admin)) == .mismatch)
            // Another caller, or another address, with the same key: independent.
            guard case .claimed = try await store.claimIdempotencyKey(Self.request("k", by: org.manager)) else {
                Issue.record("another caller's key was not its own")
                return
            }
            guard case .claimed = try await store.claimIdempotencyKey(Self.request("k", by: org.admin, address: "POST /api/v1/skills")) else {
                Issue.record("another address's key was not its own")
                return
            }
            // Neither the key nor the secret in the answer is stored in the clear.
            let rows = try await IdempotencyRecord.query(on: database.database()).all()
            #expect(rows.allSatisfy { $0.keyDigest != "k" && !($0.responseBody ?? "").contains("SECRET123") })
            #expect(rows.contains { $0.responseBody != nil })

            clock.advance(by: Store.idempotencyKeyLifetime)
            guard case .claimed = try await store.claimIdempotencyKey(Self.request("k", digest: "body-2", by: org.admin)) else {
                Issue.record("the key was remembered after a day")
                return
            }
            // Housekeeping removes what expired (the other two claims, made at the start).
            clock.advance(by: 1)
            try await store.enqueue(Store.jobSchedules[0].job(forSlotContaining: clock.now), on: database.database())
            try await store.runDueJobs()
            #expect(try await IdempotencyRecord.query(on: database.database()).count() == 1, "only the fresh claim is left")
        }
    }

    @Test("A released key can be claimed again", arguments: TestBackend.all)
    func release(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            guard case .claimed(let id) = try await store.claimIdempotencyKey(Self.request("k", by: org.admin)) else {
                Issue.record("the first claim did not win")
                return
            }
            guard case .inProgress = try await store.claimIdempotencyKey(Self.request("k", by: org.admin)) else {
                Issue.record("a running claim was not reported in progress")
                return
            }
            try await store.releaseIdempotencyKey(id)
            guard case .claimed = try await store.claimIdempotencyKey(Self.request("k", by: org.admin)) else {
                Issue.record("a released key could not be claimed")
                return
            }
        }
    }
}
