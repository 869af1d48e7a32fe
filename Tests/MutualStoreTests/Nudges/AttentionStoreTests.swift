import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("The needs-attention list: stalled, overdue, snooze, message, unwind, silence")
struct AttentionStoreTests {
    @Test("A stalled pair is listed for managers only, per programme and across them", arguments: TestBackend.all)
    func stalledPair(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            let store = pair.store
            #expect(try await store.needsAttention(of: pair.org.manager).isEmpty)
            pair.clock.advance(by: 15 * 86_400)
            let items = try await store.needsAttention(in: pair.pool.programme.id, of: pair.org.manager)
            #expect(items.map(\.relationshipID) == [pair.relationshipID])
            #expect(Set(items.first?.flags.map(\.reason) ?? []) == [.noFirstMeeting, .agreementUnsigned])
            #expect(Set(items.first?.memberNames ?? []) == ["Xena", "Ari"])
            #expect(items.first?.lastActivityAt == nil)
            #expect(try await store.needsAttention(of: pair.org.admin).map(\.relationshipID) == [pair.relationshipID])
            await #expect(throws: StoreError.self) { _ = try await store.needsAttention(of: pair.pool.xena) }
            let globex = try await Seeds.organisation("Globex", in: store)
            #expect(try await store.needsAttention(of: globex.manager).isEmpty)
            await #expect(throws: StoreError.notFound(what: "programme")) {
                _ = try await store.needsAttention(in: pair.pool.programme.id, of: globex.manager)
            }
        }
    }

    @Test("Snooze hides it until the date; the manager's message lands in the thread; unwind dissolves", arguments: TestBackend.all)
    func actions(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            let store = pair.store
            pair.clock.advance(by: 15 * 86_400)
            let id = pair.relationshipID
            await #expect(throws: StoreError.invalid(field: "until", message: "Choose a date after today to snooze until.")) {
                try await store.snoozeAttention(relationshipID: id, until: pair.clock.now, by: pair.org.manager)
            }
            await #expect(throws: StoreError.self) {
                try await store.snoozeAttention(relationshipID: id, until: pair.clock.now.addingTimeInterval(181 * 86_400), by: pair.org.manager)
            }
            await #expect(throws: StoreError.self) {
                try await store.snoozeAttention(relationshipID: id, until: pair.clock.now.addingTimeInterval(86_400), by: pair.pool.xena)
            }
            try await store.snoozeAttention(relationshipID: id, until: pair.clock.now.addingTimeInterval(3 * 86_400), by: pair.org.manager)
            #expect(try await store.needsAttention(of: pair.org.manager).isEmpty)
            #expect(try await store.needsAttention(includeSnoozed: true, of: pair.org.manager).first?.snoozedUntil != nil)
            pair.clock.advance(by: 3 * 86_400 + 1)
            #expect(try await store.needsAttention(of: pair.org.manager).map(\.relationshipID) == [id])

            try await store.postMessage(in: id, body: "Can I help you find a time?", asManager: true, by: pair.org.manager)
            let thread = try await store.messages(inRelationship: id, of: pair.pool.xena)
            #expect(thread.map(\.fromManager) == [true] && thread.first?.authorName == "Acme Manager")

            try await store.changeRelationship(id: id, to: .dissolved, reason: "Not working out", by: pair.org.manager)
            #expect(try await store.needsAttention(of: pair.org.manager).isEmpty)
        }
    }

    @Test("Silent for 90 days is flagged; closed after 7 more only where the programme says so, both told", arguments: TestBackend.all)
    func silence(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            let store = pair.store
            pair.clock.advance(by: 91 * 86_400)
            let flags = try await store.needsAttention(of: pair.org.manager).first?.flags.map(\.reason) ?? []
            #expect(flags.contains(.silent) && !flags.contains(.noFirstMeeting))
            pair.clock.advance(by: 7 * 86_400)
            // The default leaves it open.
            #expect(try await store.runNudgeScan().relationshipsClosed == 0)
            #expect(try await store.relationship(id: pair.relationshipID, of: pair.pool.xena).status == .active)
            var rules = NudgeRules.defaults
            rules.closeSilent = true
            try await store.updateNudgeRules(for: pair.pool.programme.id, rules, by: pair.org.manager)
            async let first = store.runNudgeScan()
            async let second = store.runNudgeScan()
            #expect(try await [first, second].map(\.relationshipsClosed).reduce(0, +) == 1)
            let view = try await store.relationship(id: pair.relationshipID, of: pair.pool.xena)
            #expect(view.status == .completed && view.endReason.contains("97 days"))
            try await store.runDueJobs()
            let told = try await store.outbox().filter { $0.subject.contains("closed after a long silence") }
            #expect(Set(told.map(\.recipient)) == [NudgePair.xenaEmail, NudgePair.ariEmail])
        }
    }
}
