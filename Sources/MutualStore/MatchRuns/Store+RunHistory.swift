import FluentKit
import Foundation

/// What a run needs to know about the programme's past: who sits this run out and who was
/// together before. Runs, proposal edits, publishing, self-match and the rules preview read it.
extension Store {
    /// People with a pending match or an open (active or paused) relationship in the programme:
    /// the next run leaves them out. A decline, or a relationship that ended, returns them.
    func busyPeople(in programmeID: UUID) async throws -> Set<UUID> {
        try await busyPeople(in: programmeID, on: try db())
    }

    /// ``busyPeople(in:)`` read on `database` (a transaction's handle, when publishing).
    func busyPeople(in programmeID: UUID, on database: any Database) async throws -> Set<UUID> {
        let pending = try await PublishedMatch.query(on: database).filter(\.$programmeID == programmeID)
            .filter(\.$status == .pending).all().map { try $0.requireID() }
        var busy = Set<UUID>()
        for slice in pending.queryBatches() {
            for member in try await MatchMember.query(on: database).filter(\.$matchID ~~ Array(slice)).all() { busy.insert(member.personID) }
        }
        let open = try await Relationship.query(on: database).filter(\.$programmeID == programmeID)
            .filter(\.$status ~~ [.active, .paused]).all().map { try $0.requireID() }
        for slice in open.queryBatches() {
            for member in try await RelationshipMember.query(on: database).filter(\.$relationshipID ~~ Array(slice)).all() {
                busy.insert(member.personID)
            }
        }
        return busy
    }

    /// Every two people who were together before in the programme, by external id: in a
    /// declined match, or in a relationship (whatever became of it). Runs read this as history,
    /// so with the default rules nobody is matched with the same person twice.
    func previousPairs(in programmeID: UUID) async throws -> [(String, String)] {
        let declined = try await PublishedMatch.query(on: try db()).filter(\.$programmeID == programmeID)
            .filter(\.$status == .declined).all().map { try $0.requireID() }
        var groups: [[(position: Int, person: UUID)]] = []
        for slice in declined.queryBatches() {
            let members = try await MatchMember.query(on: try db()).filter(\.$matchID ~~ Array(slice)).all()
            groups += Dictionary(grouping: members, by: \.matchID).values.map { $0.map { ($0.position, $0.personID) } }
        }
        let relationships = try await Relationship.query(on: try db()).filter(\.$programmeID == programmeID).all().map { try $0.requireID() }
        for slice in relationships.queryBatches() {
            let members = try await RelationshipMember.query(on: try db()).filter(\.$relationshipID ~~ Array(slice)).all()
            groups += Dictionary(grouping: members, by: \.relationshipID).values.map { $0.map { ($0.position, $0.personID) } }
        }
        guard !groups.isEmpty else { return [] }
        var externalIDs: [UUID: String] = [:]
        for slice in Array(Set(groups.flatMap { $0.map(\.person) })).queryBatches() {
            for person in try await Person.query(on: try db()).filter(\.$id ~~ Array(slice)).all() {
                if let id = person.id { externalIDs[id] = person.externalID }
            }
        }
        var pairs = Set<[String]>()
        for group in groups {
            let ids = group.sorted { $0.position < $1.position }.compactMap { externalIDs[$0.person] }
            for i in ids.indices { for j in ids.indices where j > i { pairs.insert([ids[i], ids[j]].sorted()) } }
        }
        return pairs.map { ($0[0], $0[1]) }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }
}
