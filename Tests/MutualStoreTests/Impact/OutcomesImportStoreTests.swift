import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("HR outcomes import")
struct OutcomesImportStoreTests {
    static let people = """
        \(ImportFixture.header)
        E1,Ada Lovelace,ada@acme.example,Engineering,Acme,5,,Europe/London,en,,,,
        E2,Bob Okafor,bob@acme.example,Engineering,Acme,2,,Europe/Berlin,en,,,,
        E3,Chloé Müller,,Sales,Acme,3,,America/New_York,de,,,,

        """

    static func fixture(_ database: MutualDatabase) async throws -> ImportFixture {
        let fixture = try await ImportFixture.make(database)
        _ = try await fixture.run(Self.people)
        return fixture
    }

    static func run(_ fixture: ImportFixture, _ csv: String, mode: PeopleImportMode = .allOrNothing, dryRun: Bool = false) async throws -> OutcomesImportReport {
        try await fixture.store.importOutcomes(
            from: ByteChunks(bytes: Array(csv.utf8)), options: PeopleImportOptions(mode: mode, dryRun: dryRun), by: fixture.admin)
    }

    static func stored(_ fixture: ImportFixture) async throws -> [String: Double] {
        let people = try await fixture.people()
        let byID = Dictionary(uniqueKeysWithValues: people.map { ($0.value.id!, $0.key) })
        var values: [String: Double] = [:]
        for row in try await HROutcome.query(on: try fixture.store.database.database()).filter(\.$organisationID == fixture.organisationID).all() {
            values["\(byID[row.personID] ?? "?") \(row.outcome)"] = row.value
        }
        return values
    }

    @Test("A file's values are stored by person and outcome; importing again replaces them and counts what changed", arguments: TestBackend.all)
    func importsAndReimports(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await Self.fixture(database)
            let first = try await Self.run(fixture, "id,outcome,value\nE1,retained_12m,1\nE2,Retained_12m,false\nE3,salary_grade_change,0.5\n")
            #expect(first.outcome == .imported)
            #expect(first.created == 3 && first.changed == 0 && first.unchanged == 0 && first.rejectedCount == 0)
            #expect(first.outcomes == ["retained_12m", "salary_grade_change"])
            #expect(try await Self.stored(fixture) == ["E1 retained_12m": 1, "E2 retained_12m": 0, "E3 salary_grade_change": 0.5])

            let second = try await Self.run(fixture, "outcome,value,id,note\nretained_12m,1,E1,x\nretained_12m,1,E2,y\n")
            #expect(second.created == 0 && second.changed == 1 && second.unchanged == 1)
            #expect(second.warnings == ["ignored column: note"])
            #expect(try await Self.stored(fixture) == ["E1 retained_12m": 1, "E2 retained_12m": 1, "E3 salary_grade_change": 0.5])

            let events = try await DomainEvent.query(on: try database.database()).filter(\.$type == EventType.outcomesImported.rawValue).all()
            #expect(events.count == 2, "one event per import that wrote")
        }
    }

    @Test("Bad rows are reported with line, column and reason; all-or-nothing writes nothing, valid rows writes the rest", arguments: TestBackend.all)
    func reportsBadRows(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await Self.fixture(database)
            let csv = "id,outcome,value\nE1,retained_12m,1\nE9,retained_12m,1\nE2,retained 12m,1\nE3,retained_12m,maybe\nE1,retained_12m,0\n,promoted_12m,1\n"
            let refused = try await Self.run(fixture, csv)
            #expect(refused.outcome == .nothingWritten)
            #expect(refused.rejectedCount == 5)
            let problems = refused.rejected.flatMap { row in row.problems.map { "\($0.line) \($0.column ?? "-")" } }
            #expect(problems == ["3 id", "4 outcome", "5 value", "6 -", "7 id"])
            #expect(refused.rejected[0].problems[0].reason.contains("no person has the id \"E9\""))
            #expect(refused.rejected[3].problems[0].reason.contains("already given on line 2"))
            #expect(try await Self.stored(fixture).isEmpty)

            let partial = try await Self.run(fixture, csv, mode: .validRows)
            #expect(partial.outcome == .imported && partial.created == 1 && partial.rejectedCount == 5)
            #expect(try await Self.stored(fixture) == ["E1 retained_12m": 1])

            let dry = try await Self.run(fixture, "id,outcome,value\nE2,retained_12m,1\n", dryRun: true)
            #expect(dry.outcome == .dryRun && dry.created == 1)
            #expect(try await Self.stored(fixture).count == 1)
        }
    }

    @Test("A file without the needed columns, or broken, is a file problem and nothing is imported", arguments: TestBackend.all)
    func fileProblems(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await Self.fixture(database)
            let missing = try await Self.run(fixture, "id,value\nE1,1\n")
            #expect(missing.outcome == .nothingWritten)
            #expect(missing.fileProblems.map(\.column) == ["outcome"])
            let broken = try await Self.run(fixture, "id,outcome,value\nE1,\"retained,1\n")
            #expect(broken.fileProblems.count == 1)
            let empty = try await Self.run(fixture, "")
            #expect(empty.fileProblems.first?.reason.contains("empty") == true)
            #expect(try await Self.stored(fixture).isEmpty)
        }
    }

    @Test("Only admins import outcomes", arguments: TestBackend.all)
    func onlyAdmins(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Initech", in: store)
            await #expect(throws: StoreError.self) {
                _ = try await store.importOutcomes(
                    from: ByteChunks(bytes: Array("id,outcome,value\n".utf8)), options: PeopleImportOptions(mode: .allOrNothing), by: org.manager)
            }
        }
    }

    @Test("50 imports of the same file at once leave one value per person and outcome", arguments: TestBackend.all)
    func parallelImports(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await Self.fixture(database)
            let csv = "id,outcome,value\nE1,retained_12m,1\nE2,retained_12m,0\nE3,retained_12m,1\nE1,promoted_12m,0\n"
            try await withThrowingTaskGroup(of: OutcomesImportReport.self) { group in
                for _ in 0..<50 { group.addTask { try await Self.run(fixture, csv) } }
                var created = 0
                for try await report in group {
                    #expect(report.outcome == .imported && report.rejectedCount == 0)
                    created += report.created
                }
                #expect(created >= 4)
            }
            #expect(try await Self.stored(fixture) == ["E1 retained_12m": 1, "E2 retained_12m": 0, "E3 retained_12m": 1, "E1 promoted_12m": 0])
            let rows = try await HROutcome.query(on: try database.database()).count()
            #expect(rows == 4)
        }
    }
}
