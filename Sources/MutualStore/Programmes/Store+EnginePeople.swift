import FluentKit
import Foundation
import MutualMatching

extension Store {
    /// The given people as the matching engine reads them (the same conversion as the people
    /// export), keyed by their directory id. Used wherever the app scores or explains people
    /// outside a full run: relationship pages and self-match suggestions.
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
}
