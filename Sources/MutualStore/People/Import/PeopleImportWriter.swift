import FluentKit
import Foundation
import MutualMatching
import SQLKit

/// Compares a batch of checked rows with the database and writes the differences: one
/// multi-row upsert for the people, one delete and a few multi-row inserts for their skills.
final class PeopleImportWriter: @unchecked Sendable {
    struct Row {
        var person: MutualMatching.Person
        var personID: UUID
        var isNew: Bool
        var managerPersonID: UUID?
        /// False when the manager's row is written in a later batch: the row is written without
        /// a manager, and the importer sets it at the end.
        var managerIsStored: Bool
    }

    enum Kind { case created, changed, unchanged }

    struct Outcome {
        var classified: [(String, Kind)] = []
        var written: Set<UUID> = []
    }

    /// One skill line of a profile, in a form that compares and hashes.
    struct SkillLine: Hashable {
        var skillID: UUID
        var kind: PersonSkill.Kind
        var level: Int
        var priority: Int
    }

    /// The person columns the CSV owns; location, bio, availability and boundaries are left
    /// alone on existing people.
    static let csvColumns = [
        "name", "email", "department", "company", "level", "manager_id", "timezone", "languages", "interests", "exclude",
    ]
    /// Skill lines per INSERT: 7 columns each stays far under SQLite's 32,766 bound parameters.
    static let skillLinesPerInsert = 2_000

    let organisationID: UUID
    let sql: any SQLDatabase
    let database: any Database
    let resolver: SkillResolver
    let now: Date
    let writing: Bool
    /// The columns the file's header has. A column the file leaves out keeps its stored value
    /// on existing people: a file of ids and departments must not wipe everyone's skills.
    let columns: Set<PeopleColumn>
    private(set) var newSkillNames: [String] = []
    private var newSkillSlugs: Set<String> = []
    private var uuids = ImportUUIDs()

    init(
        organisationID: UUID, sql: any SQLDatabase, database: any Database, resolver: SkillResolver, now: Date, writing: Bool,
        columns: Set<PeopleColumn>
    ) {
        self.organisationID = organisationID
        self.sql = sql
        self.database = database
        self.resolver = resolver
        self.now = now
        self.writing = writing
        self.columns = columns
    }

    func apply(_ rows: [Row]) async throws -> Outcome {
        var outcome = Outcome()
        guard !rows.isEmpty else { return outcome }
        let existingIDs = rows.filter { !$0.isNew }.map(\.personID)
        var stored: [UUID: Person] = [:]
        var storedSkills: [UUID: Set<SkillLine>] = [:]
        if !existingIDs.isEmpty {
            for person in try await Person.query(on: database).filter(\.$id ~~ existingIDs).all() {
                if let id = person.id { stored[id] = person }
            }
            for line in try await PersonSkill.query(on: database).filter(\.$personID ~~ existingIDs).all() {
                storedSkills[line.personID, default: []].insert(
                    SkillLine(skillID: line.skillID, kind: line.kind, level: line.level, priority: line.priority))
            }
        }

        var upserts: [(Row, [SkillLine])] = []
        var changedIDs: [UUID] = []
        for var row in rows {
            var lines = try await skillLines(of: row.person)
            if !row.isNew, let current = stored[row.personID] {
                row = keepingAbsentColumns(of: row, from: current)
                lines = lines.map { keepingAbsentSkills($0, from: storedSkills[row.personID, default: []]) }
            }
            if row.isNew {
                outcome.classified.append((row.person.id, .created))
            } else if let current = stored[row.personID], let lines,
                Self.matches(current, row), storedSkills[row.personID, default: []] == Set(lines)
            {
                outcome.classified.append((row.person.id, .unchanged))
                continue
            } else {
                outcome.classified.append((row.person.id, .changed))
                changedIDs.append(row.personID)
            }
            if writing, let lines { upserts.append((row, lines)) }
        }
        guard writing, !upserts.isEmpty else { return outcome }

        let insert = sql.insert(into: Person.schema).columns(
            "id", "organisation_id", "external_id", "name", "email", "department", "company", "level", "manager_id",
            "timezone", "location", "languages", "interests", "exclude", "bio", "availability", "off_limits",
            "meeting_frequency", "formality", "created_at", "updated_at")
        for (row, _) in upserts {
            let person = row.person
            let manager: any SQLExpression = row.managerIsStored ? Self.bind(row.managerPersonID) : SQLLiteral.null
            insert.values([
                SQLBind(row.personID), SQLBind(organisationID), SQLBind(person.id), SQLBind(person.name),
                Self.bind(person.email.isEmpty ? nil : person.email), SQLBind(person.department), SQLBind(person.company),
                SQLBind(person.level ?? 0), manager, SQLBind(person.timeZoneName), SQLBind(""),
                SQLBind(person.languages.joined(separator: ";")), SQLBind(person.interests.joined(separator: ";")),
                SQLBind(person.exclude.joined(separator: ";")), SQLBind(""), SQLBind(""), SQLBind(""), SQLBind(""),
                SQLBind(""), SQLBind(now), SQLBind(now),
            ])
            outcome.written.insert(row.personID)
        }
        try await insert.onConflict(with: ["organisation_id", "external_id"]) { update in
            var update = update
            for column in Self.csvColumns + ["updated_at"] { update = update.set(excludedValueOf: column) }
            return update
        }.run()

        if !changedIDs.isEmpty {
            try await sql.delete(from: PersonSkill.schema).where(SQLIdentifier("person_id"), .in, SQLBind.group(changedIDs)).run()
        }
        var skillRows: [[any SQLExpression]] = []
        for (row, lines) in upserts {
            for line in lines {
                skillRows.append([
                    SQLBind(uuids.next()), SQLBind(organisationID), SQLBind(row.personID), SQLBind(line.skillID),
                    SQLBind(line.kind.rawValue), SQLBind(line.level), SQLBind(line.priority),
                ])
            }
        }
        var start = 0
        while start < skillRows.count {
            let end = min(skillRows.count, start + Self.skillLinesPerInsert)
            let insert = sql.insert(into: PersonSkill.schema)
                .columns("id", "organisation_id", "person_id", "skill_id", "kind", "level", "priority")
            for values in skillRows[start..<end] { insert.values(values) }
            try await insert.run()
            start = end
        }
        return outcome
    }

    /// The row with every column the file leaves out taken from the stored person.
    private func keepingAbsentColumns(of row: Row, from stored: Person) -> Row {
        var row = row
        if !columns.contains(.name) { row.person.name = stored.name }
        if !columns.contains(.email) { row.person.email = stored.email ?? "" }
        if !columns.contains(.department) { row.person.department = stored.department }
        if !columns.contains(.company) { row.person.company = stored.company }
        if !columns.contains(.level) { row.person.level = stored.level }
        if !columns.contains(.managerID) {
            row.managerPersonID = stored.managerID
            row.managerIsStored = true
        }
        if !columns.contains(.timezone) { row.person.timeZoneName = stored.timeZone }
        if !columns.contains(.languages) { row.person.languages = Person.list(stored.languages) }
        if !columns.contains(.interests) { row.person.interests = Person.list(stored.interests) }
        if !columns.contains(.exclude) { row.person.exclude = Person.list(stored.exclude) }
        return row
    }

    /// The row's skill lines, with the stored strengths or wants kept when the file has no such column.
    private func keepingAbsentSkills(_ lines: [SkillLine], from stored: Set<SkillLine>) -> [SkillLine] {
        var lines = lines
        for (column, kind) in [(PeopleColumn.strengths, PersonSkill.Kind.strength), (.wants, .want)] where !columns.contains(column) {
            lines.removeAll { $0.kind == kind }
            lines += stored.filter { $0.kind == kind }.sorted { $0.skillID.uuidString < $1.skillID.uuidString }
        }
        return lines
    }

    /// The row's skills as lines of the profile, resolving names through the taxonomy. When not
    /// writing, an unknown skill is not created and the result is nil (the row is a change).
    private func skillLines(of person: MutualMatching.Person) async throws -> [SkillLine]? {
        var lines: [SkillLine] = []
        var unknown = false
        func resolve(_ name: String) async throws -> UUID? {
            if let id = resolver.existingSkillID(for: name) { return id }
            let slug = SkillResolver.slug(name)
            if newSkillSlugs.insert(slug).inserted { newSkillNames.append(name) }
            guard writing else {
                unknown = true
                return nil
            }
            return try await resolver.skillID(for: name, on: database)
        }
        for strength in person.strengths {
            if let id = try await resolve(strength.displayName) {
                lines.append(SkillLine(skillID: id, kind: .strength, level: strength.level, priority: 1))
            }
        }
        for want in person.wants {
            if let id = try await resolve(want.displayName) {
                lines.append(SkillLine(skillID: id, kind: .want, level: want.currentLevel, priority: want.priority))
            }
        }
        return unknown ? nil : lines
    }

    /// Whether the stored person already says what the row says, in every CSV column.
    static func matches(_ stored: Person, _ row: Row) -> Bool {
        let person = row.person
        return stored.name == person.name
            && (stored.email ?? "") == person.email
            && stored.department == person.department
            && stored.company == person.company
            && stored.level == (person.level ?? 0)
            && stored.managerID == row.managerPersonID
            && stored.timeZone == person.timeZoneName
            && stored.languages == person.languages.joined(separator: ";")
            && stored.interests == person.interests.joined(separator: ";")
            && stored.exclude == person.exclude.joined(separator: ";")
    }

    static func bind(_ value: UUID?) -> any SQLExpression {
        value.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null
    }

    static func bind(_ value: String?) -> any SQLExpression {
        value.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null
    }
}
