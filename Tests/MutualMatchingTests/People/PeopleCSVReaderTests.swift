import MutualMatching
import Testing

@Suite("People CSV contract")
struct PeopleCSVReaderTests {
    static let header = "id,name,email,department,company,level,manager_id,timezone,languages,strengths,wants,interests,exclude\n"

    @Test("headers are case-insensitive and in any order; unknown columns are reported")
    func headers() throws {
        let table = try PeopleCSVReader.read("Wants,ID,Strengths,Favourite Colour\nSQL:1,a1,Go:3,blue\n")
        #expect(table.people.count == 1)
        #expect(table.people[0].id == "a1")
        #expect(table.people[0].wants.map(\.skill) == ["sql"])
        #expect(table.people[0].wants[0].currentLevel == 1)
        #expect(table.people[0].strengths == [SkillLevel(skill: "Go", displayName: "Go", level: 3)])
        #expect(table.warnings.contains { $0.contains("Favourite Colour") })
    }

    @Test("three spellings of a skill become one slug")
    func skillSlugs() {
        #expect(SkillSlug.make("Public Speaking") == "public-speaking")
        #expect(SkillSlug.make("public-speaking") == "public-speaking")
        #expect(SkillSlug.make("  public   speaking ") == "public-speaking")
        #expect(SkillSlug.make("Négociation") == "négociation")
        #expect(SkillSlug.make("C++ / Go") == "c-go")
    }

    @Test("a full row is read with lists, levels, priorities, time zone and exclusions")
    func fullRow() throws {
        let csv = Self.header + "a1,Ana Almeida,ana@example.org,Data,Acme,3,m9,Europe/Berlin,English;German,SQL:4;Public Speaking:2,Negotiation:1:3;Go,chess,b2;c3\n"
        let person = try #require(try PeopleCSVReader.read(csv).people.first)
        #expect(person.level == 3)
        #expect(person.managerID == "m9")
        #expect(person.utcOffsetMinutes == 60)
        #expect(person.languages == ["english", "german"])
        #expect(person.strengths.map(\.skill) == ["sql", "public-speaking"])
        #expect(person.wants == [SkillWant(skill: "Negotiation", displayName: "Negotiation", currentLevel: 1, priority: 3),
                                 SkillWant(skill: "Go", displayName: "Go", currentLevel: 0, priority: 1)])
        #expect(person.exclude == ["b2", "c3"])
    }

    @Test("errors name the line, the column and the reason, and all are collected")
    func errorPositions() {
        let csv = Self.header
            + "a1,Ana,,,,3,,,,SQL:7,,,\n"
            + "a2,Ben,,,,x,,Mars/Olympus,,,SQL:9,,\n"
        do {
            _ = try PeopleCSVReader.read(csv)
            Issue.record("expected errors")
        } catch let error as PeopleImportError {
            let described = error.issues.map(\.description)
            #expect(error.issues.count == 4)
            #expect(described.contains { $0.hasPrefix("line 2, column strengths:") && $0.contains("1 to 5") })
            #expect(described.contains { $0.hasPrefix("line 3, column level:") })
            #expect(described.contains { $0.hasPrefix("line 3, column timezone:") })
            #expect(described.contains { $0.hasPrefix("line 3, column wants:") })
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("a duplicate id is an error pointing at the earlier line")
    func duplicateID() {
        do {
            _ = try PeopleCSVReader.read("id\na\nb\na\n")
            Issue.record("expected an error")
        } catch let error as PeopleImportError {
            #expect(error.issues.first?.line == 4)
            #expect(error.issues.first?.reason.contains("line 2") == true)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("a missing id column and a short row are errors")
    func structuralErrors() {
        #expect(throws: PeopleImportError.self) { try PeopleCSVReader.read("name,wants\nAna,SQL\n") }
        #expect(throws: PeopleImportError.self) { try PeopleCSVReader.read("id,name,wants\na1,Ana\n") }
        #expect(throws: PeopleImportError.self) { try PeopleCSVReader.read("") }
    }

    @Test("a CSV structure error inside the people file names the column")
    func structuralErrorColumn() {
        do {
            _ = try PeopleCSVReader.read("id,name\na1,An\"a\n")
            Issue.record("expected an error")
        } catch let error as PeopleImportError {
            #expect(error.issues.first?.line == 2)
            #expect(error.issues.first?.column == "name")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("role and capacity are read and validated")
    func mentoringColumns() throws {
        let table = try PeopleCSVReader.read("id,role,capacity\nm,mentor,3\ne,Mentee,\n")
        #expect(table.people[0].role == .mentor)
        #expect(table.people[0].capacity == 3)
        #expect(table.people[1].role == .mentee)
        #expect(throws: PeopleImportError.self) { try PeopleCSVReader.read("id,role\nm,boss\n") }
    }

    @Test("time zones: offsets and IANA names")
    func timeZones() {
        #expect(TimeZoneParser.offsetMinutes("UTC") == 0)
        #expect(TimeZoneParser.offsetMinutes("UTC+2") == 120)
        #expect(TimeZoneParser.offsetMinutes("GMT-05:30") == -330)
        #expect(TimeZoneParser.offsetMinutes("+0530") == 330)
        #expect(TimeZoneParser.offsetMinutes("Asia/Kolkata") == 330)
        #expect(TimeZoneParser.offsetMinutes("Atlantis/Capital") == nil)
        #expect(TimeZoneParser.offsetMinutes("UTC+15") == nil)
    }

    @Test("a time-zone lookup passed to the reader decides which names read, and their offsets")
    func injectedTimeZones() throws {
        let csv = "id,timezone\na,America/Montevideo\nb,Europe/Berlin\n"
        #expect(throws: PeopleImportError.self) { try PeopleCSVReader.read(csv) }
        let table = try PeopleCSVReader.read(csv) { $0 == "America/Montevideo" ? -180 : TimeZoneParser.offsetMinutes($0) }
        #expect(table.people.map(\.utcOffsetMinutes) == [-180, 60])
        #expect(table.people.map(\.timeZoneName) == ["America/Montevideo", "Europe/Berlin"])
    }

    @Test("writing and reading back gives the same people, quoting where needed")
    func roundTrip() throws {
        var people = PoolFixtures.randomPool(count: 30, seed: 7)
        people[0].name = "Zoë \"Z\" O'Neil, Jr."
        people[1].department = "Research\nand Development"
        let text = PeopleCSVWriter.write(people, includeMentoringColumns: true)
        let read = try PeopleCSVReader.read(text).people
        #expect(read == people)
    }
}
