import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("Programmes, objectives and enrolment in the store")
struct ProgrammeStoreTests {
    /// The test clock starts on 2027-01-15.
    static func store(_ database: MutualDatabase, clock: TestClock = TestClock()) -> Store {
        Store(database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
    }

    static let retention = ObjectiveDraft(
        goal: "Keep early-career engineers", kpis: [KPI(name: "retention of participants", comparison: .atLeast, target: 85, unit: "%")])
    static func draft(_ name: String = "Engineering peers 2027", selfEnrolment: Bool = true) -> ProgrammeDraft {
        ProgrammeDraft(
            name: name, description: "Peers who teach each other", model: .pairs, structure: .formal, cadence: "every two weeks",
            cycleStart: "2027-02-01", cycleEnd: "2027-07-31", enrolmentOpens: "2027-01-10", enrolmentCloses: "2027-01-31",
            selfEnrolment: selfEnrolment, requiredFields: [.strengths, .wants, .timezone])
    }

    @Test("A programme keeps its settings and objectives, and names are unique per organisation", arguments: TestBackend.all)
    func createAndRead(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let meetings = ObjectiveDraft(
                goal: "Spread skills across teams",
                kpis: [KPI(name: "meetings per pair per cycle", comparison: .atLeast, target: 6, unit: ""), KPI(name: "workshops per in-demand skill", comparison: .atLeast, target: 2, unit: "")])
            let created = try await store.createProgramme(Self.draft(), objectives: [Self.retention, meetings], by: org.manager)
            let read = try await store.programme(id: created.id, of: org.manager)
            #expect(read.draft == Self.draft())
            #expect(read.objectives == [Self.retention, meetings])
            #expect(read.objectives[0].kpis[0].sentence == "retention of participants ≥ 85 %")
            await #expect(throws: StoreError.conflict(field: "name", message: "There is already a programme called engineering PEERS 2027. Choose another name, for example with the year.")) {
                _ = try await store.createProgramme(Self.draft("engineering PEERS 2027"), objectives: [], by: org.manager)
            }
            // The same name in another organisation is fine, and stays invisible here.
            let other = try await Seeds.organisation("Globex", in: store)
            let theirs = try await store.createProgramme(Self.draft(), objectives: [], by: other.admin)
            await #expect(throws: StoreError.notFound(what: "programme")) { _ = try await store.programme(id: theirs.id, of: org.admin) }
            #expect(try await store.programmes(of: org.admin).map(\.id) == [created.id])
        }
    }

    @Test("Bad settings are refused with the field and what to change", arguments: TestBackend.all)
    func validation(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            var cases: [(ProgrammeDraft, [ObjectiveDraft], String)] = []
            var draft = Self.draft(); draft.name = "  "; cases.append((draft, [], "name"))
            draft = Self.draft(); draft.cycleEnd = "2027-01-01"; cases.append((draft, [], "cycle_end"))
            draft = Self.draft(); draft.cycleStart = "2027-02-30"; cases.append((draft, [], "cycle_start"))
            draft = Self.draft(); draft.cycleStart = "next monday"; cases.append((draft, [], "cycle_start"))
            draft = Self.draft(); draft.cadence = ""; cases.append((draft, [], "cadence"))
            draft = Self.draft(); draft.capacity = 0; cases.append((draft, [], "capacity"))
            draft = Self.draft(); draft.enrolmentCloses = "2027-01-01"; cases.append((draft, [], "enrolment_closes"))
            cases.append((Self.draft(), [ObjectiveDraft(goal: "Retention", kpis: [])], "objectives[0].kpis"))
            cases.append((Self.draft(), [ObjectiveDraft(goal: "", kpis: Self.retention.kpis)], "objectives[0].goal"))
            cases.append((Self.draft(), [ObjectiveDraft(goal: "Retention", kpis: [KPI(name: "retention", comparison: .atLeast, target: 120, unit: "%")])], "objectives[0].kpis[0].target"))
            for (draft, objectives, field) in cases {
                do {
                    _ = try await store.createProgramme(draft, objectives: objectives, by: org.manager)
                    Issue.record("\(field): accepted")
                } catch let error as StoreError {
                    #expect(error.field == field, "\(error)")
                }
            }
            #expect(try await store.programmes(of: org.admin).isEmpty)
            await #expect(throws: StoreError.self) { _ = try await store.createProgramme(Self.draft(), objectives: [], by: org.participant) }
        }
    }

    @Test("Participants see programmes they are in or may join; self-enrolment follows the window", arguments: TestBackend.all)
    func selfEnrolment(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let open = try await store.createProgramme(Self.draft(), objectives: [], by: org.manager)
            let closed = try await store.createProgramme(Self.draft("Invite only", selfEnrolment: false), objectives: [], by: org.manager)
            #expect(try await store.programmes(of: org.participant).map(\.id) == [open.id])
            await #expect(throws: StoreError.notFound(what: "programme")) { _ = try await store.programme(id: closed.id, of: org.participant) }
            await #expect(throws: StoreError.notFound(what: "programme")) {
                try await store.enrolSelf(in: closed.id, role: nil, goals: "", by: org.participant)
            }

            try await store.enrolSelf(in: open.id, role: nil, goals: "Learn SQL from a peer", by: org.participant)
            await #expect(throws: StoreError.self) { try await store.enrolSelf(in: open.id, role: nil, goals: "", by: org.participant) }
            await #expect(throws: StoreError.self) { try await store.enrolSelf(in: open.id, role: .mentor, goals: "", by: org.manager) }
            let lines = try await store.enrolments(in: open.id, by: org.manager)
            #expect(lines.map(\.personID) == [org.participant.personID])
            #expect(lines.first?.goals == "Learn SQL from a peer" && lines.first?.source == .own && lines.first?.role == .peer)

            // After the window closes, nobody new can enrol, but the enrolled still see it.
            clock.advance(by: 20 * 86_400)
            await #expect(throws: StoreError.self) { try await store.enrolSelf(in: open.id, role: nil, goals: "", by: org.manager) }
            #expect(try await store.programmes(of: org.participant).map(\.id) == [open.id])
            #expect(try await store.programme(id: open.id, of: org.participant).viewerEnrolled)
            try await store.withdraw(personID: org.participant.personID, from: open.id, by: org.participant)
            #expect(try await store.programmes(of: org.participant).isEmpty)
        }
    }

    @Test("Managers enrol people and files; the readiness check names what each person lacks", arguments: TestBackend.all)
    func managerEnrolmentAndReadiness(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            _ = try await store.importPeople(
                into: org.admin.organisationID,
                csv: """
                    id,name,timezone,strengths,wants
                    R1,Ready Rita,Europe/Berlin,SQL:4,Python:1
                    N1,No Wants Nia,Europe/Berlin,SQL:4,
                    N2,Nothing Ned,,,

                    """, options: .init(mode: .allOrNothing))
            let programme = try await store.createProgramme(Self.draft(), objectives: [], by: org.manager)

            let bad = try await store.enrol(csv: "id,goals\nR1,Grow\nZZ9,\nR1,again\n", in: programme.id, by: org.manager)
            #expect(bad.added == 0 && bad.problems.map(\.line) == [3, 4])
            #expect(bad.problems[0].reason.contains("ZZ9") && bad.problems[1].reason.contains("line 2"))
            #expect(try await store.enrolments(in: programme.id, by: org.manager).isEmpty)
            let roleForPeers = try await store.enrol(csv: "id,role\nR1,mentor\n", in: programme.id, by: org.manager)
            #expect(roleForPeers.problems.first?.reason.contains("mutual peer pairs") == true)

            let good = try await store.enrol(csv: "ID,Goals\r\nR1,Grow into a lead\r\nN1,\r\n", in: programme.id, by: org.manager)
            #expect(good.problems.isEmpty && good.added == 2)
            let people = try await Person.query(on: try database.database()).filter(\.$externalID == "N2").all()
            let more = try await store.enrol(personIDs: [try #require(people.first?.id), org.participant.personID], in: programme.id, by: org.manager)
            #expect(more.added == 2 && more.alreadyEnrolled == 0)
            let again = try await store.enrol(csv: "id\nR1\n", in: programme.id, by: org.manager)
            #expect(again.added == 0 && again.alreadyEnrolled == 1)

            let lines = Dictionary(uniqueKeysWithValues: try await store.enrolments(in: programme.id, by: org.manager).map { ($0.externalID, $0) })
            #expect(lines["R1"]?.missing == [] && lines["R1"]?.goals == "Grow into a lead")
            #expect(lines["N1"]?.missing == [.wants])
            #expect(lines["N2"]?.missing == [.strengths, .wants, .timezone])
            await #expect(throws: StoreError.self) { _ = try await store.enrolments(in: programme.id, by: org.participant) }
            await #expect(throws: StoreError.self) {
                try await store.withdraw(personID: org.manager.personID, from: programme.id, by: org.participant)
            }

            // Another organisation's people cannot be enrolled.
            let other = try await Seeds.organisation("Globex", in: store)
            await #expect(throws: StoreError.notFound(what: "person")) {
                _ = try await store.enrol(personIDs: [other.participant.personID], in: programme.id, by: org.manager)
            }
        }
    }
}
