import FluentKit
import Foundation
import MutualMatching

extension Store {
    /// The given people as the matching engine reads them (``csvPerson(_:skills:skillNames:externalIDs:)``,
    /// the people export's conversion, plus the system time zone's offset), keyed by their
    /// directory id. Runs, proposal edits, self-match and relationship pages all convert people
    /// through it.
    func enginePeople(_ ids: [UUID], organisationID: UUID) async throws -> [UUID: MutualMatching.Person] {
        let database = try db()
        let skillNames = Dictionary(
            try await Skill.query(on: database).filter(\.$organisationID == organisationID).all().map { (try $0.requireID(), $0.name) },
            uniquingKeysWith: { a, _ in a })
        var people: [Person] = []
        var lines: [UUID: [PersonSkill]] = [:]
        for slice in Array(Set(ids)).queryBatches() {
            people += try await Person.query(on: database).filter(\.$organisationID == organisationID).filter(\.$id ~~ Array(slice)).all()
            for line in try await PersonSkill.query(on: database).filter(\.$personID ~~ Array(slice)).all() {
                lines[line.personID, default: []].append(line)
            }
        }
        // Managers outside the set still count for the reporting-line rule.
        var externalIDs = Dictionary(people.compactMap { person in person.id.map { ($0, person.externalID) } }, uniquingKeysWith: { a, _ in a })
        for slice in Array(Set(people.compactMap(\.managerID))).queryBatches() {
            for manager in try await Person.query(on: database).filter(\.$id ~~ Array(slice)).all() {
                if let id = manager.id { externalIDs[id] = manager.externalID }
            }
        }
        var converted: [UUID: MutualMatching.Person] = [:]
        for person in people {
            guard let id = person.id else { continue }
            var enginePerson = Self.csvPerson(person, skills: lines[id] ?? [], skillNames: skillNames, externalIDs: externalIDs)
            enginePerson.utcOffsetMinutes = person.timeZone.isEmpty ? nil : SystemTimeZones.standardOffsetMinutes(person.timeZone)
            converted[id] = enginePerson
        }
        return converted
    }

    /// The enrolled people without a pending match or open relationship, as the engine reads them (``enginePeople(_:organisationID:)``, the people export's conversion),
    /// so a run in the app and `mutual match` on the exported file see the same pool. Sorted by
    /// id, so the same enrolment always gives the engine the same input.
    func matchingPeople(of programme: Programme) async throws -> [MutualMatching.Person] {
        let programmeID = try programme.requireID()
        // People with a pending match or an open relationship sit this run out.
        let busy = try await busyPeople(in: programmeID)
        let enrolments = try await Enrolment.query(on: try db()).filter(\.$programmeID == programmeID).all()
            .filter { !busy.contains($0.personID) }
        return try await enrolledPeople(enrolments, in: programme).values.sorted { $0.id < $1.id }
    }

    /// Enrolled people as the engine reads them in their programme: the programme's capacity,
    /// and in mentoring the role they enrolled with. Keyed by directory id.
    func enrolledPeople(_ enrolments: [Enrolment], in programme: Programme) async throws -> [UUID: MutualMatching.Person] {
        let roles = Dictionary(enrolments.map { ($0.personID, $0.role) }, uniquingKeysWith: { a, _ in a })
        return try await enginePeople(Array(roles.keys), organisationID: programme.organisationID).reduce(into: [:]) { people, entry in
            var person = entry.value
            person.capacity = programme.capacity
            if programme.model == .mentoring { person.role = Self.mentoringRole(roles[entry.key]) }
            people[entry.key] = person
        }
    }

    /// An enrolment's role as the mentoring model reads it (no role: either side).
    static func mentoringRole(_ role: EnrolmentRole?) -> MentoringRole {
        switch role {
        case .mentor: .mentor
        case .mentee: .mentee
        default: .both
        }
    }

    /// One person as the people file writes them (the export) and the engine reads them.
    static func csvPerson(
        _ person: Person, skills: [PersonSkill], skillNames: [UUID: String], externalIDs: [UUID: String]
    ) -> MutualMatching.Person {
        func name(_ line: PersonSkill) -> String { skillNames[line.skillID] ?? line.skillID.uuidString }
        func byName(_ a: PersonSkill, _ b: PersonSkill) -> Bool {
            let x = name(a).lowercased(), y = name(b).lowercased()
            return x != y ? x < y : name(a) < name(b)
        }
        let strengths = skills.filter { $0.kind == .strength }
            .sorted { $0.level != $1.level ? $0.level > $1.level : byName($0, $1) }
            .map { SkillLevel(skill: name($0), displayName: name($0), level: $0.level) }
        let wants = skills.filter { $0.kind == .want }
            .sorted(by: byName)
            .map { SkillWant(skill: name($0), displayName: name($0), currentLevel: $0.level, priority: $0.priority) }
        return MutualMatching.Person(
            id: person.externalID, name: person.name, email: person.email ?? "", department: person.department,
            company: person.company, level: person.level, managerID: person.managerID.flatMap { externalIDs[$0] },
            timeZoneName: person.timeZone, languages: Person.list(person.languages), strengths: strengths, wants: wants,
            interests: Person.list(person.interests), exclude: Person.list(person.exclude))
    }
}
