import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

/// Test helpers: a store with one organisation, and what its people look like afterwards.
struct ImportFixture {
    let store: Store
    let organisationID: UUID
    let admin: Identity

    static let header = "id,name,email,department,company,level,manager_id,timezone,languages,strengths,wants,interests,exclude"

    static func make(_ database: MutualDatabase, name: String = "Acme") async throws -> ImportFixture {
        let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
        let account = try await store.createOrganisation(
            SetupRequest(organisationName: name, adminName: "\(name) Admin", email: "admin@\(name.lowercased()).example", password: Seeds.password),
            slug: name.lowercased())
        return ImportFixture(store: store, organisationID: account.organisationID, admin: try await Seeds.identity(for: account, in: store))
    }

    func run(_ csv: String, _ mode: PeopleImportMode = .allOrNothing, dryRun: Bool = false) async throws -> PeopleImportReport {
        try await store.importPeople(into: organisationID, csv: csv, options: PeopleImportOptions(mode: mode, dryRun: dryRun))
    }

    /// The organisation's people (the setup admin left out), by external id.
    func people() async throws -> [String: Person] {
        let all = try await Person.query(on: try store.database.database()).filter(\.$organisationID == organisationID).all()
        return Dictionary(uniqueKeysWithValues: all.filter { !$0.externalID.hasPrefix("admin-") }.map { ($0.externalID, $0) })
    }

    func skillLines(of externalID: String) async throws -> [String] {
        let database = try store.database.database()
        guard let person = try await people()[externalID] else { return [] }
        let lines = try await PersonSkill.query(on: database).filter(\.$personID == person.requireID()).all()
        var names: [UUID: String] = [:]
        for skill in try await Skill.query(on: database).filter(\.$organisationID == organisationID).all() { names[skill.id!] = skill.slug }
        return lines.map { "\($0.kind.rawValue) \(names[$0.skillID] ?? "?") \($0.level) \($0.priority)" }.sorted()
    }

    func export() async throws -> String { try await store.exportPeopleCSV(from: organisationID) }
}

@Suite("People CSV import")
struct PeopleImportTests {
    static let goodFile = """
        \(ImportFixture.header)
        E1,Ada Lovelace,ada@acme.example,Engineering,Acme,5,,Europe/London,en;fr,SQL:4;Public Speaking:3,negotiation:1,chess,
        E2,Bob Okafor,BOB@acme.example,Engineering,Acme,2,E1,Europe/Berlin,en,python:2,sql:1:3;public-speaking,,E3
        E3,Chloé Müller,,Sales,Acme,3,E1,America/New_York,de,negotiation:4,,,

        """

    @Test("A good file creates everyone with skills, managers and exclusions", arguments: TestBackend.all)
    func createsPeople(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            let report = try await fixture.run(Self.goodFile)
            #expect(report.outcome == .imported)
            #expect(report.created == 3 && report.changed == 0 && report.rejectedCount == 0)
            #expect(report.createdIDs == ["E1", "E2", "E3"])
            let people = try await fixture.people()
            #expect(people.count == 3)
            #expect(people["E2"]?.email == "bob@acme.example")
            #expect(people["E3"]?.email == nil)
            #expect(people["E3"]?.name == "Chloé Müller")
            #expect(people["E2"]?.managerID == people["E1"]?.id)
            #expect(people["E2"]?.exclude == "E3")
            #expect(people["E1"]?.languages == "en;fr")
            #expect(try await fixture.skillLines(of: "E1") == ["strength public-speaking 3 1", "strength sql 4 1", "want negotiation 1 1"])
            #expect(try await fixture.skillLines(of: "E2") == ["strength python 2 1", "want public-speaking 0 1", "want sql 1 3"])
        }
    }

    @Test("Every kind of bad row is reported with line, column and reason", arguments: TestBackend.all)
    func reportsBadRows(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            let csv = """
                \(ImportFixture.header)
                G1,Good One,g1@acme.example,Eng,Acme,2,,UTC,,,,,
                B1,Bad Zone,,Eng,Acme,2,,Mars/Olympus,,,,,
                B2,Bad Strength,,Eng,Acme,2,,UTC,,sql:6,,,
                B3,Bad Want,,Eng,Acme,2,,UTC,,,sql:5,,
                G1,Duplicate Id,,Eng,Acme,2,,UTC,,,,,
                B4,Duplicate Email,G1@acme.example,Eng,Acme,2,,UTC,,,,,
                B5,No Manager,,Eng,Acme,2,NOBODY,UTC,,,,,
                B6,Self Managed,,Eng,Acme,2,B6,UTC,,,,,
                L1,Loop One,,Eng,Acme,2,L2,UTC,,,,,
                L2,Loop Two,,Eng,Acme,2,L1,UTC,,,,,
                B7,Bad Level,,Eng,Acme,senior,,UTC,,,,,
                B8,Bad Email,not-an-email,Eng,Acme,2,,UTC,,,,,
                ,No Id,,Eng,Acme,2,,UTC,,,,,
                B9,Admin Email,admin@acme.example,Eng,Acme,2,,UTC,,,,,

                """
            let expected: [(line: Int, column: String, fragment: String)] = [
                (3, "timezone", "Mars/Olympus"), (4, "strengths", "1 to 5"), (5, "wants", "0–4"),
                (6, "id", "already used on line 2"), (7, "email", "already used on line 2"),
                (8, "manager_id", "NOBODY"), (9, "manager_id", "own manager"), (10, "manager_id", "manager loop"),
                (11, "manager_id", "manager loop"), (12, "level", "senior"), (13, "email", "not an email"),
                (14, "id", "empty"), (15, "email", "already belongs to admin-admin@acme.example"),
            ]
            for mode in PeopleImportMode.allCases {
                let report = try await fixture.run(csv, mode)
                #expect(report.rejectedCount == expected.count, "\(mode)")
                #expect(report.rejected.map(\.line) == expected.map(\.line), "\(mode)")
                for (row, want) in zip(report.rejected, expected) {
                    let problem = row.problems.first
                    #expect(problem?.column == want.column, "line \(want.line)")
                    #expect(problem?.reason.contains(want.fragment) == true, "line \(want.line): \(problem?.reason ?? "")")
                }
                let people = try await fixture.people()
                switch mode {
                case .allOrNothing:
                    #expect(report.outcome == .nothingWritten)
                    #expect(report.summary.contains("Nothing was imported"))
                    #expect(people.isEmpty)
                case .validRows:
                    #expect(report.outcome == .imported)
                    #expect(report.summary.contains("valid rows only"))
                    #expect(Set(people.keys) == ["G1"])
                    #expect(people["G1"]?.name == "Good One")
                }
            }
        }
    }

    @Test("A manager later in the file is resolved, and a rejected manager takes their reports along", arguments: TestBackend.all)
    func managersLaterInTheFile(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            let csv = """
                \(ImportFixture.header)
                R1,Report,,Eng,Acme,1,M1,UTC,,,,,
                R2,Report Of Bad,,Eng,Acme,1,M2,UTC,,,,,
                M1,Manager,,Eng,Acme,4,,UTC,,,,,
                M2,Bad Manager,not-an-email,Eng,Acme,4,,UTC,,,,,

                """
            let report = try await fixture.run(csv, .validRows, dryRun: false)
            #expect(report.created == 2)
            #expect(report.rejected.map(\.line) == [3, 5])
            #expect(report.rejected.first?.problems.first?.reason.contains("rejected on line 5") == true)
            let people = try await fixture.people()
            #expect(people["R1"]?.managerID == people["M1"]?.id)
            #expect(people["R1"]?.managerID != nil)
            #expect(people["R2"] == nil)
        }
    }

    @Test("A loop through people already in the organisation is refused", arguments: TestBackend.all)
    func loopsThroughTheDatabase(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            _ = try await fixture.run("\(ImportFixture.header)\nA,A,,,,1,,UTC,,,,,\nB,B,,,,1,A,UTC,,,,,\n")
            let report = try await fixture.run("\(ImportFixture.header)\nA,A,,,,1,B,UTC,,,,,\n")
            #expect(report.rejectedCount == 1)
            #expect(report.rejected.first?.problems.first?.reason.contains("A → B → A") == true)
            #expect(try await fixture.people()["A"]?.managerID == nil)
        }
    }

    @Test("Quoting, embedded newlines, a BOM, CRLF, any header order and unknown columns all read", arguments: TestBackend.all)
    func csvDetails(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            // A quoted cell may hold a line break; the reader keeps the rows apart, and a
            // single-line field (a department) then refuses it by name, as the profile form does.
            let csv = "\u{FEFF}NAME,Id,Favourite Colour,Strengths,DEPARTMENT,timezone\r\n"
                + "\"Okafor, Bob \"\"Bobby\"\"\",Q1,blue,SQL:3,\"Research and Development\",Asia/Tokyo\r\n"
                + "Zoë Ðurić,Q2,red,,Ops,\r\n"
                + "Quinn,Q3,green,,\"Two\r\nlines\",\r\n"
            let report = try await fixture.run(csv, .validRows)
            #expect(report.created == 2)
            #expect(report.rejected.map(\.line) == [4])
            #expect(report.rejected.first?.problems.first?.column == "department")
            #expect(report.warnings.contains { $0.contains("Favourite Colour") })
            let people = try await fixture.people()
            #expect(people["Q1"]?.name == "Okafor, Bob \"Bobby\"")
            #expect(people["Q1"]?.department == "Research and Development")
            #expect(people["Q1"]?.timeZone == "Asia/Tokyo")
            #expect(people["Q2"]?.name == "Zoë Ðurić")
            #expect(try await fixture.skillLines(of: "Q1") == ["strength sql 3 1"])
        }
    }

    @Test("A file without an id column or with a broken quote is refused whole", arguments: TestBackend.all)
    func fileProblems(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            let noID = try await fixture.run("name,email\nAda,ada@acme.example\n", .validRows)
            #expect(noID.fileProblems.first?.column == "id")
            #expect(noID.outcome == .nothingWritten)
            let broken = try await fixture.run("\(ImportFixture.header)\nX1,Fine,,,,1,,UTC,,,,,\nX2,\"Never closed,,,,1,,UTC,,,,,\n", .validRows)
            #expect(broken.fileProblems.first?.line == 3)
            #expect(try await fixture.people().isEmpty)
        }
    }

    @Test("Importing again changes only what differs, and keeps each person's identity", arguments: TestBackend.all)
    func upserts(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            _ = try await fixture.run(Self.goodFile)
            let before = try await fixture.people()
            let edited = Self.goodFile
                .replacingOccurrences(of: "E2,Bob Okafor,BOB@acme.example,Engineering", with: "E2,Bob Okafor,bob@acme.example,Platform")
                .replacingOccurrences(of: "negotiation:4", with: "negotiation:5")
            let dry = try await fixture.run(edited, dryRun: true)
            #expect(dry.outcome == .dryRun)
            #expect((dry.created, dry.changed, dry.unchanged) == (0, 2, 1))
            #expect(try await fixture.people()["E2"]?.department == "Engineering")
            let report = try await fixture.run(edited)
            #expect((report.created, report.changed, report.unchanged) == (0, 2, 1))
            #expect(report.changedIDs == ["E2", "E3"])
            let after = try await fixture.people()
            #expect(after["E2"]?.department == "Platform")
            #expect(after["E2"]?.id == before["E2"]?.id)
            #expect(after["E2"]?.managerID == before["E1"]?.id)
            #expect(try await fixture.skillLines(of: "E3") == ["strength negotiation 5 1"])
        }
    }

    @Test("Every IANA time zone imports, not only the common ones", arguments: TestBackend.all)
    func everyIANAZone(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            let report = try await fixture.run("id,name,timezone\nM1,M One,America/Montevideo\nM2,M Two,Asia/Kathmandu\nM3,M Three,Pacific/Chatham\n")
            #expect(report.outcome == .imported && report.created == 3, "\(report.rejected)")
            #expect(try await fixture.people()["M1"]?.timeZone == "America/Montevideo")
        }
    }

    @Test("The system time-zone lookup gives standard offsets and falls back to written offsets")
    func systemTimeZoneOffsets() {
        #expect(SystemTimeZones.standardOffsetMinutes("America/Montevideo") == -180)
        #expect(SystemTimeZones.standardOffsetMinutes("Asia/Kathmandu") == 345)
        #expect(SystemTimeZones.standardOffsetMinutes("Europe/Berlin") == 60)
        #expect(SystemTimeZones.standardOffsetMinutes("America/New_York") == -300)
        #expect(SystemTimeZones.standardOffsetMinutes("UTC+05:30") == 330)
        #expect(SystemTimeZones.standardOffsetMinutes("Mars/Olympus") == nil)
    }

    @Test("A column the file leaves out keeps its stored value on existing people", arguments: TestBackend.all)
    func absentColumnsKeepValues(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            _ = try await fixture.run(Self.goodFile)
            let before = try await fixture.people()
            let skillsBefore = try await fixture.skillLines(of: "E2")
            // Only departments change; a new person gets the defaults for what is missing (a name
            // is required, so the file names them).
            let report = try await fixture.run("id,department,name\nE1,Engineering,Ada Lovelace\nE2,Platform,Bob Okafor\nE4,Legal,Eve Four\n")
            #expect(report.outcome == .imported)
            #expect((report.created, report.changed, report.unchanged) == (1, 1, 1))
            let after = try await fixture.people()
            let bob = try #require(after["E2"])
            #expect(bob.department == "Platform")
            #expect(bob.name == "Bob Okafor" && bob.email == "bob@acme.example" && bob.company == "Acme" && bob.level == 2)
            #expect(bob.managerID == before["E1"]?.id)
            #expect(bob.timeZone == "Europe/Berlin" && bob.languages == "en" && bob.exclude == "E3")
            #expect(try await fixture.skillLines(of: "E2") == skillsBefore)
            #expect(after["E4"]?.department == "Legal" && after["E4"]?.level == 0)
            // A file with wants but no strengths replaces wants and keeps strengths.
            _ = try await fixture.run("id,wants\nE2,negotiation:2\n")
            #expect(try await fixture.skillLines(of: "E2") == ["strength python 2 1", "want negotiation 2 1"])
            // An empty cell in a present column still clears it.
            _ = try await fixture.run("id,exclude,manager_id\nE2,,\n")
            let cleared = try #require(try await fixture.people()["E2"])
            #expect(cleared.exclude.isEmpty && cleared.managerID == nil && cleared.department == "Platform")
        }
    }

    @Test("A dry run writes nothing, not even new skills", arguments: TestBackend.all)
    func dryRunWritesNothing(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            let db = try database.database()
            let skillsBefore = try await Skill.query(on: db).count()
            let report = try await fixture.run(Self.goodFile.replacingOccurrences(of: "chess", with: "chess").replacingOccurrences(of: "python:2", with: "basket weaving:2"), dryRun: true)
            #expect(report.outcome == .dryRun)
            #expect(report.created == 3)
            #expect(report.newSkills.contains("basket weaving"))
            #expect(try await fixture.people().isEmpty)
            #expect(try await Skill.query(on: db).count() == skillsBefore)
        }
    }

    @Test("Export then import is a no-op, and exporting again gives the same bytes", arguments: TestBackend.all)
    func roundTrip(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            _ = try await fixture.run(Self.goodFile.replacingOccurrences(of: "python:2", with: "basket weaving:2"))
            let exported = try await fixture.export()
            let again = try await fixture.run(exported)
            #expect(again.rejectedCount == 0)
            #expect((again.created, again.changed) == (0, 0))
            #expect(again.unchanged == 4)  // the three people and the setup admin
            #expect(try await fixture.export() == exported)
            #expect(exported.hasPrefix(ImportFixture.header + "\n"))
            #expect(exported.contains("E2,Bob Okafor,bob@acme.example,Engineering,Acme,2,E1,Europe/Berlin,en,Basket weaving:2,Public Speaking:0;SQL:1:3,,E3\n"))
        }
    }

    @Test("An import into one organisation never touches another's people with the same ids", arguments: TestBackend.all)
    func tenantIsolation(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let acme = try await ImportFixture.make(database, name: "Acme")
            let globex = try await ImportFixture.make(database, name: "Globex")
            _ = try await globex.run(Self.goodFile)
            let globexBefore = try await globex.export()
            let report = try await acme.run(Self.goodFile.replacingOccurrences(of: "Engineering", with: "Acme Eng"))
            #expect(report.created == 3)
            #expect(try await globex.export() == globexBefore)
            #expect(try await acme.people()["E1"]?.department == "Acme Eng")
            #expect(try await acme.people()["E1"]?.id != globex.people()["E1"]?.id)
        }
    }

    @Test("Only admins may import or export", arguments: TestBackend.all)
    func adminsOnly(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await ImportFixture.make(database)
            let seeded = try await Seeds.organisation("Initech", in: fixture.store)
            await #expect(throws: StoreError.self) {
                _ = try await fixture.store.importPeople(
                    from: ByteChunks(bytes: Array(Self.goodFile.utf8)), options: .init(mode: .validRows), by: seeded.participant)
            }
            await #expect(throws: StoreError.self) {
                try await fixture.store.exportPeople(of: seeded.manager) { _ in }
            }
        }
    }

    @Test("The demo organisation exports to exactly examples/people.csv, which imports back unchanged", arguments: TestBackend.all)
    func demoMatchesExample(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            _ = try await store.loadDemo()
            let organisation = try await Organisation.query(on: try database.database()).filter(\.$slug == DemoOrganisation.slug).first()
            let organisationID = try #require(organisation?.id)
            let exported = try await store.exportPeopleCSV(from: organisationID)
            let exampleURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../../examples/people.csv").standardized
            let example = try String(contentsOf: exampleURL, encoding: .utf8)
            #expect(exported == example, "regenerate examples/people.csv: swift run mutual demo --database x.sqlite && swift run mutual export people --database x.sqlite --output examples/people.csv")
            let report = try await store.importPeople(into: organisationID, csv: example, options: .init(mode: .allOrNothing))
            #expect(report.rejectedCount == 0)
            #expect((report.created, report.changed) == (0, 0))
        }
    }
}
