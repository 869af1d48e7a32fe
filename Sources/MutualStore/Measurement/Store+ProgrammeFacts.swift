import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Reads a programme's ``ProgrammeFacts``: one query per kind of row, each through an index
    /// on the programme or its relationships, naming only the columns the figures use. A
    /// 5,000-person programme is about 40,000 narrow rows.
    func programmeFacts(of programme: Programme) async throws -> ProgrammeFacts {
        guard let sql = try db() as? any SQLDatabase else { throw StoreError.unavailable }
        let programmeID = try programme.requireID()
        var facts = ProgrammeFacts(
            model: programme.model, cycleStart: Self.utcDay(programme.cycleStart), cycleEnd: Self.utcDay(programme.cycleEnd))

        for row in try await sql.raw("SELECT person_id, created_at FROM \(ident: Enrolment.schema) WHERE programme_id = \(bind: programmeID)").all() {
            facts.enrolments[try row.decode(column: "person_id", as: UUID.self)] = try row.decode(column: "created_at", as: Date.self)
        }
        if let opens = Self.utcDay(programme.enrolmentOpens) ?? Self.utcDay(programme.cycleStart).map({ $0.addingTimeInterval(-90 * 86_400) }) {
            let row = try await sql.raw(
                """
                SELECT COUNT(DISTINCT i.person_id) AS invited FROM \(ident: Invitation.schema) i \
                WHERE i.organisation_id = \(bind: programme.organisationID) AND i.person_id IS NOT NULL AND i.revoked_at IS NULL \
                AND i.created_at >= \(bind: opens) \
                AND NOT EXISTS (SELECT 1 FROM \(ident: Enrolment.schema) e WHERE e.programme_id = \(bind: programmeID) AND e.person_id = i.person_id)
                """
            ).first()
            facts.invitedNotEnrolled = try row?.decode(column: "invited", as: Int.self) ?? 0
        }
        for row in try await sql.raw(
            """
            SELECT mm.person_id, mm.response FROM \(ident: MatchMember.schema) mm \
            JOIN \(ident: PublishedMatch.schema) pm ON pm.id = mm.match_id WHERE pm.programme_id = \(bind: programmeID)
            """
        ).all() {
            facts.matchAnswers.append(
                .init(
                    person: try row.decode(column: "person_id", as: UUID.self),
                    response: MatchMember.Response(rawValue: try row.decode(column: "response", as: String.self)) ?? .pending))
        }

        var index: [UUID: Int] = [:]
        for row in try await sql.raw(
            "SELECT id, status, started_at, ended_at FROM \(ident: Relationship.schema) WHERE programme_id = \(bind: programmeID)"
        ).all() {
            index[try row.decode(column: "id", as: UUID.self)] = facts.relationships.count
            facts.relationships.append(
                .init(
                    status: Relationship.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .active,
                    startedAt: try row.decode(column: "started_at", as: Date.self), endedAt: try row.decode(column: "ended_at", as: Date?.self),
                    members: []))
        }
        guard !index.isEmpty else { return facts }
        let inProgramme = SQLQueryString("JOIN \(ident: Relationship.schema) r ON r.id = x.relationship_id WHERE r.programme_id = \(bind: programmeID)")

        for row in try await sql.raw("SELECT x.relationship_id, x.person_id FROM \(ident: RelationshipMember.schema) x \(inProgramme)").all() {
            guard let at = index[try row.decode(column: "relationship_id", as: UUID.self)] else { continue }
            facts.relationships[at].members.append(try row.decode(column: "person_id", as: UUID.self))
        }
        for row in try await sql.raw(
            "SELECT x.relationship_id, x.starts_at FROM \(ident: Meeting.schema) x \(inProgramme) AND x.status = \(bind: Meeting.Status.scheduled.rawValue)"
        ).all() {
            guard let at = index[try row.decode(column: "relationship_id", as: UUID.self)] else { continue }
            facts.meetings.append(.init(relationship: at, startsAt: try row.decode(column: "starts_at", as: Date.self)))
        }
        for row in try await sql.raw("SELECT x.relationship_id, x.person_id, x.rating, x.logged_at FROM \(ident: MeetingLog.schema) x \(inProgramme)").all() {
            guard let at = index[try row.decode(column: "relationship_id", as: UUID.self)] else { continue }
            facts.logs.append(
                .init(
                    relationship: at, person: try row.decode(column: "person_id", as: UUID.self), rating: try row.decode(column: "rating", as: Int?.self),
                    loggedAt: try row.decode(column: "logged_at", as: Date.self)))
        }
        for row in try await sql.raw(
            """
            SELECT x.relationship_id, x.person_id, MIN(x.logged_at) AS first_at FROM \(ident: MeetingLog.schema) x \
            JOIN \(ident: MeetingLogEntry.schema) e ON e.log_id = x.id \(inProgramme) AND e.direction = \(bind: MeetingLogEntry.Direction.taught.rawValue) \
            GROUP BY x.relationship_id, x.person_id
            """
        ).all() {
            guard let at = index[try row.decode(column: "relationship_id", as: UUID.self)] else { continue }
            facts.teaching.append(
                .init(relationship: at, person: try row.decode(column: "person_id", as: UUID.self), firstAt: try row.decode(column: "first_at", as: Date.self)))
        }
        for row in try await sql.raw("SELECT x.person_id, x.created_at, x.completed_at, x.status FROM \(ident: Goal.schema) x \(inProgramme)").all() {
            let done = try row.decode(column: "status", as: String.self) == Goal.Status.done.rawValue
            let createdAt = try row.decode(column: "created_at", as: Date.self)
            facts.goals.append(
                .init(
                    person: try row.decode(column: "person_id", as: UUID.self), createdAt: createdAt,
                    completedAt: done ? (try row.decode(column: "completed_at", as: Date?.self) ?? createdAt) : nil))
        }
        for row in try await sql.raw("SELECT x.due_at, x.done_at FROM \(ident: Milestone.schema) x \(inProgramme)").all() {
            facts.milestones.append(.init(dueAt: try row.decode(column: "due_at", as: Date.self), doneAt: try row.decode(column: "done_at", as: Date?.self)))
        }
        // The wants and growth of the people in the programme's relationships.
        let members = SQLQueryString(
            "SELECT x.person_id FROM \(ident: RelationshipMember.schema) x \(inProgramme)")
        for row in try await sql.raw(
            "SELECT ps.person_id, ps.skill_id FROM \(ident: PersonSkill.schema) ps WHERE ps.kind = \(bind: PersonSkill.Kind.want.rawValue) AND ps.person_id IN (\(members))"
        ).all() {
            facts.wants.append(.init(person: try row.decode(column: "person_id", as: UUID.self), skill: try row.decode(column: "skill_id", as: UUID.self)))
        }
        for row in try await sql.raw(
            "SELECT c.person_id, c.skill_id, c.from_level, c.to_level, c.changed_at FROM \(ident: SkillLevelChange.schema) c WHERE c.person_id IN (\(members))"
        ).all() {
            facts.growth.append(
                .init(
                    person: try row.decode(column: "person_id", as: UUID.self), skill: try row.decode(column: "skill_id", as: UUID.self),
                    fromLevel: try row.decode(column: "from_level", as: Int.self), toLevel: try row.decode(column: "to_level", as: Int.self),
                    changedAt: try row.decode(column: "changed_at", as: Date.self)))
        }
        let skillIDs = Set(facts.wants.map(\.skill))
        for slice in Array(skillIDs).queryBatches() {
            for row in try await sql.select().column("id").column("name").from(Skill.schema).where("id", .in, Array(slice)).all() {
                facts.skillNames[try row.decode(column: "id", as: UUID.self)] = try row.decode(column: "name", as: String.self)
            }
        }
        return facts
    }

    /// Midnight UTC of an ISO date (`YYYY-MM-DD`); nil when empty or not a date.
    static func utcDay(_ iso: String) -> Date? {
        let parts = iso.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var components = DateComponents()
        (components.year, components.month, components.day) = (parts[0], parts[1], parts[2])
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: components)
    }
}
