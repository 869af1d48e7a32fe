import FluentKit
import Foundation
import SQLKit

/// A published match as one of its members sees it.
public struct MyMatch: Sendable, Equatable {
    public struct Partner: Sendable, Equatable {
        public let name: String
        public let department: String
        public let response: MatchMember.Response
    }

    public let id: UUID
    public let programmeName: String
    public let partners: [Partner]
    public let score: Int
    public let reasons: [String]
    public let myResponse: MatchMember.Response
    public let status: PublishedMatch.Status
    /// The relationship it became once everyone accepted.
    public let relationshipID: UUID?
}

/// Acceptance at a glance, for the programme manager.
public struct PublishedMatchesSummary: Sendable, Equatable {
    public var pending = 0
    public var accepted = 0
    public var declined = 0
    /// Each declined member's reason, when they gave one.
    public var declineReasons: [String] = []
    /// The runs that were published.
    public var publishedRunIDs: Set<UUID> = []

    public var total: Int { pending + accepted + declined }

    public init() {}
}

extension Store {
    /// Publishes a finished run: every pair or group becomes a match its members see, with its
    /// explanation, and each member with an email is told. Refused when someone in the run
    /// already has a pending or accepted match in the programme (the run is out of date).
    public func publishMatchRun(id: UUID, by identity: Identity) async throws -> Int {
        try requireRole(.programmeManager, identity)
        guard let run = try await MatchRun.query(on: try db()).filter(\.$id == id).filter(\.$organisationID == identity.organisationID).first()
        else { throw StoreError.notFound(what: "match run") }
        let programme = try await managedProgramme(id: run.programmeID, of: identity)
        guard run.status == .done else {
            throw StoreError.conflict(field: nil, message: "Only a finished run can be published; this one is \(run.status.rawValue).")
        }
        let programmeID = try programme.requireID()
        let now = clock.now
        return try await transaction { transaction in
            // Checked under the run's row lock (the one edits take), on the transaction that
            // writes: a second publish at the same moment waits here and then finds this one's
            // matches, and an edit either commits before (and is published) or finds the run
            // published and is refused.
            try await Self.lockRun(id, on: transaction)
            if try await PublishedMatch.query(on: transaction).filter(\.$runID == id).first() != nil {
                throw StoreError.conflict(field: nil, message: "This run is already published.")
            }
            // Locks the programme's other runs' publishing too: two runs of one programme
            // published at once must not both give someone a match.
            try await Self.lockRows(Programme.schema, where: "id", equals: programmeID, on: transaction)
            let busy = try await self.busyPeople(in: programmeID, on: transaction)
            let groups = Self.summary(run, proposal: try await ProposalRows.load(run, on: transaction)).groups
            var found: [String: Person] = [:]
            for slice in Array(Set(groups.flatMap(\.members))).queryBatches() {
                for person in try await Person.query(on: transaction).filter(\.$organisationID == identity.organisationID)
                    .filter(\.$externalID ~~ Array(slice)).all()
                {
                    found[person.externalID] = person
                }
            }
            if let taken = found.values.first(where: { busy.contains($0.id!) }) {
                throw StoreError.conflict(
                    field: nil, message: "\(taken.name) already has a pending or accepted match in \(programme.name), so this run is out of date. Run matching again and publish the new run.")
            }
            var published = 0
            for group in groups {
                let members = group.members.compactMap { found[$0] }
                guard !members.isEmpty, members.count == group.members.count else { continue }
                published += 1
                let match = PublishedMatch()
                match.organisationID = identity.organisationID
                match.programmeID = run.programmeID
                match.runID = id
                match.status = .pending
                match.score = group.score
                match.reasonsJSON = String(decoding: try JSONEncoder().encode(group.reasons), as: UTF8.self)
                match.publishedAt = now
                try await match.create(on: transaction)
                for (position, person) in members.enumerated() {
                    let member = MatchMember()
                    member.organisationID = identity.organisationID
                    member.matchID = try match.requireID()
                    member.personID = try person.requireID()
                    member.position = position
                    member.response = .pending
                    member.reason = ""
                    try await member.create(on: transaction)
                }
                // Each member's email comes from this event, through the notification job.
                try await self.record(
                    NewEvent(
                        .matchPublished, organisationID: identity.organisationID, actor: identity.personID, subject: try match.requireID(),
                        payload: [
                            "run_id": .id(id), "programme_id": .id(run.programmeID), "members": .ids(members.compactMap(\.id)),
                            "score": .int(group.score),
                        ]),
                    on: transaction)
            }
            return published
        }
    }

    /// What publishing the run would do: how many matches and people, and how many of those
    /// people are emailed and can answer in the app. Counts the groups exactly as
    /// ``publishMatchRun(id:by:)`` does (a group with someone no longer in the directory is
    /// left out).
    public func publishPreview(of run: MatchRunSummary, by identity: Identity) async throws -> PublishPreview {
        try await requireManager(ofProgrammeID: run.programmeID, identity)
        let groups = run.groups
        // Three columns of the run's people and a count of their accounts, read with SQLKit: the
        // run page asks on every view, and a run can hold 10,000 people (models would decode
        // every column of every row).
        let sql = try database.sql()
        var found: [String: (id: UUID, hasEmail: Bool)] = [:]
        for slice in Array(Set(groups.flatMap(\.members))).queryBatches() {
            let rows = try await sql.select().column("id").column("external_id").column("email").from(Person.schema)
                .where("organisation_id", .equal, SQLBind(identity.organisationID))
                .where("external_id", .in, SQLGroupExpression(SQLList(slice.map { SQLBind($0) }))).all()
            for row in rows {
                found[try row.decode(column: "external_id", as: String.self)] = (
                    try row.decode(column: "id", as: UUID.self), !(try row.decode(column: "email", as: String?.self) ?? "").isEmpty
                )
            }
        }
        let published = groups.filter { group in !group.members.isEmpty && group.members.allSatisfy { found[$0] != nil } }
        let people = Set(published.flatMap(\.members)).compactMap { found[$0] }
        var withAccount = 0
        for slice in people.map(\.id).queryBatches() {
            let row = try await sql.select().column(SQLRaw("COUNT(DISTINCT person_id)"), as: "accounts").from(Account.schema)
                .where("organisation_id", .equal, SQLBind(identity.organisationID))
                .where("person_id", .in, SQLGroupExpression(SQLList(slice.map { SQLBind($0) }))).first()
            withAccount += try row?.decode(column: "accounts", as: Int.self) ?? 0
        }
        return PublishPreview(
            matches: published.count, people: people.count, withEmail: people.filter(\.hasEmail).count, withAccount: withAccount)
    }

    /// The signed-in member's published matches, newest first.
    public func myMatches(of identity: Identity) async throws -> [MyMatch] {
        let mine = try await MatchMember.query(on: try db()).filter(\.$personID == identity.personID).all()
        var result: [(Date, MyMatch)] = []
        for member in mine {
            guard let match = try await PublishedMatch.find(member.matchID, on: try db()),
                let programme = try await Programme.find(match.programmeID, on: try db())
            else { continue }
            let others = try await MatchMember.query(on: try db()).filter(\.$matchID == member.matchID).sort(\.$position).all()
                .filter { $0.personID != identity.personID }
            var partners: [MyMatch.Partner] = []
            for other in others {
                if let person = try await Person.find(other.personID, on: try db()) {
                    partners.append(.init(name: person.name, department: person.department, response: other.response))
                }
            }
            let reasons = (try? JSONDecoder().decode([String].self, from: Data(match.reasonsJSON.utf8))) ?? []
            let relationship = try await Relationship.query(on: try db()).filter(\.$matchID == member.matchID).first()
            result.append(
                (match.publishedAt,
                 MyMatch(
                    id: try match.requireID(), programmeName: programme.name, partners: partners, score: match.score, reasons: reasons,
                    myResponse: member.response, status: match.status, relationshipID: relationship?.id)))
        }
        return result.sorted { $0.0 > $1.0 }.map(\.1)
    }

    /// Accepts or declines a match the member is in. A decline (with an optional reason) ends
    /// the match for everyone in it; they return to the pool for the next run.
    public func respond(toMatch id: UUID, accept: Bool, reason rawReason: String = "", by identity: Identity) async throws {
        let member = try await matchMembership(id, of: identity)
        guard let match = try await PublishedMatch.find(id, on: try db()) else { throw StoreError.notFound(what: "match") }
        guard match.status == .pending, member.response == .pending else {
            throw StoreError.conflict(field: nil, message: "You already answered: this match is \(match.status.rawValue).")
        }
        let reason = try InputRules.longText(rawReason, field: "reason", label: "the reason", maxLength: TextLimits.message)
        try await transaction { transaction in
            member.response = accept ? .accepted : .declined
            member.reason = accept ? "" : reason
            member.respondedAt = clock.now
            try await member.save(on: transaction)
            let members = try await MatchMember.query(on: transaction).filter(\.$matchID == id).all()
            if members.contains(where: { $0.response == .declined }) {
                match.status = .declined
            } else if members.allSatisfy({ $0.response == .accepted }) {
                match.status = .accepted
            }
            try await match.save(on: transaction)
            try await self.record(
                NewEvent(
                    accept ? .matchAccepted : .matchDeclined, organisationID: identity.organisationID, actor: identity.personID, subject: id,
                    payload: ["programme_id": .id(match.programmeID), "match_status": .string(match.status.rawValue)]),
                on: transaction)
            // Everyone said yes: the match becomes a relationship with an agreement to fill in.
            if match.status == .accepted, let programme = try await Programme.find(match.programmeID, on: transaction) {
                _ = try await openRelationship(
                    programme: programme, matchID: id, memberIDs: members.sorted { $0.position < $1.position }.map(\.personID),
                    actor: identity.personID, on: transaction)
            }
        }
    }

    /// The caller's place in a match; "not found" when they are not in it (or it is another
    /// organisation's), so nobody learns which match ids exist.
    @discardableResult
    public func matchMembership(_ id: UUID, of identity: Identity) async throws -> MatchMember {
        guard let member = try await MatchMember.query(on: try db()).filter(\.$matchID == id)
            .filter(\.$personID == identity.personID).filter(\.$organisationID == identity.organisationID).first()
        else { throw StoreError.notFound(what: "match") }
        return member
    }

    /// How the programme's published matches stand: counts by status and the published runs,
    /// each one grouped statement, and the reasons given for declining (the latest 200). A
    /// programme of 10,000 people has about 5,000 matches; loading them as models took 1.4 s a
    /// request. The match ids themselves are paged by ``publishedMatchIDs(in:after:limit:by:)``.
    public func publishedMatches(in programmeID: UUID, by identity: Identity) async throws -> PublishedMatchesSummary {
        _ = try await managedProgramme(id: programmeID, of: identity)
        let sql = try database.sql()
        var summary = PublishedMatchesSummary()
        let counts = try await sql.raw("SELECT status, COUNT(*) AS n FROM matches WHERE programme_id = \(bind: programmeID) GROUP BY status").all()
        for row in counts {
            let count = try row.decode(column: "n", as: Int.self)
            switch PublishedMatch.Status(rawValue: try row.decode(column: "status", as: String.self)) {
            case .pending: summary.pending += count
            case .accepted: summary.accepted += count
            case .declined: summary.declined += count
            case nil: break
            }
        }
        summary.publishedRunIDs = Set(
            try await sql.raw("SELECT DISTINCT run_id FROM matches WHERE programme_id = \(bind: programmeID)").all()
                .map { try $0.decode(column: "run_id", as: UUID.self) })
        if summary.declined > 0 {
            summary.declineReasons = try await sql.raw("""
                SELECT mm.reason FROM match_members mm JOIN matches m ON m.id = mm.match_id \
                WHERE m.programme_id = \(bind: programmeID) AND m.status = 'declined' AND mm.response = 'declined' AND mm.reason <> '' \
                ORDER BY mm.reason LIMIT 200
                """).all().map { try $0.decode(column: "reason", as: String.self) }
        }
        return summary
    }

    /// A page of the programme's published match ids, in id order (keyset paged: `after` is the
    /// previous page's `next`, a ``KeysetCursor`` with an empty key).
    public func publishedMatchIDs(
        in programmeID: UUID, after: String? = nil, limit: Int = 500, by identity: Identity
    ) async throws -> (ids: [UUID], next: String?) {
        _ = try await managedProgramme(id: programmeID, of: identity)
        let limit = min(max(limit, 1), 500)
        var condition: SQLQueryString = "programme_id = \(bind: programmeID)"
        if let after, !after.isEmpty {
            condition = condition + SQLQueryString(" AND id > \(bind: try KeysetCursor(decoding: after).id)")
        }
        let ids = try await database.sql().raw("SELECT id FROM matches WHERE \(condition) ORDER BY id LIMIT \(literal: limit + 1)").all()
            .map { try $0.decode(column: "id", as: UUID.self) }
        let page = Array(ids.prefix(limit))
        return (page, ids.count > limit ? page.last.map { KeysetCursor(key: "", id: $0).encoded } : nil)
    }
}
