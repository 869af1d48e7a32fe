import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("Self-match: suggestions, requests and capacity")
struct SelfMatchStoreTests {
    static func pool(_ store: Store, _ org: SeededOrganisation, capacity: Int = 1) async throws -> ProgrammeSeeds.SelfMatchPool {
        try await ProgrammeSeeds.selfMatchPool(store, org, capacity: capacity)
    }

    @Test("Suggestions are ranked and explained by the engine's scores, and respect the hard rules", arguments: TestBackend.all)
    func suggestions(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let pool = try await Self.pool(store, org)
            let suggested = try await store.suggestedPeers(in: pool.programme.id, by: pool.xena)
            // Bo is two levels away from Xena each way, Ari three: the engine values "one step
            // ahead" teaching more, so Bo ranks first. Cy shares no language with her.
            #expect(suggested.map(\.name) == ["Bo", "Ari"])
            #expect(suggested[0].score > suggested[1].score)
            #expect(suggested[1].reasons.contains { $0.contains("Python") } && suggested[1].reasons.contains { $0.contains("SQL") })
            #expect(!suggested.contains { $0.requested })

            // Someone not enrolled, and a programme without self-match, are told why.
            await #expect(throws: StoreError.self) { _ = try await store.suggestedPeers(in: pool.programme.id, by: org.participant) }
            let runsOnly = try await ProgrammeSeeds.programme(store, org)
            await #expect(throws: StoreError.self) { _ = try await store.suggestedPeers(in: runsOnly.id, by: org.manager) }
        }
    }

    @Test("A request the other accepts opens a relationship; both then have no room left", arguments: TestBackend.all)
    func requestAndAccept(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let pool = try await Self.pool(store, org)
            let id = try await store.sendMatchRequest(in: pool.programme.id, to: pool.ari.personID, message: "Trade SQL for Python?", by: pool.xena)
            #expect(try await store.suggestedPeers(in: pool.programme.id, by: pool.xena).first { $0.name == "Ari" }?.requested == true)
            // Asking twice, asking back, asking oneself, or asking someone the rules forbid, is refused.
            await #expect(throws: StoreError.self) { try await store.sendMatchRequest(in: pool.programme.id, to: pool.ari.personID, message: "", by: pool.xena) }
            await #expect(throws: StoreError.self) { try await store.sendMatchRequest(in: pool.programme.id, to: pool.xena.personID, message: "", by: pool.ari) }
            await #expect(throws: StoreError.self) { try await store.sendMatchRequest(in: pool.programme.id, to: pool.xena.personID, message: "", by: pool.xena) }
            await #expect(throws: StoreError.self) { try await store.sendMatchRequest(in: pool.programme.id, to: pool.cy.personID, message: "", by: pool.xena) }

            let incoming = try #require(try await store.matchRequests(of: pool.ari).first)
            #expect(incoming.incoming && incoming.otherName == "Xena" && incoming.message == "Trade SQL for Python?" && incoming.status == .pending)
            // Only the person asked can answer.
            await #expect(throws: StoreError.self) { try await store.answerMatchRequest(id, accept: true, by: pool.xena) }
            try await store.answerMatchRequest(id, accept: true, by: pool.ari)
            #expect(try await store.matchRequests(of: pool.xena).first?.status == .accepted)
            let relationship = try #require(try await store.myRelationships(of: pool.xena).first)
            #expect(relationship.memberNames == ["Xena", "Ari"] && relationship.status == .active)

            // Capacity 1: neither can start another, and they no longer appear as suggestions.
            await #expect(throws: StoreError.self) { try await store.sendMatchRequest(in: pool.programme.id, to: pool.bo.personID, message: "", by: pool.xena) }
            #expect(try await store.suggestedPeers(in: pool.programme.id, by: pool.bo).isEmpty)
        }
    }

    @Test("Declining and withdrawing close a request without a relationship", arguments: TestBackend.all)
    func declineAndWithdraw(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let pool = try await Self.pool(store, org)
            let first = try await store.sendMatchRequest(in: pool.programme.id, to: pool.ari.personID, message: "", by: pool.xena)
            try await store.answerMatchRequest(first, accept: false, by: pool.ari)
            await #expect(throws: StoreError.self) { try await store.answerMatchRequest(first, accept: true, by: pool.ari) }
            let second = try await store.sendMatchRequest(in: pool.programme.id, to: pool.bo.personID, message: "", by: pool.xena)
            await #expect(throws: StoreError.self) { try await store.withdrawMatchRequest(second, by: pool.bo) }
            try await store.withdrawMatchRequest(second, by: pool.xena)
            #expect(try await store.matchRequests(of: pool.xena).map(\.status).sorted { $0.rawValue < $1.rawValue } == [.declined, .withdrawn])
            #expect(try await store.myRelationships(of: pool.xena).isEmpty)
        }
    }

    @Test("Two accepts at the same moment cannot exceed capacity", arguments: TestBackend.all)
    func concurrentAccepts(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let pool = try await Self.pool(store, org)
            // Xena asked both Ari and Bo; both say yes at once. Capacity 1: exactly one wins.
            let toAri = try await store.sendMatchRequest(in: pool.programme.id, to: pool.ari.personID, message: "", by: pool.xena)
            let toBo = try await store.sendMatchRequest(in: pool.programme.id, to: pool.bo.personID, message: "", by: pool.xena)
            async let ariAnswer = Self.outcome { try await store.answerMatchRequest(toAri, accept: true, by: pool.ari) }
            async let boAnswer = Self.outcome { try await store.answerMatchRequest(toBo, accept: true, by: pool.bo) }
            let outcomes = await [ariAnswer, boAnswer]
            #expect(outcomes.filter { $0 == nil }.count == 1, "outcomes: \(outcomes)")
            let refusal = try #require(outcomes.compactMap { $0 }.first)
            #expect(refusal.contains("no room left"), "the loser is told why, not given a database error: \(refusal)")
            #expect(try await store.myRelationships(of: pool.xena).count == 1)
            let statuses = try await store.matchRequests(of: pool.xena).map(\.status)
            #expect(statuses.filter { $0 == .accepted }.count == 1 && statuses.filter { $0 == .pending }.count == 1)
        }
    }

    @Test("Accepting two requests at once with room for two opens both", arguments: TestBackend.all)
    func concurrentAcceptsWithinCapacity(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let pool = try await Self.pool(store, org, capacity: 2)
            let fromAri = try await store.sendMatchRequest(in: pool.programme.id, to: pool.xena.personID, message: "", by: pool.ari)
            let fromBo = try await store.sendMatchRequest(in: pool.programme.id, to: pool.xena.personID, message: "", by: pool.bo)
            async let first = Self.outcome { try await store.answerMatchRequest(fromAri, accept: true, by: pool.xena) }
            async let second = Self.outcome { try await store.answerMatchRequest(fromBo, accept: true, by: pool.xena) }
            let outcomes = await [first, second]
            #expect(outcomes == [nil, nil])
            #expect(try await store.myRelationships(of: pool.xena).count == 2)
        }
    }

    /// `nil` when the work succeeded, else what the person would read.
    static func outcome(_ work: @Sendable () async throws -> Void) async -> String? {
        do {
            try await work()
            return nil
        } catch let error as StoreError {
            return error.errorDescription ?? "\(error)"
        } catch {
            return "unexpected: \(error)"
        }
    }
}
