import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Reasons other capabilities add to the needs-attention list. The learning ledger adds
    /// its one-sided signal here (``AttentionItem/Reason/oneSided``), goals their overdue
    /// milestones (``AttentionItem/Reason/milestoneOverdue``), feedback a fit check answered
    /// "not a fit" (``AttentionItem/Reason/notAFit``).
    public static let attentionSignals: [AttentionSignal] = [.oneSided, .milestoneOverdue, .notAFit]

    /// The longest a relationship can be snoozed.
    public static let longestSnoozeDays = 180

    /// The active relationships a programme manager should look at: stalled (no first meeting,
    /// quiet, silent), one-sided, overdue (agreement unsigned). `programmeID` nil means every
    /// programme of the organisation. Snoozed ones are left out unless `includeSnoozed`.
    /// The thresholds are the programme's nudge days, whether or not its emails are on.
    public func needsAttention(in programmeID: UUID? = nil, includeSnoozed: Bool = false, of identity: Identity) async throws -> [AttentionItem] {
        try requireRole(.programmeManager, identity)
        if let programmeID { _ = try await managedProgramme(id: programmeID, of: identity) }
        let managed = try await managedProgrammes(of: identity)
        // A programme manager with no programme has nothing to look at (and `IN ()` is not SQL).
        if let ids = managed.ids, ids.isEmpty { return [] }
        let now = clock.now
        let database = try db()
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        let rules = try await allNudgeRules(on: database)
        let sources = Self.relationshipActivitySources
        var select: SQLQueryString = "SELECT r.id, r.programme_id, r.started_at"
        for (index, source) in sources.enumerated() {
            select += ", (" + source.latestBefore("r.id", now) + ") AS \(unsafeRaw: "latest_\(index)")"
        }
        let meetings = RelationshipActivitySource.meetings
        select += ", CASE WHEN EXISTS (" + meetings.activityAfter("r.id", .distantPast) + ") THEN 1 ELSE 0 END AS has_meeting"
        select += ", CASE WHEN EXISTS (" + meetings.activityAfter("r.id", now) + ") THEN 1 ELSE 0 END AS has_upcoming"
        select += ", (SELECT COUNT(*) FROM \(ident: RelationshipMember.schema) m WHERE m.relationship_id = r.id "
            + "AND m.signed_version <> r.agreement_version) AS unsigned"
        select += " FROM \(ident: Relationship.schema) r WHERE r.organisation_id = \(bind: identity.organisationID) "
            + "AND r.status = \(bind: Relationship.Status.active.rawValue)"
        if let programmeID { select += " AND r.programme_id = \(bind: programmeID)" }
        if let ids = managed.ids { select += " AND r.programme_id IN (\(binds: Array(ids)))" }
        let rows = try await sql.raw(select).all()

        struct Candidate { let id: UUID, programmeID: UUID, startedAt: Date, last: Date?, flags: [AttentionItem.Flag] }
        var candidates: [UUID: Candidate] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let programme = try row.decode(column: "programme_id", as: UUID.self)
            let started = try row.decode(column: "started_at", as: Date.self)
            let own = rules[programme] ?? .defaults
            var last: Date?
            for index in sources.indices {
                if let date = try row.decode(column: "latest_\(index)", as: Date?.self) { last = max(last ?? date, date) }
            }
            let hasMeeting = try row.decode(column: "has_meeting", as: Int.self) != 0
            let hasUpcoming = try row.decode(column: "has_upcoming", as: Int.self) != 0
            let unsigned = try row.decode(column: "unsigned", as: Int.self)
            func days(since date: Date) -> Int { Int(now.timeIntervalSince(date) / 86_400) }
            var flags: [AttentionItem.Flag] = []
            let silentFor = days(since: last ?? started)
            if !hasUpcoming, silentFor >= Self.silenceDays {
                let closing = own.closeSilent ? " It closes after \(Self.silenceDays + Self.silenceGraceDays) days unless they meet." : ""
                flags.append(.init(reason: .silent, text: "Silent for \(silentFor) days.\(closing)"))
            } else if !hasMeeting, days(since: started) >= own.firstMeetingDays {
                flags.append(.init(reason: .noFirstMeeting, text: "No first meeting \(days(since: started)) days after matching."))
            } else if hasMeeting, !hasUpcoming, let last, days(since: last) >= own.quietDays {
                flags.append(.init(reason: .quiet, text: "Quiet for \(days(since: last)) days, with nothing planned."))
            }
            if unsigned > 0, days(since: started) >= own.agreementDays {
                flags.append(
                    .init(
                        reason: .agreementUnsigned,
                        text: "\(unsigned == 1 ? "One member has" : "\(unsigned) members have") not signed the agreement, \(days(since: started)) days in."))
            }
            candidates[id] = Candidate(id: id, programmeID: programme, startedAt: started, last: last, flags: flags)
        }
        for signal in Self.attentionSignals {
            for (id, flags) in try await signal.flags(Array(candidates.keys), now, sql) {
                guard let candidate = candidates[id] else { continue }
                candidates[id] = Candidate(
                    id: id, programmeID: candidate.programmeID, startedAt: candidate.startedAt, last: candidate.last, flags: candidate.flags + flags)
            }
        }
        let flagged = candidates.values.filter { !$0.flags.isEmpty }
        guard !flagged.isEmpty else { return [] }

        var snoozes: [UUID: Date] = [:]
        for slice in flagged.map(\.id).queryBatches() {
            for snooze in try await AttentionSnooze.query(on: database).filter(\.$id ~~ Array(slice)).filter(\.$until > now).all() {
                snoozes[try snooze.requireID()] = snooze.until
            }
        }
        let shown = flagged.filter { includeSnoozed || snoozes[$0.id] == nil }
        var names: [UUID: [String]] = [:]
        for slice in shown.map(\.id).queryBatches() {
            let rows = try await sql.raw(
                "SELECT m.relationship_id, p.name FROM \(ident: RelationshipMember.schema) m JOIN \(ident: Person.schema) p ON p.id = m.person_id "
                    + "WHERE m.relationship_id IN \(NudgeQueryContext.list(Array(slice))) ORDER BY m.position"
            ).all()
            for row in rows {
                names[try row.decode(column: "relationship_id", as: UUID.self), default: []].append(try row.decode(column: "name", as: String.self))
            }
        }
        var programmeNames: [UUID: String] = [:]
        for programme in try await Programme.query(on: database).filter(\.$id ~~ Array(Set(shown.map(\.programmeID)))).all() {
            programmeNames[try programme.requireID()] = programme.name
        }
        // The longest silent first: that is where help is most overdue.
        return shown.sorted { ($0.last ?? $0.startedAt, $0.id.uuidString) < ($1.last ?? $1.startedAt, $1.id.uuidString) }.map { candidate in
            AttentionItem(
                relationshipID: candidate.id, programmeID: candidate.programmeID, programmeName: programmeNames[candidate.programmeID] ?? "",
                memberNames: names[candidate.id] ?? [], startedAt: candidate.startedAt, lastActivityAt: candidate.last, flags: candidate.flags,
                snoozedUntil: snoozes[candidate.id])
        }
    }

    /// Takes a relationship off the needs-attention list until `until` (a manager's "I am on
    /// it"); it comes back after that if it still needs attention. `until` must be in the future
    /// and at most ``longestSnoozeDays`` away.
    public func snoozeAttention(relationshipID: UUID, until: Date, by identity: Identity) async throws {
        let (relationship, _) = try await scopedRelationship(id: relationshipID, of: identity)
        try await requireManager(ofProgrammeID: relationship.programmeID, identity)
        let now = clock.now
        guard until > now else {
            throw StoreError.invalid(field: "until", message: "Choose a date after today to snooze until.")
        }
        guard until <= now.addingTimeInterval(Double(Self.longestSnoozeDays) * 86_400) else {
            throw StoreError.invalid(field: "until", message: "Snooze for at most \(Self.longestSnoozeDays) days; choose an earlier date.")
        }
        try await transaction { database in
            let snooze = try await AttentionSnooze.find(relationshipID, on: database) ?? AttentionSnooze()
            snooze.id = relationshipID
            snooze.organisationID = identity.organisationID
            snooze.until = until
            snooze.byPersonID = identity.personID
            snooze.createdAt = now
            try await snooze.save(on: database)
        }
    }
}
