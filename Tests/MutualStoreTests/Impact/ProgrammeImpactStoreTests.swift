import FluentKit
import Foundation
import MutualImpact
import MutualStore
import MutualTestSupport
import Testing

@Suite("A programme's impact")
struct ProgrammeImpactStoreTests {
    @Test(
        "The demo's finished cycle compares its relationships' members with people never in it, and its raw gap overstates the matched effect",
        arguments: TestBackend.all)
    func demoImpact(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            _ = try await store.loadDemo()
            let admin = try await Seeds.signedIn(email: DemoOrganisation.adminEmail, password: DemoOrganisation.adminPassword, in: store)
            let programme = try #require(try await store.programmes(of: admin).first { $0.name == "Leadership mentoring, 2025 cycle" })
            let impact = try await store.programmeImpact(programmeID: programme.id, of: admin)

            let db = try database.database()
            let relationships = try await Relationship.query(on: db).filter(\.$programmeID == programme.id).all()
            var members = Set<UUID>(), completers = Set<UUID>()
            for relationship in relationships {
                for member in try await RelationshipMember.query(on: db).filter(\.$relationshipID == relationship.requireID()).all() {
                    members.insert(member.personID)
                    if relationship.status == .completed { completers.insert(member.personID) }
                }
            }
            #expect(impact.participants == members.count)
            #expect(impact.completers == completers.count)
            #expect(impact.participants >= 30, "a cohort big enough to compare")
            let everyone = try await Person.query(on: db).filter(\.$organisationID == admin.organisationID).count()
            #expect(impact.participants + impact.controls + impact.enrolledUnmatched == everyone)

            #expect(impact.report.outcomes.map(\.outcome) == ["promoted_12m", "retained_12m"])
            let retained = try #require(impact.report.outcomes.last)
            #expect(retained.kind == .proportion)
            let itt = retained.intentionToTreat
            let raw = try #require(itt.rawDifference), effect = try #require(itt.effect)
            #expect(raw > effect, "seniors and engineers joined more and stay anyway: raw \(raw), matched \(effect)")
            #expect(itt.ciLow != nil && itt.ciHigh != nil)
            #expect(retained.completers != nil)
            #expect(itt.matchedParticipants >= itt.participants * 8 / 10, "the coarsening ladder matches most participants")
        }
    }

    @Test("Participants cannot see a programme's impact; another organisation's programme is not found", arguments: TestBackend.all)
    func access(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Initech", in: store)
            let other = try await Seeds.organisation("Umbrella", in: store)
            let programme = try await store.createProgramme(
                ProgrammeDraft(name: "Swap", model: .pairs, cycleStart: "2026-01-01", cycleEnd: "2026-06-30"), objectives: [], by: org.admin)
            await #expect(throws: StoreError.self) { _ = try await store.programmeImpact(programmeID: programme.id, of: org.participant) }
            await #expect(throws: StoreError.self) { _ = try await store.programmeImpact(programmeID: programme.id, of: other.admin) }
            // A programme manager sees the impact of the programmes they manage only.
            await #expect(throws: StoreError.self) { _ = try await store.programmeImpact(programmeID: programme.id, of: org.manager) }
            try await store.addProgrammeManager(personID: org.manager.personID, toProgramme: programme.id, by: org.admin)
            let empty = try await store.programmeImpact(programmeID: programme.id, of: org.manager)
            #expect(empty.participants == 0)
            #expect(empty.report.outcomes.isEmpty)
        }
    }
}
