import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import SQLKit
import Testing

@Suite("Migration 033: programme managers")
struct ProgrammeManagerMigrationTests {
    @Test("On upgrade each programme manager manages every existing programme of their organisation, and nobody else is recorded", arguments: TestBackend.all)
    func existingManagersKeepTheirProgrammes(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            let acme = try await Seeds.organisation("Acme", in: store)
            let globex = try await Seeds.organisation("Globex", in: store)
            // Made by admins, so nobody is recorded as their manager before the upgrade.
            let first = try await store.createProgramme(
                ProgrammeDraft(name: "First", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: acme.admin)
            let second = try await store.createProgramme(
                ProgrammeDraft(name: "Second", model: .groups, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: acme.admin)
            let theirs = try await store.createProgramme(
                ProgrammeDraft(name: "Theirs", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: globex.admin)
            #expect(try await store.managedProgrammes(of: acme.manager) == .only([]))
            #expect(try await store.programmes(of: acme.manager).isEmpty)

            let migration = try #require(MutualMigrations.all.first { $0.name.hasPrefix("033_") })
            try await migration.revert(on: try database.database()).get()
            try await migration.prepare(on: try database.database()).get()

            #expect(try await store.managedProgrammes(of: acme.manager) == .only([first.id, second.id]))
            #expect(try await store.managedProgrammes(of: globex.manager) == .only([theirs.id]))
            #expect(try await store.managedProgrammes(of: acme.participant) == .only([]))
            #expect(try await store.managedProgrammes(of: acme.admin) == .all)
            let rows = try await database.sql().select().column("person_id").from("programme_managers").all()
                .map { try $0.decode(column: "person_id", as: UUID.self) }
            #expect(Set(rows) == [acme.manager.personID, globex.manager.personID] && rows.count == 3)
            #expect(try await store.programme(id: first.id, of: acme.manager).viewerManages)
        }
    }
}
