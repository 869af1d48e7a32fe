import FluentKit
import Foundation
import Logging
import MutualStore
import MutualTestSupport
import SQLKit
import Testing

/// A self-match pair to nudge: Xena in Lisbon (UTC+0 in winter) and Ari in New York (UTC−5).
/// The test clock starts at 2027-01-15 08:00 UTC, which is 08:00 in Lisbon and 03:00 in New York.
struct NudgePair {
    let store: Store
    let clock: TestClock
    let org: SeededOrganisation
    let pool: ProgrammeSeeds.SelfMatchPool
    let relationshipID: UUID

    static let xenaEmail = "xena@acme.example"
    static let ariEmail = "ari@acme.example"
    static let boEmail = "bo@acme.example"

    static func make(_ database: MutualDatabase) async throws -> NudgePair {
        let clock = TestClock()
        let store = ProgrammeStoreTests.store(database, clock: clock)
        let org = try await Seeds.organisation("Acme", in: store)
        let pool = try await ProgrammeSeeds.selfMatchPool(store, org)
        let request = try await store.sendMatchRequest(in: pool.programme.id, to: pool.ari.personID, message: "", by: pool.xena)
        try await store.answerMatchRequest(request, accept: true, by: pool.ari)
        _ = try await store.updateProfile(
            personID: pool.ari.personID,
            with: ProfileUpdate(
                name: "Ari", email: ariEmail, level: 3, timeZone: "America/New_York", languages: ["en"], strengths: [("Python", 4), ("Design", 4)],
                wants: [("SQL", 1)]),
            by: org.admin)
        guard let id = try await store.myRelationships(of: pool.xena).first?.id else { throw SeedError("no relationship opened") }
        try await store.runDueJobs()
        return NudgePair(store: store, clock: clock, org: org, pool: pool, relationshipID: id)
    }

    /// Nudge emails sent so far to `email`.
    func nudges(to email: String) async throws -> [(recipient: String, subject: String, body: String)] {
        try await store.runDueJobs()
        return try await store.outbox().filter { $0.recipient == email && $0.body.hasPrefix("Good morning") }
    }
}

@Suite("Nudges: morning emails, one a day, once across replicas")
struct NudgeScanTests {
    @Test("Each person is nudged in their own local morning, with every reason in one email", arguments: TestBackend.all)
    func localMorning(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            // Nothing is due yet: the relationship is new.
            #expect(try await pair.store.runNudgeScan().findings == 0)
            // 15 days on, 08:00 UTC: morning in Lisbon, night in New York.
            pair.clock.advance(by: 15 * 86_400)
            let lisbon = try await pair.store.runNudgeScan()
            #expect(lisbon.nudged == 1)
            let xena = try await pair.nudges(to: NudgePair.xenaEmail)
            #expect(xena.count == 1)
            // No first meeting (14 days) and an unsigned agreement (7 days), together.
            #expect(xena.first?.body.contains("no meeting in the 15 days") == true)
            #expect(xena.first?.body.contains("not signed your agreement") == true)
            #expect(xena.first?.subject == "A few things need you in Mutual")
            #expect(try await pair.nudges(to: NudgePair.ariEmail).isEmpty)

            // 13:00 UTC is 08:00 in New York: Ari's turn; Xena's day is done.
            pair.clock.advance(by: 5 * 3600)
            #expect(try await pair.store.runNudgeScan().nudged == 1)
            #expect(try await pair.nudges(to: NudgePair.ariEmail).count == 1)
            #expect(try await pair.nudges(to: NudgePair.xenaEmail).count == 1)
            // Any other hour nudges nobody.
            for _ in 0..<18 {
                pair.clock.advance(by: 3600)
                if try await pair.store.runNudgeScan().nudged != 0 { Issue.record("nudged outside the morning at \(pair.clock.now)") }
            }
            // The next morning in Lisbon (08:00 UTC the day after), Xena again.
            pair.clock.advance(by: 1 * 3600)
            #expect(try await pair.store.runNudgeScan().nudged == 1)
            #expect(try await pair.nudges(to: NudgePair.xenaEmail).count == 2)
        }
    }

    @Test("Never twice a day: a second scan in the morning hour sends nothing more", arguments: TestBackend.all)
    func onceADay(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            pair.clock.advance(by: 15 * 86_400)
            #expect(try await pair.store.runNudgeScan().nudged == 1)
            pair.clock.advance(by: 1800)
            let again = try await pair.store.runNudgeScan()
            #expect(again.findings > 0 && again.nudged == 0)
            #expect(try await pair.nudges(to: NudgePair.xenaEmail).count == 1)
        }
    }

    @Test("Two replicas running the same hourly slot nudge once", arguments: TestBackend.all)
    func twoReplicas(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            pair.clock.advance(by: 15 * 86_400)
            let store = pair.store
            let schedule = try #require(Store.jobSchedules.first { $0.kind == JobKind.nudgeScan })
            // Each replica's worker enqueues the slot's job; the unique key keeps one.
            try await store.enqueue(schedule.job(forSlotContaining: pair.clock.now))
            try await store.enqueue(schedule.job(forSlotContaining: pair.clock.now.addingTimeInterval(120)))
            let jobs = try await database.sql().raw("SELECT COUNT(*) AS n FROM jobs WHERE kind = \(bind: JobKind.nudgeScan)").first()
            #expect(try jobs?.decode(column: "n", as: Int.self) == 1)
            // Two workers drain at once.
            let logger = Logger(label: "test")
            async let first = JobWorker(store: store, handlers: store.jobHandlers(), logger: logger).drain()
            async let second = JobWorker(store: store, handlers: store.jobHandlers(), logger: logger).drain()
            _ = try await (first, second)
            // And two scans of the same hour race each other directly.
            async let third = store.runNudgeScan()
            async let fourth = store.runNudgeScan()
            let raced = try await [third, fourth]
            #expect(raced.map(\.nudged).reduce(0, +) == 0)
            #expect(try await pair.nudges(to: NudgePair.xenaEmail).count == 1)
            let finished = try await database.sql()
                .raw("SELECT COUNT(*) AS n FROM jobs WHERE kind = \(bind: JobKind.nudgeScan) AND status = 'finished'").first()
            #expect(try finished?.decode(column: "n", as: Int.self) == 1)
        }
    }

    @Test("Two scans racing the first morning send one email per person", arguments: TestBackend.all)
    func racingScans(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            pair.clock.advance(by: 15 * 86_400)
            async let first = pair.store.runNudgeScan()
            async let second = pair.store.runNudgeScan()
            let results = try await [first, second]
            #expect(results.map(\.nudged).sorted() == [0, 1])
            #expect(try await pair.nudges(to: NudgePair.xenaEmail).count == 1)
        }
    }

    @Test("A person who turned nudges off is not nudged; the other member still is", arguments: TestBackend.all)
    func optOut(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            try await pair.store.setEmailPreferences(Set(EmailCategory.optional).subtracting([.nudges]), of: pair.pool.xena)
            pair.clock.advance(by: 15 * 86_400)
            #expect(try await pair.store.runNudgeScan().nudged == 0)
            pair.clock.advance(by: 5 * 3600)
            #expect(try await pair.store.runNudgeScan().nudged == 1)
            #expect(try await pair.nudges(to: NudgePair.xenaEmail).isEmpty)
            #expect(try await pair.nudges(to: NudgePair.ariEmail).count == 1)
        }
    }

    @Test("A rule switched off is not nudged; days come from the programme's rules", arguments: TestBackend.all)
    func programmeRules(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            let programme = pair.pool.programme.id
            #expect(try await pair.store.nudgeRules(for: programme, of: pair.org.manager) == .defaults)
            var rules = NudgeRules.defaults
            rules.agreement = false
            rules.firstMeetingDays = 20
            try await pair.store.updateNudgeRules(for: programme, rules, by: pair.org.manager)
            #expect(try await pair.store.nudgeRules(for: programme, of: pair.org.manager) == rules)
            await #expect(throws: StoreError.self) { try await pair.store.nudgeRules(for: programme, of: pair.pool.xena) }
            var bad = rules
            bad.quietDays = 0
            await #expect(throws: StoreError.invalid(field: "quiet_days", message: "Set the quiet days before a nudge between 1 and 365; 0 is outside that range.")) {
                try await pair.store.updateNudgeRules(for: programme, bad, by: pair.org.manager)
            }
            // 15 days: the first-meeting rule now waits 20, the agreement rule is off.
            pair.clock.advance(by: 15 * 86_400)
            #expect(try await pair.store.runNudgeScan().findings == 0)
            pair.clock.advance(by: 6 * 86_400)
            #expect(try await pair.store.runNudgeScan().nudged == 1)
            let xena = try await pair.nudges(to: NudgePair.xenaEmail)
            #expect(xena.first?.body.contains("no meeting in the 21 days") == true && xena.first?.body.contains("agreement") == false)
        }
    }

    @Test("A request waits: nudged at 7 days, closed at 14 with both told", arguments: TestBackend.all)
    func requestWaiting(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            let store = pair.store
            // Bo (Lisbon) is asked by Dee and does not answer.
            let dee = try await Seeds.participant("Dee", in: pair.org, store: store, strengths: [("SQL", 3)], wants: [("Python", 1)])
            _ = try await store.enrol(personIDs: [dee.personID], in: pair.pool.programme.id, by: pair.org.manager)
            let request = try await store.sendMatchRequest(in: pair.pool.programme.id, to: pair.pool.bo.personID, message: "", by: dee)
            try await store.runDueJobs()
            pair.clock.advance(by: 7 * 86_400)
            #expect(try await store.runNudgeScan().requestsClosed == 0)
            let bo = try await pair.nudges(to: NudgePair.boEmail)
            #expect(bo.count == 1 && bo.first?.body.contains("has waited 7 days for your answer") == true)
            pair.clock.advance(by: 7 * 86_400)
            #expect(try await store.runNudgeScan().requestsClosed == 1)
            #expect(try await store.matchRequests(of: pair.pool.bo).first { $0.id == request }?.status == .expired)
            try await store.runDueJobs()
            let closed = try await store.outbox().filter { $0.subject.hasPrefix("Your match request in") }
            #expect(Set(closed.map(\.recipient)) == [NudgePair.boEmail, "dee@acme.example"])
            // Closing twice closes nothing more.
            #expect(try await store.runNudgeScan().requestsClosed == 0)
        }
    }

    @Test("50 scans at once in the morning hour: one email per person", arguments: TestBackend.all)
    func fiftyScans(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            pair.clock.advance(by: 15 * 86_400)
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 { group.addTask { try await pair.store.runNudgeScan().nudged } }
                return try await group.reduce(0, +)
            }
            #expect(total == 1)
            #expect(try await pair.nudges(to: NudgePair.xenaEmail).count == 1)
        }
    }
}
