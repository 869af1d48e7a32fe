import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("Publishing matches, accepting and declining")
struct PublishingStoreTests {
    @Test("Publishing shows each member their match with why, emails them, and both must accept", arguments: TestBackend.all)
    func publishAndAccept(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await ProgrammeSeeds.accountsProgramme(store, org)
            let run = try await ProgrammeSeeds.run(store, programme, org)
            #expect(run.matched == 4)
            #expect(try await store.myMatches(of: org.participant).isEmpty)
            try await store.runDueJobs()
            let outboxBefore = try await OutboxMessage.query(on: database.database()).count()
            #expect(try await store.publishMatchRun(id: run.id, by: org.manager) == 2)
            try await store.runDueJobs()
            await #expect(throws: StoreError.self) { _ = try await store.publishMatchRun(id: run.id, by: org.manager) }
            await #expect(throws: StoreError.self) { _ = try await store.publishMatchRun(id: run.id, by: org.participant) }

            // The seeded participant and manager have email addresses; C1 and D1 do not.
            let messages = try await OutboxMessage.query(on: database.database()).all().dropFirst(outboxBefore)
            #expect(messages.count == 2)
            #expect(messages.contains { $0.subject.contains("Your match in Swap: Max Manager") })

            let mine = try #require(try await store.myMatches(of: org.participant).first)
            #expect(mine.partners.map(\.name) == ["Max Manager"] && mine.status == .pending && mine.myResponse == .pending)
            #expect(mine.reasons.contains { $0.contains("Statistics") })
            try await store.respond(toMatch: mine.id, accept: true, by: org.participant)
            #expect(try await store.myMatches(of: org.participant).first?.status == .pending)
            await #expect(throws: StoreError.self) { try await store.respond(toMatch: mine.id, accept: false, by: org.participant) }
            try await store.respond(toMatch: mine.id, accept: true, by: org.manager)
            #expect(try await store.myMatches(of: org.manager).first?.status == .accepted)
            let summary = try await store.publishedMatches(in: programme.id, by: org.manager)
            #expect((summary.accepted, summary.pending, summary.declined) == (1, 1, 0))
            #expect(summary.publishedRunIDs == [run.id])
            // The match ids a page at a time (one per page here): both, once each, in id order.
            let firstPage = try await store.publishedMatchIDs(in: programme.id, limit: 1, by: org.manager)
            let next = try #require(firstPage.next)
            let secondPage = try await store.publishedMatchIDs(in: programme.id, after: next, limit: 1, by: org.manager)
            #expect(secondPage.next == nil && firstPage.ids.count == 1 && secondPage.ids.count == 1)
            let all = try await store.publishedMatchIDs(in: programme.id, by: org.manager).ids
            #expect(all == firstPage.ids + secondPage.ids && all.count == 2 && all == all.sorted { $0.uuidString < $1.uuidString })
            #expect(all.contains(mine.id))

            // Someone outside the match, or in another organisation, cannot answer for it.
            let other = try await Seeds.organisation("Globex", in: store)
            await #expect(throws: StoreError.notFound(what: "match")) { try await store.respond(toMatch: mine.id, accept: false, by: other.participant) }
            await #expect(throws: StoreError.notFound(what: "match")) { try await store.respond(toMatch: mine.id, accept: false, by: org.admin) }
        }
    }

    @Test("A decline ends the match, returns both to the pool and keeps them apart in the next run", arguments: TestBackend.all)
    func declineAndRematch(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await ProgrammeSeeds.accountsProgramme(store, org)
            let first = try await ProgrammeSeeds.run(store, programme, org)
            _ = try await store.publishMatchRun(id: first.id, by: org.manager)
            let match = try #require(try await store.myMatches(of: org.participant).first)
            try await store.respond(toMatch: match.id, accept: false, reason: "Our schedules clash", by: org.participant)
            #expect(try await store.myMatches(of: org.manager).first?.status == .declined)
            await #expect(throws: StoreError.self) { try await store.respond(toMatch: match.id, accept: true, by: org.manager) }
            let summary = try await store.publishedMatches(in: programme.id, by: org.manager)
            #expect((summary.declined, summary.pending) == (1, 1) && summary.declineReasons == ["Our schedules clash"])

            // C1 and D1 still have their pending match, so the re-run has only the two who
            // declined, and it does not pair them again.
            let second = try await ProgrammeSeeds.run(store, programme, org)
            #expect(second.participants == 2 && second.matched == 0)
            let result = try #require(try JSONSerialization.jsonObject(with: Data(second.resultJSON.utf8)) as? [String: Any])
            #expect((result["unmatched"] as? [Any])?.count == 2)
            await #expect(throws: StoreError.self) { _ = try await store.publishMatchRun(id: first.id, by: org.manager) }
        }
    }
}
