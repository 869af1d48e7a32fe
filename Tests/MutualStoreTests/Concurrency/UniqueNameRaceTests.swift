import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

/// Creating something whose name must be unique (a skill, an alias, a programme) checks for a
/// clash and then inserts. 50 requests at once with the same name: one is created, and every
/// other gets the clash as a conflict naming the field (not a database error, which the web
/// layer would answer with a 500).
@Suite("Unique names under concurrency")
struct UniqueNameRaceTests {
    static func store(_ database: MutualDatabase) -> Store {
        Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
    }

    /// Runs `attempt` 50 times at once; returns how many succeeded and the errors of the rest.
    static func race(_ attempt: @escaping @Sendable (Int) async throws -> Void) async -> (successes: Int, errors: [any Error]) {
        await withTaskGroup(of: (any Error)?.self) { group in
            for index in 0..<50 {
                group.addTask {
                    do { try await attempt(index); return nil } catch { return error }
                }
            }
            var successes = 0
            var errors: [any Error] = []
            for await outcome in group {
                if let outcome { errors.append(outcome) } else { successes += 1 }
            }
            return (successes, errors)
        }
    }

    static func isConflict(_ error: any Error, field: String) -> Bool {
        if case StoreError.conflict(let named, _) = error { return named == field }
        return false
    }

    @Test("50 parallel creations of one skill: one skill, 49 conflicts on name", arguments: TestBackend.all)
    func skill(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let outcome = await Self.race { _ in _ = try await store.createSkill(name: "Window Functions", family: "Technical", by: org.admin) }
            #expect(outcome.successes == 1)
            #expect(outcome.errors.allSatisfy { Self.isConflict($0, field: "name") }, "\(outcome.errors.prefix(3))")
            #expect(try await store.skills(of: org.admin).filter { $0.name == "Window Functions" }.count == 1)
        }
    }

    @Test("50 parallel creations of one programme name: one programme, 49 conflicts on name", arguments: TestBackend.all)
    func programme(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let outcome = await Self.race { _ in
                _ = try await store.createProgramme(
                    ProgrammeDraft(name: "Peers", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: org.manager)
            }
            #expect(outcome.successes == 1)
            #expect(outcome.errors.allSatisfy { Self.isConflict($0, field: "name") }, "\(outcome.errors.prefix(3))")
        }
    }

    @Test("50 parallel aliases of one name to two skills: it means one of them", arguments: TestBackend.all)
    func alias(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let first = try await store.createSkill(name: "Quantum Knitting", family: "Craft", by: org.admin).requireID()
            let second = try await store.createSkill(name: "Thread Theory", family: "Craft", by: org.admin).requireID()
            let outcome = await Self.race { index in
                try await store.addAlias("qk", toSkill: index.isMultiple(of: 2) ? first : second, by: org.admin)
            }
            #expect(outcome.errors.allSatisfy { Self.isConflict($0, field: "alias") }, "\(outcome.errors.filter { !Self.isConflict($0, field: "alias") }.prefix(3))")
            let holders = try await store.skills(of: org.admin).filter { $0.aliases.contains("qk") }
            #expect(holders.count == 1)
        }
    }

    @Test("Two people given one email address 25 times each at once: one of them has it", arguments: TestBackend.all)
    func profileEmail(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let outcome = await Self.race { index in
                let person = index.isMultiple(of: 2) ? org.participant.personID : org.manager.personID
                _ = try await store.updateProfile(
                    personID: person,
                    with: ProfileUpdate(name: "Person \(index)", email: "shared@acme.example", level: 3, timeZone: "Europe/Lisbon"),
                    by: org.admin)
            }
            #expect(outcome.successes >= 1)
            #expect(outcome.errors.allSatisfy { Self.isConflict($0, field: "email") }, "\(outcome.errors.prefix(3))")
            let holders = try await Person.query(on: database.database()).filter(\.$email == "shared@acme.example").count()
            #expect(holders == 1)
        }
    }

    @Test("50 parallel profile saves naming one new skill: all saved, one skill, one row per person", arguments: TestBackend.all)
    func newSkillFromProfiles(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let outcome = await Self.race { index in
                let person = index.isMultiple(of: 2) ? org.participant : org.manager
                _ = try await store.updateProfile(
                    personID: person.personID,
                    with: ProfileUpdate(name: "Person \(index % 2)", level: 3, timeZone: "Europe/Lisbon", strengths: [("Rust Lang", 1 + index % 5)]),
                    by: person)
            }
            #expect(outcome.successes == 50, "\(outcome.errors.prefix(3))")
            let skills = try await Skill.query(on: database.database()).filter(\.$slug == "rust-lang").all()
            #expect(skills.count == 1)
            for person in [org.participant, org.manager] {
                let rows = try await PersonSkill.query(on: database.database()).filter(\.$personID == person.personID).count()
                #expect(rows == 1)
            }
        }
    }
}
