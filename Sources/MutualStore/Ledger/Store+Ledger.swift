import FluentKit
import Foundation
import SQLKit

extension Store {
    /// How many logged meetings in a row with one member alone teaching make a peer pair
    /// one-sided.
    public static let oneSidedMeetings = 3

    /// A relationship's ledger for one of its members or a programme manager ("not found" for
    /// anyone else): every meeting that has started (cancelled ones left out) with each
    /// member's log, who taught whom what per skill, and for peer pairs (pairs and buddies of
    /// two) the reciprocity balance.
    public func ledger(relationshipID: UUID, of identity: Identity) async throws -> RelationshipLedger {
        let (relationship, members) = try await scopedRelationship(id: relationshipID, of: identity)
        let database = try db()
        let model = try await Programme.find(relationship.programmeID, on: database)?.model
        let memberIDs = members.map(\.personID)
        let memberNames = try await names(ofPeople: Set(memberIDs), on: database)
        let now = clock.now
        let meetings = try await Meeting.query(on: database).filter(\.$relationshipID == relationshipID)
            .filter(\.$startsAt <= now).all()
            .filter { $0.status != .cancelled }
            .sorted { ($0.startsAt, $0.id?.uuidString ?? "") > ($1.startsAt, $1.id?.uuidString ?? "") }
        let liveIDs = Set(meetings.compactMap(\.id))
        let logs = try await MeetingLog.query(on: database).filter(\.$relationshipID == relationshipID).all()
            .filter { liveIDs.contains($0.meetingID) }
        let views = try await logViews(logs, on: database)
        let viewsByMeeting = Dictionary(grouping: views, by: \.meetingID)
        let order = Dictionary(memberIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })

        var entries: [RelationshipLedger.Entry] = []
        var logged: [LedgerArithmetic.LoggedMeeting] = []
        for meeting in meetings {
            let id = try meeting.requireID()
            let own = (viewsByMeeting[id] ?? []).sorted { (order[$0.personID] ?? .max) < (order[$1.personID] ?? .max) }
            entries.append(
                RelationshipLedger.Entry(
                    meetingID: id, startsAt: meeting.startsAt, durationMinutes: meeting.durationMinutes, logs: own,
                    notLogged: memberIDs.filter { person in !own.contains { $0.personID == person } }))
            if !own.isEmpty {
                logged.append(
                    LedgerArithmetic.LoggedMeeting(
                        meetingID: id, startsAt: meeting.startsAt,
                        taught: Dictionary(own.map { ($0.personID, Set($0.taught.map(\.skillID))) }, uniquingKeysWith: { $0.union($1) }),
                        learned: Dictionary(own.map { ($0.personID, Set($0.learned.map(\.skillID))) }, uniquingKeysWith: { $0.union($1) })))
            }
        }

        let skillNames = Dictionary(
            views.flatMap { $0.taught + $0.learned }.map { ($0.skillID, $0.skill) }, uniquingKeysWith: { first, _ in first })
        let flows = LedgerArithmetic.flows(logged, memberIDs: memberIDs).map { key, count in
            RelationshipLedger.Flow(
                skillID: key.skillID, skill: skillNames[key.skillID] ?? "A removed skill", teacherID: key.teacherID, learnerID: key.learnerID,
                meetings: count.meetings, confirmed: count.confirmed, lastAt: count.lastAt)
        }
        .sorted {
            ($0.skill.lowercased(), order[$0.teacherID ?? UUID()] ?? .max, order[$0.learnerID ?? UUID()] ?? .max)
                < ($1.skill.lowercased(), order[$1.teacherID ?? UUID()] ?? .max, order[$1.learnerID ?? UUID()] ?? .max)
        }

        var balance: RelationshipLedger.Balance?
        if Self.isPeerPair(model: model, memberCount: members.count) {
            let counts = LedgerArithmetic.teachingCounts(logged, memberIDs: memberIDs)
            balance = RelationshipLedger.Balance(
                sides: memberIDs.map { RelationshipLedger.Balance.Side(personID: $0, meetingsTaught: counts[$0]?.meetings ?? 0, skillsTaught: counts[$0]?.skills ?? 0) },
                oneSidedTeacherID: LedgerArithmetic.oneSidedTeacher(logged, threshold: Self.oneSidedMeetings))
        }

        let levelChanges = try await skillLevelChanges(meetingIDs: meetings.compactMap(\.id), on: database)
        return RelationshipLedger(
            relationshipID: relationshipID,
            members: memberIDs.map { RelationshipLedger.Member(personID: $0, name: memberNames[$0] ?? "Someone who left", isViewer: $0 == identity.personID) },
            entries: entries, flows: flows, balance: balance, levelChanges: levelChanges)
    }

    /// Peer pairs are where both teach and both learn: the pairs and buddies models, two members.
    static func isPeerPair(model: ProgrammeModel?, memberCount: Int) -> Bool {
        (model == .pairs || model == .buddies) && memberCount == 2
    }

    /// The open peer pairs (pairs and buddies of two, active or paused) of an organisation, or
    /// of one programme, where one member alone logged teaching in each of the last three
    /// meetings anyone logged (the same member each time; cancelled meetings do not count).
    /// One SQL query, for the managers' needs-attention list and its nightly scan.
    public func oneSidedRelationships(organisationID: UUID, programmeID: UUID? = nil, on database: (any Database)? = nil) async throws -> Set<UUID> {
        guard let sql = try (database ?? db()) as? any SQLDatabase else { throw StoreError.unavailable }
        return try await Self.oneSidedRelationships(organisationID: organisationID, programmeID: programmeID, sql: sql)
    }

    /// `oneSidedRelationships(organisationID:programmeID:on:)` on a given SQL database (the
    /// needs-attention list's signal runs it there).
    static func oneSidedRelationships(organisationID: UUID, programmeID: UUID?, sql: any SQLDatabase) async throws -> Set<UUID> {
        let programmeFilter: SQLQueryString = programmeID.map { "AND r.programme_id = \(bind: $0)" } ?? ""
        let query: SQLQueryString = """
            WITH logged AS (
                SELECT DISTINCT ml.relationship_id, ml.meeting_id, m.starts_at
                FROM meeting_logs ml
                JOIN meetings m ON m.id = ml.meeting_id
                JOIN relationships r ON r.id = ml.relationship_id
                JOIN programmes p ON p.id = r.programme_id
                WHERE ml.organisation_id = \(bind: organisationID) \(programmeFilter)
                  AND m.status <> 'cancelled'
                  AND r.status IN ('active', 'paused')
                  AND p.model IN ('pairs', 'buddies')
                  AND (SELECT COUNT(*) FROM relationship_members rm WHERE rm.relationship_id = r.id) = 2
            ), recent AS (
                SELECT relationship_id, meeting_id FROM (
                    SELECT relationship_id, meeting_id,
                           ROW_NUMBER() OVER (PARTITION BY relationship_id ORDER BY starts_at DESC, meeting_id DESC) AS place
                    FROM logged
                ) ranked
                WHERE place <= \(bind: Self.oneSidedMeetings)
            ), teachers AS (
                SELECT DISTINCT ml.meeting_id, ml.person_id
                FROM meeting_logs ml
                JOIN recent ON recent.meeting_id = ml.meeting_id
                WHERE EXISTS (SELECT 1 FROM meeting_log_entries e WHERE e.log_id = ml.id AND e.direction = 'taught')
            )
            SELECT recent.relationship_id AS relationship_id
            FROM recent
            LEFT JOIN teachers ON teachers.meeting_id = recent.meeting_id
            GROUP BY recent.relationship_id
            HAVING COUNT(DISTINCT recent.meeting_id) = \(bind: Self.oneSidedMeetings)
               AND COUNT(teachers.person_id) = \(bind: Self.oneSidedMeetings)
               AND COUNT(DISTINCT teachers.person_id) = 1
            """
        let rows = try await sql.raw(query).all()
        return Set(try rows.map { try $0.decode(column: "relationship_id", as: UUID.self) })
    }
}
