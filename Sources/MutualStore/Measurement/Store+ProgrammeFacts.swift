import FluentKit
import Foundation
import SQLKit

extension Store {
    /// The HR outcome the retention measure reads (1 retained, 0 left).
    public static let retentionOutcome = "retained_12m"

    /// Reads a programme's ``ProgrammeFacts``: one statement per kind of row, each through an
    /// index on the programme or its relationships, naming only the columns the figures use. Ids
    /// are read as text and numbered (see ``ProgrammeFacts``); a 5,000-person programme is about
    /// 40,000 narrow rows.
    func programmeFacts(of programme: Programme) async throws -> ProgrammeFacts {
        guard let sql = try db() as? any SQLDatabase else { throw StoreError.unavailable }
        let programmeID = try programme.requireID()
        var facts = ProgrammeFacts(
            model: programme.model, cycleStart: Self.utcDay(programme.cycleStart), cycleEnd: Self.utcDay(programme.cycleEnd))
        var people: [String: Int] = [:]
        func person(_ row: ReadRow, _ column: String = "person") throws -> Int {
            let key = try row.text(column)
            if let known = people[key] { return known }
            people[key] = people.count
            return people.count - 1
        }

        for row in try await ReadRow.all(
            "SELECT CAST(person_id AS TEXT) AS person, created_at FROM \(ident: Enrolment.schema) WHERE programme_id = \(bind: programmeID)", on: sql) {
            facts.enrolments[try person(row)] = try row.date("created_at")
        }
        if let opens = Self.utcDay(programme.enrolmentOpens) ?? Self.utcDay(programme.cycleStart).map({ $0.addingTimeInterval(-90 * 86_400) }) {
            let row = try await ReadRow.all(
                """
                SELECT COUNT(DISTINCT i.person_id) AS invited FROM \(ident: Invitation.schema) i \
                WHERE i.organisation_id = \(bind: programme.organisationID) AND i.person_id IS NOT NULL AND i.revoked_at IS NULL \
                AND i.created_at >= \(bind: opens) \
                AND NOT EXISTS (SELECT 1 FROM \(ident: Enrolment.schema) e WHERE e.programme_id = \(bind: programmeID) AND e.person_id = i.person_id)
                """, on: sql).first
            facts.invitedNotEnrolled = try row?.int("invited") ?? 0
        }
        for row in try await ReadRow.all(
            """
            SELECT CAST(mm.person_id AS TEXT) AS person, mm.response FROM \(ident: MatchMember.schema) mm \
            JOIN \(ident: PublishedMatch.schema) pm ON pm.id = mm.match_id WHERE pm.programme_id = \(bind: programmeID)
            """, on: sql) {
            facts.matchAnswers.append(
                .init(person: try person(row), response: MatchMember.Response(rawValue: try row.text("response")) ?? .pending))
        }

        var index: [String: Int] = [:]
        for row in try await ReadRow.all(
            "SELECT CAST(id AS TEXT) AS id, status, started_at, ended_at FROM \(ident: Relationship.schema) WHERE programme_id = \(bind: programmeID)", on: sql) {
            index[try row.text("id")] = facts.relationships.count
            facts.relationships.append(
                .init(
                    status: Relationship.Status(rawValue: try row.text("status")) ?? .active,
                    startedAt: try row.date("started_at"), endedAt: try row.optionalDate("ended_at"),
                    members: []))
        }
        try await loadFeedbackFigures(into: &facts, programme: programme)
        guard !index.isEmpty else { return facts }
        let inProgramme = SQLQueryString("JOIN \(ident: Relationship.schema) r ON r.id = x.relationship_id WHERE r.programme_id = \(bind: programmeID)")
        func relationship(_ row: ReadRow) throws -> Int? { index[try row.text("relationship")] }

        for row in try await ReadRow.all(
            "SELECT CAST(x.relationship_id AS TEXT) AS relationship, CAST(x.person_id AS TEXT) AS person FROM \(ident: RelationshipMember.schema) x \(inProgramme)", on: sql) {
            guard let at = try relationship(row) else { continue }
            facts.relationships[at].members.append(try person(row))
        }
        for row in try await ReadRow.all(
            """
            SELECT CAST(x.relationship_id AS TEXT) AS relationship, x.starts_at FROM \(ident: Meeting.schema) x \(inProgramme) \
            AND x.status = \(bind: Meeting.Status.scheduled.rawValue)
            """, on: sql) {
            guard let at = try relationship(row) else { continue }
            facts.meetings.append(.init(relationship: at, startsAt: try row.date("starts_at")))
        }
        for row in try await ReadRow.all(
            """
            SELECT CAST(x.relationship_id AS TEXT) AS relationship, CAST(x.person_id AS TEXT) AS person, MIN(x.logged_at) AS first_at \
            FROM \(ident: MeetingLog.schema) x JOIN \(ident: MeetingLogEntry.schema) e ON e.log_id = x.id \(inProgramme) \
            AND e.direction = \(bind: MeetingLogEntry.Direction.taught.rawValue) GROUP BY x.relationship_id, x.person_id
            """, on: sql) {
            guard let at = try relationship(row) else { continue }
            facts.teaching.append(.init(relationship: at, person: try person(row), firstAt: try row.date("first_at")))
        }
        for row in try await ReadRow.all(
            "SELECT CAST(x.person_id AS TEXT) AS person, x.created_at, x.completed_at, x.status FROM \(ident: Goal.schema) x \(inProgramme)", on: sql) {
            let done = try row.text("status") == Goal.Status.done.rawValue
            let createdAt = try row.date("created_at")
            facts.goals.append(
                .init(person: try person(row), createdAt: createdAt, completedAt: done ? (try row.optionalDate("completed_at") ?? createdAt) : nil))
        }
        for row in try await ReadRow.all("SELECT x.due_at, x.done_at FROM \(ident: Milestone.schema) x \(inProgramme)", on: sql) {
            facts.milestones.append(.init(dueAt: try row.date("due_at"), doneAt: try row.optionalDate("done_at")))
        }
        // The wants, growth and retention of the people in the programme's relationships.
        let members = SQLQueryString("SELECT x.person_id FROM \(ident: RelationshipMember.schema) x \(inProgramme)")
        var skills: [String: Int] = [:]
        func skill(_ row: ReadRow) throws -> Int {
            let key = try row.text("skill")
            if let known = skills[key] { return known }
            skills[key] = skills.count
            return skills.count - 1
        }
        for row in try await ReadRow.all(
            """
            SELECT CAST(ps.person_id AS TEXT) AS person, CAST(ps.skill_id AS TEXT) AS skill FROM \(ident: PersonSkill.schema) ps \
            WHERE ps.kind = \(bind: PersonSkill.Kind.want.rawValue) AND ps.person_id IN (\(members))
            """, on: sql) {
            facts.wants.append(.init(person: try person(row), skill: try skill(row)))
        }
        for row in try await ReadRow.all(
            """
            SELECT CAST(c.person_id AS TEXT) AS person, CAST(c.skill_id AS TEXT) AS skill, c.from_level, c.to_level, c.changed_at \
            FROM \(ident: SkillLevelChange.schema) c WHERE c.person_id IN (\(members))
            """, on: sql) {
            facts.growth.append(
                .init(
                    person: try person(row), skill: try skill(row), fromLevel: try row.int("from_level"),
                    toLevel: try row.int("to_level"), changedAt: try row.date("changed_at")))
        }
        // The names of the (few hundred at most) skills wanted, in one statement each batch.
        for slice in Array(skills.keys).queryBatches() {
            for row in try await ReadRow.all(
                "SELECT CAST(id AS TEXT) AS skill, name FROM \(ident: Skill.schema) WHERE CAST(id AS TEXT) IN (\(binds: Array(slice)))", on: sql) {
                if let number = skills[try row.text("skill")] {
                    facts.skillNames[number] = try row.text("name")
                }
            }
        }
        if let row = try await ReadRow.all(
            """
            SELECT COUNT(*) AS recorded, COALESCE(SUM(CASE WHEN o.value >= 0.5 THEN 1 ELSE 0 END), 0) AS retained \
            FROM \(ident: HROutcome.schema) o WHERE o.organisation_id = \(bind: programme.organisationID) \
            AND o.outcome = \(bind: Self.retentionOutcome) AND o.person_id IN (\(members))
            """, on: sql).first {
            let recorded = try row.int("recorded")
            if recorded > 0 { facts.retained = (try row.int("retained"), recorded) }
        }
        return facts
    }

    /// The programme's guarded feedback, as the measures read it.
    private func loadFeedbackFigures(into facts: inout ProgrammeFacts, programme: Programme) async throws {
        let summary = try await feedbackSummary(organisationID: programme.organisationID, programmeID: try programme.requireID(), scoresOnly: true)
        func figure(_ name: FeedbackMeasure.Name, value: (FeedbackMeasure) -> Double?, what: String) -> MeasuredValue {
            guard let measure = summary.measure(name) else { return .missing("No \(what) yet.") }
            if let shown = value(measure) { return .number(shown, note: "\(measure.answers) \(what) from \(measure.respondents) people") }
            if let reason = measure.heldBack { return .missing(reason) }
            if measure.respondents == 0 { return .missing("No \(what) yet.") }
            return .missing(
                "Shown once \(measure.k) people have answered, to keep answers anonymous: \(measure.needed) more \(measure.needed == 1 ? "is" : "are") needed.")
        }
        facts.feedback = ProgrammeFacts.FeedbackFigures(
            usefulness: figure(.meetingUsefulness, value: \.value, what: "check-ins"),
            usefulnessByMonth: Dictionary(summary.usefulnessByMonth.map { ($0.month, $0.value) }, uniquingKeysWith: { a, _ in a }),
            health: figure(.pulse, value: \.value, what: "pulses"),
            recommend: figure(.recommend, value: { $0.nps.map(Double.init) }, what: "reviews"))
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
