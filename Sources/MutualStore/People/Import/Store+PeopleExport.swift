import FluentKit
import Foundation
import MutualMatching
import SQLKit

extension Store {
    /// Writes the signed-in admin's organisation's people in the CSV contract. See
    /// ``exportPeople(from:pageSize:write:)``.
    public func exportPeople(of identity: Identity, write: (String) async throws -> Void) async throws {
        guard identity.role >= .admin else {
            throw StoreError.forbidden(message: "Only admins can export people (the file holds everyone's email). Ask an admin.")
        }
        try await exportPeople(from: identity.organisationID, write: write)
    }

    /// Writes an organisation's people in the CSV contract, sorted by id, a page at a time (the
    /// header first, then one piece of text per page of people).
    ///
    /// The output is what ``importPeople(into:from:options:progress:)`` reads, so importing an
    /// export changes nothing, and exporting twice gives the same bytes. Skills are written by
    /// name when the name leads back to the same skill, by slug otherwise.
    public func exportPeople(from organisationID: UUID, pageSize: Int = 1_000, write: (String) async throws -> Void) async throws {
        let database = try db()
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        var externalIDs: [UUID: String] = [:]
        for row in try await sql.select().columns("id", "external_id").from(Person.schema)
            .where("organisation_id", .equal, organisationID).all()
        {
            externalIDs[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "external_id", as: String.self)
        }
        // Sorted here rather than by the database, whose collation differs between SQLite and
        // PostgreSQL: the same people must export to the same bytes on both.
        let order = externalIDs.sorted { Array($0.value.utf8).lexicographicallyPrecedes(Array($1.value.utf8)) }.map(\.key)

        let resolver = try await skillResolver(for: organisationID, on: database)
        var skillNames: [UUID: String] = [:]
        for skill in try await Skill.query(on: database).filter(\.$organisationID == organisationID).all() {
            guard let id = skill.id else { continue }
            skillNames[id] = resolver.existingSkillID(for: skill.name) == id ? skill.name : skill.slug
        }

        var start = 0
        var first = true
        repeat {
            let page = Array(order[start..<min(order.count, start + max(1, pageSize))])
            start += page.count
            var people: [UUID: Person] = [:]
            var lines: [UUID: [PersonSkill]] = [:]
            if !page.isEmpty {
                for person in try await Person.query(on: database).filter(\.$id ~~ page).all() {
                    if let id = person.id { people[id] = person }
                }
                for line in try await PersonSkill.query(on: database).filter(\.$personID ~~ page).all() {
                    lines[line.personID, default: []].append(line)
                }
            }
            let rows = page.compactMap { id in
                people[id].map { Self.csvPerson($0, skills: lines[id] ?? [], skillNames: skillNames, externalIDs: externalIDs) }
            }
            var text = PeopleCSVWriter.write(rows)
            if !first, let newline = text.firstIndex(of: "\n") {
                text = String(text[text.index(after: newline)...])
            }
            first = false
            try await write(text)
        } while start < order.count
    }

    /// The whole export as one string; convenient for tests and small organisations.
    public func exportPeopleCSV(from organisationID: UUID) async throws -> String {
        var output = ""
        try await exportPeople(from: organisationID) { output += $0 }
        return output
    }
}
