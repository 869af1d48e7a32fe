import FluentKit
import Foundation

/// Reads and writes a run's proposal as rows: ``ProposedMatch`` with its ``ProposedMatchMember``s,
/// and ``UnplacedPerson``. The run row keeps the totals (``MatchRun/recordTotals(of:)``), so a
/// ``RunResult`` is the run row plus these rows.
enum ProposalRows {
    /// Rows per insert statement (SQLite's limit on bound values is 32,766; eight columns each).
    static let rowsPerInsert = 500

    /// Writes a whole proposal (a run that just finished, or one migrated from its JSON text).
    static func insert(_ result: RunResult, runID: UUID, organisationID: UUID, on database: any Database) async throws {
        var ordinal = 0
        var matches: [(ProposedMatch.Kind, [String], Int, Int, [String])] = []
        matches += result.pairs.map { (.pair, [$0.a, $0.b], $0.weight, $0.score, $0.reasons) }
        matches += result.triads.map { (.triad, $0.members, $0.weight, $0.score, $0.reasons) }
        matches += result.groups.map { (.group, $0.members, $0.weight, $0.score, $0.reasons) }
        var matchRows: [ProposedMatch] = [], memberRows: [ProposedMatchMember] = []
        for (kind, members, weight, score, reasons) in matches {
            let row = matchRow(kind, members: members, weight: weight, score: score, reasons: reasons, ordinal: ordinal, runID: runID, organisationID: organisationID)
            matchRows.append(row)
            memberRows += Self.memberRows(of: row, members)
            ordinal += 1
        }
        let unplaced = unplacedEntries(result).enumerated().map { index, entry in
            unplacedRow(entry, ordinal: index, runID: runID, organisationID: organisationID)
        }
        try await create(matchRows, on: database)
        try await create(memberRows, on: database)
        try await create(unplaced, on: database)
    }

    /// The run's proposal: its row's totals with its rows, in their order.
    static func load(_ run: MatchRun, on database: any Database) async throws -> RunResult {
        let id = try run.requireID()
        let matches = try await ProposedMatch.query(on: database).filter(\.$runID == id).sort(\.$ordinal).all()
        let members = Dictionary(grouping: try await ProposedMatchMember.query(on: database).filter(\.$runID == id).all(), by: \.proposedMatchID)
            .mapValues { $0.sorted { $0.position < $1.position }.map(\.personKey) }
        let unplaced = try await UnplacedPerson.query(on: database).filter(\.$runID == id).sort(\.$ordinal).all()
        var result = RunResult(
            model: run.model, participants: run.participants, totalWeight: run.totalWeight, upperBound: run.upperBound,
            optimality: RunOptimality(rawValue: run.optimality) ?? .edited, pricingRounds: run.pricingRounds, openPlaces: run.capacitated ? [] : nil)
        for match in matches {
            let people = match.id.flatMap { members[$0] } ?? []
            let reasons = (try? JSONDecoder().decode([String].self, from: Data(match.reasonsJSON.utf8))) ?? []
            switch match.kind {
            case .pair where people.count == 2:
                result.pairs.append(RunResult.Pair(a: people[0], b: people[1], weight: match.weight, score: match.score, reasons: reasons))
            case .pair, .triad:
                result.triads.append(RunResult.Group(members: people, weight: match.weight, score: match.score, reasons: reasons))
            case .group:
                result.groups.append(RunResult.Group(members: people, weight: match.weight, score: match.score, reasons: reasons))
            }
        }
        for row in unplaced {
            switch row.kind {
            case .unmatched: result.unmatched.append(RunResult.Unmatched(id: row.personKey, reason: row.reason))
            case .openPlace:
                result.openPlaces = (result.openPlaces ?? [])
                    + [RunResult.OpenPlace(id: row.personKey, capacity: row.capacity, partners: row.partners, reason: row.reason)]
            }
        }
        return result
    }

    /// Writes what an edit changed: rows that left the proposal are deleted, new ones inserted
    /// (a replaced pair keeps the old one's place in the list); rows that stayed are untouched.
    /// Call it inside the edit's transaction, after checking nobody else edited in between.
    static func apply(_ edited: RunResult, runID: UUID, organisationID: UUID, on database: any Database) async throws {
        let oldMatches = try await ProposedMatch.query(on: database).filter(\.$runID == runID).sort(\.$ordinal).all()
        let oldMembers = Dictionary(grouping: try await ProposedMatchMember.query(on: database).filter(\.$runID == runID).all(), by: \.proposedMatchID)
            .mapValues { $0.sorted { $0.position < $1.position }.map(\.personKey) }
        func key(_ kind: ProposedMatch.Kind, _ members: [String]) -> String { kind.rawValue + ":" + members.joined(separator: "\u{1}") }
        var old: [String: [ProposedMatch]] = [:]
        var oldByKind: [ProposedMatch.Kind: [ProposedMatch]] = [:]
        for row in oldMatches {
            old[key(row.kind, row.id.flatMap { oldMembers[$0] } ?? []), default: []].append(row)
            oldByKind[row.kind, default: []].append(row)
        }
        var kept = Set<UUID>()
        var added: [(ProposedMatch.Kind, Int, [String], Int, Int, [String])] = []
        let lists: [(ProposedMatch.Kind, [([String], Int, Int, [String])])] = [
            (.pair, edited.pairs.map { ([$0.a, $0.b], $0.weight, $0.score, $0.reasons) }),
            (.triad, edited.triads.map { ($0.members, $0.weight, $0.score, $0.reasons) }),
            (.group, edited.groups.map { ($0.members, $0.weight, $0.score, $0.reasons) }),
        ]
        for (kind, items) in lists {
            for (index, item) in items.enumerated() {
                if let row = old[key(kind, item.0)]?.first(where: { !kept.contains($0.id!) }) {
                    kept.insert(row.id!)
                } else {
                    added.append((kind, index, item.0, item.1, item.2, item.3))
                }
            }
        }
        let removed = oldMatches.filter { !kept.contains($0.id!) }
        let removedIDs = Set(removed.compactMap(\.id))
        var next = (oldMatches.map(\.ordinal).max() ?? -1) + 1
        var matchRows: [ProposedMatch] = [], memberRows: [ProposedMatchMember] = []
        for (kind, index, members, weight, score, reasons) in added {
            // A pair that replaced another (a swap) takes its place in the list.
            let ordinal: Int
            if let replaced = oldByKind[kind].flatMap({ index < $0.count ? $0[index] : nil }), removedIDs.contains(replaced.id!) {
                ordinal = replaced.ordinal
            } else {
                ordinal = next
                next += 1
            }
            let row = matchRow(kind, members: members, weight: weight, score: score, reasons: reasons, ordinal: ordinal, runID: runID, organisationID: organisationID)
            matchRows.append(row)
            memberRows += Self.memberRows(of: row, members)
        }
        for slice in Array(removedIDs).queryBatches() {
            try await ProposedMatchMember.query(on: database).filter(\.$proposedMatchID ~~ Array(slice)).delete()
            try await ProposedMatch.query(on: database).filter(\.$id ~~ Array(slice)).delete()
        }
        try await create(matchRows, on: database)
        try await create(memberRows, on: database)

        // The unplaced: a row stays when its person, reason and places are unchanged.
        let oldUnplaced = try await UnplacedPerson.query(on: database).filter(\.$runID == runID).all()
        func key(_ entry: UnplacedEntry) -> String { "\(entry.kind.rawValue)\u{1}\(entry.id)\u{1}\(entry.reason)\u{1}\(entry.capacity)\u{1}\(entry.partners)" }
        var remaining = Dictionary(grouping: oldUnplaced) { key(UnplacedEntry($0)) }
        var newRows: [UnplacedPerson] = []
        var nextUnplaced = (oldUnplaced.map(\.ordinal).max() ?? -1) + 1
        for entry in unplacedEntries(edited) {
            if var rows = remaining[key(entry)], !rows.isEmpty {
                rows.removeFirst()
                remaining[key(entry)] = rows
            } else {
                newRows.append(unplacedRow(entry, ordinal: nextUnplaced, runID: runID, organisationID: organisationID))
                nextUnplaced += 1
            }
        }
        let gone = remaining.values.flatMap { $0 }.compactMap(\.id)
        for slice in gone.queryBatches() {
            try await UnplacedPerson.query(on: database).filter(\.$id ~~ Array(slice)).delete()
        }
        try await create(newRows, on: database)
    }

    // MARK: Helpers

    /// An unmatched person or an open place, as one list.
    struct UnplacedEntry {
        var kind: UnplacedPerson.Kind, id: String, reason: String, capacity = 0, partners = 0

        init(kind: UnplacedPerson.Kind, id: String, reason: String, capacity: Int = 0, partners: Int = 0) {
            (self.kind, self.id, self.reason, self.capacity, self.partners) = (kind, id, reason, capacity, partners)
        }

        init(_ row: UnplacedPerson) {
            self.init(kind: row.kind, id: row.personKey, reason: row.reason, capacity: row.capacity, partners: row.partners)
        }
    }

    static func unplacedEntries(_ result: RunResult) -> [UnplacedEntry] {
        result.unmatched.map { UnplacedEntry(kind: .unmatched, id: $0.id, reason: $0.reason) }
            + (result.openPlaces ?? []).map { UnplacedEntry(kind: .openPlace, id: $0.id, reason: $0.reason, capacity: $0.capacity, partners: $0.partners) }
    }

    static func unplacedRow(_ entry: UnplacedEntry, ordinal: Int, runID: UUID, organisationID: UUID) -> UnplacedPerson {
        let row = UnplacedPerson()
        row.id = UUID()
        row.organisationID = organisationID
        row.runID = runID
        row.ordinal = ordinal
        row.kind = entry.kind
        row.personKey = entry.id
        row.reason = entry.reason
        row.capacity = entry.capacity
        row.partners = entry.partners
        return row
    }

    static func matchRow(
        _ kind: ProposedMatch.Kind, members: [String], weight: Int, score: Int, reasons: [String], ordinal: Int, runID: UUID, organisationID: UUID
    ) -> ProposedMatch {
        let row = ProposedMatch()
        row.id = UUID()
        row.organisationID = organisationID
        row.runID = runID
        row.ordinal = ordinal
        row.kind = kind
        row.weight = weight
        row.score = score
        row.reasonsJSON = (try? JSONEncoder().encode(reasons)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return row
    }

    static func memberRows(of match: ProposedMatch, _ members: [String]) -> [ProposedMatchMember] {
        members.enumerated().map { position, person in
            let row = ProposedMatchMember()
            row.id = UUID()
            row.proposedMatchID = match.id!
            row.runID = match.runID
            row.personKey = person
            row.position = position
            return row
        }
    }

    static func create<M: Model>(_ rows: [M], on database: any Database) async throws {
        for slice in rows.queryBatches(rowsPerInsert) where !slice.isEmpty {
            try await Array(slice).create(on: database)
        }
    }
}
