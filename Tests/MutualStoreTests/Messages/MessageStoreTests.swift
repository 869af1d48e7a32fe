import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import SQLKit
import Testing

@Suite("A relationship's message thread and its hourly digest")
struct MessageStoreTests {
    @Test("Members write and read; managers read and post only as the manager; anyone else gets not found", arguments: TestBackend.all)
    func whoReadsAndWrites(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = ProgrammeStoreTests.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await ProgrammeSeeds.relationship(store, org)
            // The participant and the manager are the members; the admin manages but is not one.
            let first = try await store.postMessage(in: id, body: "  Thursday at 10?  ", by: org.participant)
            #expect(first.body == "Thursday at 10?" && !first.fromManager)
            clock.advance(by: 60)
            let nudge = try await store.postMessage(in: id, body: "How is it going?", by: org.admin)
            #expect(nudge.fromManager)
            clock.advance(by: 60)
            let asMember = try await store.postMessage(in: id, body: "Thursday works.", by: org.manager)
            #expect(!asMember.fromManager)
            let thread = try await store.messages(inRelationship: id, of: org.manager)
            #expect(thread.map(\.body) == ["Thursday at 10?", "How is it going?", "Thursday works."])
            #expect(thread.map(\.fromManager) == [false, true, false])
            #expect(thread.map(\.isViewer) == [false, false, true])
            #expect(try await store.messages(inRelationship: id, of: org.admin).count == 3)

            let outsider = try await Seeds.participant("Olga", in: org, store: store, strengths: [], wants: [])
            await #expect(throws: StoreError.notFound(what: "relationship")) { _ = try await store.messages(inRelationship: id, of: outsider) }
            await #expect(throws: StoreError.notFound(what: "relationship")) { _ = try await store.postMessage(in: id, body: "hi", by: outsider) }
            let globex = try await Seeds.organisation("Globex", in: store)
            await #expect(throws: StoreError.notFound(what: "relationship")) { _ = try await store.messages(inRelationship: id, of: globex.admin) }
            await #expect(throws: StoreError.notFound(what: "relationship")) { _ = try await store.postMessage(in: id, body: "hi", by: globex.manager) }
            // A member who is also a manager may post as the manager only by asking to; a
            // participant cannot.
            await #expect(throws: StoreError.self) { _ = try await store.postMessage(in: id, body: "hi", asManager: true, by: org.participant) }
            #expect(try await store.messages(inRelationship: id, of: org.participant).count == 3)
        }
    }

    @Test("Bad messages are refused with the field named; a closed relationship's thread is read-only", arguments: TestBackend.all)
    func badInput(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await ProgrammeSeeds.relationship(store, org)
            await #expect(throws: StoreError.invalid(field: "body", message: "Write a message before sending it.")) {
                _ = try await store.postMessage(in: id, body: " \n ", by: org.participant)
            }
            await #expect(throws: StoreError.invalid(field: "body", message: "Shorten the message to at most 4,000 characters; it has 4,001.")) {
                _ = try await store.postMessage(in: id, body: String(repeating: "x", count: 4_001), by: org.participant)
            }
            await #expect(throws: StoreError.self) { _ = try await store.postMessage(in: id, body: "a\u{0}b", by: org.participant) }
            try await store.changeRelationship(id: id, to: .completed, by: org.participant)
            do {
                _ = try await store.postMessage(in: id, body: "Still there?", by: org.participant)
                Issue.record("A closed relationship took a message")
            } catch let error as StoreError {
                guard case .conflict = error else { Issue.record("Expected a conflict, got \(error)"); return }
            }
            #expect(try await store.messages(inRelationship: id, of: org.participant).isEmpty)
        }
    }

    @Test("The other members get one digest at the end of the hour with every message since the last", arguments: TestBackend.all)
    func hourlyDigest(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = ProgrammeStoreTests.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await ProgrammeSeeds.relationship(store, org)
            try await store.runDueJobs()
            let before = try await store.outbox().count
            // TestClock starts on the hour: three messages within it, two from the participant.
            try await store.postMessage(in: id, body: "First: shall we meet Thursday?", by: org.participant)
            clock.advance(by: 600)
            try await store.postMessage(in: id, body: "Second: or Friday.", by: org.participant)
            clock.advance(by: 600)
            try await store.postMessage(in: id, body: "Reply: Friday is good.", by: org.manager)
            try await store.runDueJobs()
            // Nothing before the hour ends.
            #expect(try await store.outbox().count == before)
            clock.advance(by: 2400 + 1)
            try await store.runDueJobs()
            let digests = try await store.outbox().dropFirst(before).filter { $0.subject.contains("in your relationships") }
            #expect(digests.count == 2)
            let toManager = digests.filter { $0.recipient == org.managerEmail }
            #expect(toManager.count == 1)
            #expect(toManager.first?.subject == "2 new messages in your relationships")
            #expect(toManager.first?.body.contains("First: shall we meet Thursday?") == true && toManager.first?.body.contains("Second: or Friday.") == true)
            #expect(toManager.first?.body.contains("Reply: Friday is good.") == false)
            let toParticipant = digests.filter { $0.recipient == org.participantEmail }
            #expect(toParticipant.count == 1 && toParticipant.first?.body.contains("Reply: Friday is good.") == true)

            // The next hour's digest carries only what came after.
            try await store.postMessage(in: id, body: "Third: see you then.", by: org.participant)
            clock.advance(by: 3600)
            try await store.runDueJobs()
            let next = try await store.outbox().dropFirst(before + 2).filter { $0.recipient == org.managerEmail }
            #expect(next.count == 1)
            #expect(next.first?.body.contains("Third: see you then.") == true && next.first?.body.contains("First:") == false)
        }
    }

    @Test("A person who turned message emails off gets no digest", arguments: TestBackend.all)
    func digestOptOut(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = ProgrammeStoreTests.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await ProgrammeSeeds.relationship(store, org)
            try await store.setEmailPreferences(Set(EmailCategory.optional).subtracting([.messages]), of: org.manager)
            try await store.runDueJobs()
            try await store.postMessage(in: id, body: "Anyone?", by: org.participant)
            clock.advance(by: 3601)
            try await store.runDueJobs()
            #expect(try await store.outbox().filter { $0.recipient == org.managerEmail && $0.body.contains("Anyone?") }.isEmpty)
        }
    }

    @Test("50 messages at once: all kept, and one digest job per recipient for the hour", arguments: TestBackend.all)
    func concurrentPosts(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = ProgrammeStoreTests.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await ProgrammeSeeds.relationship(store, org)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<50 {
                    group.addTask { _ = try await store.postMessage(in: id, body: "Message \(n)", by: n.isMultiple(of: 2) ? org.participant : org.manager) }
                }
                try await group.waitForAll()
            }
            #expect(try await store.messages(inRelationship: id, of: org.participant).count == 50)
            try await store.runDueJobs()
            let digests = try await database.sql()
                .raw("SELECT COUNT(*) AS n FROM jobs WHERE kind = \(bind: JobKind.messageDigest)").first()
            #expect(try digests?.decode(column: "n", as: Int.self) == 2)
            clock.advance(by: 3601)
            try await store.runDueJobs()
            let toManager = try await store.outbox().filter { $0.recipient == org.managerEmail && $0.subject.contains("in your relationships") }
            #expect(toManager.count == 1 && toManager.first?.subject == "25 new messages in your relationships")
        }
    }
}
