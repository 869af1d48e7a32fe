import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("People, skills and the directory in the store")
struct PeopleStoreTests {
    func makeStore(_ database: MutualDatabase) -> Store {
        Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
    }

    @Test("Differently written skill names and known aliases are one skill", arguments: TestBackend.all)
    func normalisation(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = makeStore(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let resolver = try await store.skillResolver(for: org.admin.organisationID)
            let ids = ["Public Speaking", "public-speaking", "public speaking", "  PUBLIC   speaking ", "presenting"].map {
                resolver.existingSkillID(for: $0)
            }
            #expect(ids.allSatisfy { $0 != nil && $0 == ids[0] })
            #expect(resolver.existingSkillID(for: "Underwater basket weaving") == nil)
        }
    }

    @Test("Merging two skills moves every profile, keeps the higher level and keeps the old name as an alias", arguments: TestBackend.all)
    func merge(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = makeStore(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let custom = try await store.createSkill(name: "Postgres Tuning", family: "Technical", by: org.admin)
            let sql = try #require(try await store.skills(of: org.admin).first { $0.slug == "sql" })
            _ = try await store.updateProfile(
                personID: org.participant.personID,
                with: ProfileUpdate(name: "P", strengths: [("Postgres Tuning", 4), ("SQL", 2)]), by: org.admin)
            _ = try await store.updateProfile(
                personID: org.manager.personID, with: ProfileUpdate(name: "M", wants: [("Postgres Tuning", 1)]), by: org.admin)

            try await store.mergeSkill(try custom.requireID(), into: sql.id, by: org.admin)

            let participant = try await store.profile(personID: org.participant.personID, of: org.admin)
            #expect(participant.strengths.map(\.name) == ["SQL"])
            #expect(participant.strengths.first?.level == 4, "the higher level survives the merge")
            let manager = try await store.profile(personID: org.manager.personID, of: org.admin)
            #expect(manager.wants.map(\.name) == ["SQL"])
            let skills = try await store.skills(of: org.admin)
            #expect(!skills.contains { $0.slug == "postgres-tuning" })
            #expect(skills.first { $0.id == sql.id }?.aliases.contains("postgres-tuning") == true)
            let resolver = try await store.skillResolver(for: org.admin.organisationID)
            #expect(resolver.existingSkillID(for: "postgres tuning") == sql.id)
        }
    }

    @Test("Profile validation names the field and writes nothing", arguments: TestBackend.all)
    func profileValidation(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = makeStore(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let other = try await Seeds.organisation("Globex", in: store)
            let me = org.participant.personID
            let cases: [(ProfileUpdate, String)] = [
                (ProfileUpdate(name: "P", timeZone: "Mars/Olympus"), "timezone"),
                (ProfileUpdate(name: "P", strengths: [("SQL", 6)]), "strengths[0]"),
                (ProfileUpdate(name: "P", strengths: [("SQL", 0)]), "strengths[0]"),
                (ProfileUpdate(name: "P", wants: [("Negotiation", 5)]), "wants[0]"),
                (ProfileUpdate(name: "P", level: 21), "level"),
                (ProfileUpdate(name: ""), "name"),
                (ProfileUpdate(name: "P", email: "nope"), "email"),
                (ProfileUpdate(name: "P", email: org.adminEmail), "email"),
                (ProfileUpdate(name: "P", managerID: other.admin.personID), "manager_id"),
                (ProfileUpdate(name: "P", managerID: me), "manager_id"),
                (ProfileUpdate(name: "P", availability: [AvailabilityWindow(weekday: 2, startMinute: 600, endMinute: 540)]), "availability[0]"),
                (ProfileUpdate(name: "P", meetingFrequency: "hourly"), "meeting_frequency"),
            ]
            let before = try await store.profile(personID: me, of: org.admin)
            for (update, field) in cases {
                do {
                    _ = try await store.updateProfile(personID: me, with: update, by: org.participant)
                    Issue.record("accepted an invalid \(field)")
                } catch let error as StoreError {
                    #expect(error.field == field, "\(error)")
                }
            }
            #expect(try await store.profile(personID: me, of: org.admin) == before)
        }
    }

    @Test("A manager loop is refused", arguments: TestBackend.all)
    func managerLoop(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = makeStore(database)
            let org = try await Seeds.organisation("Acme", in: store)
            // admin manages manager, manager manages participant.
            _ = try await store.updateProfile(personID: org.manager.personID, with: ProfileUpdate(name: "M", managerID: org.admin.personID), by: org.admin)
            _ = try await store.updateProfile(personID: org.participant.personID, with: ProfileUpdate(name: "P", managerID: org.manager.personID), by: org.admin)
            do {
                _ = try await store.updateProfile(personID: org.admin.personID, with: ProfileUpdate(name: "A", managerID: org.participant.personID), by: org.admin)
                Issue.record("a loop admin → manager → participant → admin was accepted")
            } catch let error as StoreError {
                #expect(error.field == "manager_id")
                #expect(error.errorDescription?.contains("reports") == true)
            }
        }
    }

    @Test("Only the person or an admin may edit a profile", arguments: TestBackend.all)
    func editRights(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = makeStore(database)
            let org = try await Seeds.organisation("Acme", in: store)
            await #expect(throws: StoreError.self) {
                _ = try await store.updateProfile(personID: org.admin.personID, with: ProfileUpdate(name: "Hacked"), by: org.participant)
            }
            let own = try await store.updateProfile(
                personID: org.participant.personID,
                with: ProfileUpdate(name: "Pat", timeZone: "Europe/Lisbon", strengths: [("sql", 4)], wants: [("negotiation", 1)]),
                by: org.participant)
            #expect(own.strengths.first?.name == "SQL")
            #expect(own.wants.first?.name == "Negotiation")
            #expect(own.timeZone == "Europe/Lisbon")
        }
    }

    /// Random people with random profiles, inserted directly, for checking the directory
    /// against a brute-force filter in Swift.
    struct Generated {
        let name: String, department: String, level: Int, zone: String, languages: [String]
        let strengths: [String: Int], wants: Set<String>
    }

    @Test("Directory filters and pages agree with a brute-force filter", arguments: TestBackend.all)
    func directoryAgreesWithBruteForce(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = makeStore(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let db = try database.database()
            let resolver = try await store.skillResolver(for: org.admin.organisationID)
            var random = SplitMix(seed: 42)
            let skills = ["SQL", "Python", "Negotiation", "Coaching", "Public Speaking"]
            let departments = ["Engineering", "Sales", "Finance"]
            let zones = ["Europe/London", "Asia/Singapore"]
            var generated: [Generated] = []
            for index in 0..<90 {
                var strengths: [String: Int] = [:]
                var wants: Set<String> = []
                for skill in skills {
                    let roll = random.next() % 4
                    if roll == 0 { strengths[skill] = Int(random.next() % 5) + 1 } else if roll == 1 { wants.insert(skill) }
                }
                let person = Generated(
                    name: String(format: "Person %03d", index), department: departments[Int(random.next() % 3)],
                    level: Int(random.next() % 4), zone: zones[Int(random.next() % 2)],
                    languages: random.next() % 2 == 0 ? ["en"] : ["en", "pt"], strengths: strengths, wants: wants)
                generated.append(person)
                let row = Person(
                    organisationID: org.admin.organisationID, externalID: "g\(index)", name: person.name, email: nil,
                    department: person.department, company: "Acme", level: person.level, timeZone: person.zone, location: "",
                    languages: person.languages, createdAt: Date())
                try await row.create(on: db)
                for (skill, level) in strengths {
                    try await PersonSkill(
                        organisationID: org.admin.organisationID, personID: row.requireID(),
                        skillID: resolver.existingSkillID(for: skill)!, kind: .strength, level: level
                    ).create(on: db)
                }
                for skill in wants {
                    try await PersonSkill(
                        organisationID: org.admin.organisationID, personID: row.requireID(),
                        skillID: resolver.existingSkillID(for: skill)!, kind: .want, level: 0
                    ).create(on: db)
                }
            }
            let queries: [DirectoryQuery] = [
                DirectoryQuery(skill: "sql", minimumLevel: 3),
                DirectoryQuery(skill: "Public-Speaking", minimumLevel: 1, department: "Sales"),
                DirectoryQuery(want: "negotiation", timeZone: "Asia/Singapore"),
                DirectoryQuery(level: 2, language: "pt"),
                DirectoryQuery(text: "person 01"),
                DirectoryQuery(skill: "coaching", minimumLevel: 5, want: "python", language: "en"),
            ]
            for query in queries {
                let expected = generated.filter { person in
                    (query.text.isEmpty || person.name.lowercased().contains(query.text))
                        && (query.skill.isEmpty || (person.strengths[skills.first { SkillResolver.slug($0) == SkillResolver.slug(query.skill) }!] ?? 0) >= query.minimumLevel)
                        && (query.want.isEmpty || person.wants.contains(skills.first { SkillResolver.slug($0) == SkillResolver.slug(query.want) }!))
                        && (query.department.isEmpty || person.department == query.department)
                        && (query.level == nil || person.level == query.level)
                        && (query.timeZone.isEmpty || person.zone == query.timeZone)
                        && (query.language.isEmpty || person.languages.contains(query.language))
                }.map(\.name).sorted()
                // Keyset pages of 7 by name: nobody missing or repeated, and the total exact
                // (below the 1,000 where counting stops) whichever way it was counted.
                var everyone: [UUID] = []
                var found: [String] = []
                var totals: Set<Int?> = []
                var after: String?
                repeat {
                    var paged = query
                    paged.after = after
                    paged.pageSize = 7
                    let result = try await store.searchPeople(paged, of: org.admin)
                    totals.insert(result.total)
                    #expect(result.totalEstimate == nil)
                    #expect(result.entries.count <= 7)
                    everyone += result.entries.map(\.id)
                    found += result.entries.map(\.name).filter { $0.hasPrefix("Person ") }
                    after = result.next
                } while after != nil
                #expect(found == expected, "query \(query)")
                #expect(Set(everyone).count == everyone.count, "query \(query)")
                #expect(totals == [everyone.count], "query \(query)")
                // The older `page` (by offset) still reads the same people, for one release.
                var byNumber: [UUID] = []
                for number in 1...max(1, (everyone.count + 6) / 7) {
                    var paged = query
                    paged.page = number
                    paged.pageSize = 7
                    byNumber += try await store.searchPeople(paged, of: org.admin).entries.map(\.id)
                }
                #expect(byNumber == everyone, "query \(query)")
            }
            let unknown = try await store.searchPeople(DirectoryQuery(skill: "Telepathy"), of: org.admin)
            #expect(unknown.total == 0)
            #expect(unknown.notes.first?.contains("Telepathy") == true)
        }
    }

    @Test("The skills map counts teachers at level 3 or more and learners, biggest gap first", arguments: TestBackend.all)
    func skillsMap(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = makeStore(database)
            let org = try await Seeds.organisation("Acme", in: store)
            _ = try await store.updateProfile(
                personID: org.admin.personID, with: ProfileUpdate(name: "A", strengths: [("SQL", 3), ("Negotiation", 2)], wants: [("Coaching", 0)]),
                by: org.admin)
            _ = try await store.updateProfile(
                personID: org.manager.personID, with: ProfileUpdate(name: "M", strengths: [("SQL", 5)], wants: [("Coaching", 1), ("Negotiation", 0)]),
                by: org.admin)
            _ = try await store.updateProfile(
                personID: org.participant.personID, with: ProfileUpdate(name: "P", wants: [("Coaching", 0), ("SQL", 1)]), by: org.admin)
            let map = try await store.skillsMap(of: org.admin)
            let byName = Dictionary(uniqueKeysWithValues: map.map { ($0.name, $0) })
            #expect(byName["Coaching"]?.learners == 3)
            #expect(byName["Coaching"]?.teachers == 0)
            #expect(byName["SQL"]?.teachers == 2)
            #expect(byName["SQL"]?.learners == 1)
            #expect(byName["Negotiation"]?.teachers == 0, "level 2 is not enough to count as a teacher")
            #expect(map.first?.name == "Coaching")
            #expect(map.map(\.gap) == map.map(\.gap).sorted(by: >))
        }
    }
}

/// SplitMix64 for repeatable test data.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
