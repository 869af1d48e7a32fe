import Foundation
import MutualStore
import MutualTestSupport
import Testing

/// The people import applies the rules the profile form and the API apply: a name is required,
/// no cell holds a control character, each field keeps to its length limit, a row with more
/// cells than the header is refused, and a dry run reports exactly what the import does.
@Suite("People import input rules")
struct ImportInputRulesTests {
    static func problems(_ report: PeopleImportReport, line: Int) -> [String] {
        report.rejected.first { $0.line == line }?.problems.map { "\($0.column ?? "-"): \($0.reason)" } ?? []
    }

    @Test("An empty or blank name, a NUL byte, a line break and an over-long value are each refused by column", arguments: TestBackend.all)
    func rowsThatBreakTheRules(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            let longName = String(repeating: "n", count: 1_000_000)
            let longDepartment = String(repeating: "d", count: 3_000)
            let csv = """
                \(ImportFixture.header)
                E1,,e1@acme.example,,,,,,,,,,
                E2,   ,e2@acme.example,,,,,,,,,,
                E3,Nul\u{0}Byte,e3@acme.example,,,,,,,,,,
                E4,"Two
                lines",e4@acme.example,,,,,,,,,,
                E5,\(longName),e5@acme.example,,,,,,,,,,
                E6,Dee Partment,e6@acme.example,\(longDepartment),,,,,,,,,
                E7,Good Person,e7@acme.example,Data,,,,,,,,,
                """
            let report = try await fixture.run(csv, .validRows)
            #expect(Self.problems(report, line: 2).contains { $0.hasPrefix("name: the name is empty") })
            #expect(Self.problems(report, line: 3).contains { $0.hasPrefix("name: the name is empty") })
            #expect(Self.problems(report, line: 4).contains { $0.hasPrefix("name:") && $0.contains("U+0000") })
            #expect(Self.problems(report, line: 5).contains { $0.hasPrefix("name:") && $0.contains("line break") })
            #expect(Self.problems(report, line: 7).contains { $0.hasPrefix("name:") && $0.contains("at most 200") })
            #expect(Self.problems(report, line: 8).contains { $0.hasPrefix("department:") && $0.contains("at most 120") })
            #expect(report.created == 1)
            let people = try await fixture.people()
            #expect(Set(people.keys) == ["E7"], "only the valid row is stored, on both databases")
        }
    }

    @Test("A row with more cells than the header is refused, not read with shifted columns", arguments: TestBackend.all)
    func extraFields(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            let csv = """
                id,name,email,department
                E1,Ada Lovelace,ada@acme.example,Engineering,Surplus
                E2,Bob Okafor,bob@acme.example,Engineering
                """
            let report = try await fixture.run(csv, .validRows)
            #expect(Self.problems(report, line: 2).contains { $0.contains("the row has 5 fields but the header has 4") })
            #expect(report.created == 1)
            #expect(try await fixture.people()["E1"] == nil)
        }
    }

    @Test("Without a name column, existing people keep their names and a new person is refused")
    func noNameColumn() async throws {
        try await TestBackend.sqlite.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            _ = try await fixture.run("id,name,email\nE1,Ada Lovelace,ada@acme.example\n")
            let report = try await fixture.run("id,department\nE1,Research\nE2,Research\n", .validRows)
            #expect(report.changed == 1)
            #expect(Self.problems(report, line: 3).contains { $0.hasPrefix("name:") && $0.contains("no name column") })
            let people = try await fixture.people()
            #expect(people["E1"]?.name == "Ada Lovelace")
            #expect(people["E1"]?.department == "Research")
            #expect(people["E2"] == nil)
        }
    }

    @Test("A dry run reports exactly what the import then does", arguments: TestBackend.all)
    func dryRunMatchesImport(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            _ = try await fixture.run("id,name,email\nE1,Ada Lovelace,ada@acme.example\nE9,Nine,nine@acme.example\n")
            let csv = """
                id,name,email,department,manager_id
                E1,Ada Lovelace,ada@acme.example,Research,
                E2,,e2@acme.example,,
                E3,Carl,nine@acme.example,,
                E4,Dora,dora@acme.example,,E404
                E5,Eve\u{1},eve@acme.example,,
                E6,Finn,finn@acme.example,,E1,extra
                E7,Gus,gus@acme.example,,E1
                E9,Nine,nine@acme.example,,
                """
            for mode in [PeopleImportMode.validRows, .allOrNothing] {
                let dry = try await fixture.run(csv, mode, dryRun: true)
                var real = try await fixture.run(csv, mode)
                #expect(!dry.rejected.isEmpty)
                #expect(dry.rejected == real.rejected, "\(mode): the dry run lists the rows the import refuses")
                if mode == .validRows {
                    #expect(dry.created == real.created && dry.changed == real.changed && dry.unchanged == real.unchanged)
                    #expect(dry.createdIDs == real.createdIDs && dry.changedIDs == real.changedIDs)
                }
                real.outcome = dry.outcome
                real.dryRun = dry.dryRun
                if mode == .allOrNothing { #expect(real == dry, "an all-or-nothing import that writes nothing reports what its dry run did") }
            }
        }
    }
}
