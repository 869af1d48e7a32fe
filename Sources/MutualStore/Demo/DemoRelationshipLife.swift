import FluentKit
import Foundation

/// What happens after the agreement, for the demo: the demo participant's own relationship
/// (signed, with past meetings and one coming up) and a realistic spread among the others —
/// some thriving, some stalled, one one-sided — so the relationship pages, the ledger and the
/// needs-attention list are never empty.
///
/// The history is written as rows dated in the past, without events: it did not happen now,
/// so nobody is emailed invitations to meetings that took place weeks ago.
enum DemoRelationshipLife {
    /// How each of the other open relationships is doing, by its position in the organisation's list.
    enum Shape: CaseIterable {
        case thriving, stalled, oneSided
    }

    /// Days before today of the past meetings of a thriving (or one-sided) relationship.
    static let pastMeetingDays = [42, 28, 14]
}

extension Store {
    /// Runs after `loadDemoProgrammes`: see `DemoRelationshipLife`.
    func loadDemoRelationshipLife(admin: Identity) async throws {
        let database = try db()
        var open = try await Relationship.query(on: database).filter(\.$organisationID == admin.organisationID)
            .filter(\.$status == .active).sort(\.$startedAt).all()
        if let own = try await openDemoParticipantRelationship(admin: admin) {
            try await backdate(own, days: 49)
            try await signDemoAgreement(own)
            var past: [Meeting] = []
            for days in DemoRelationshipLife.pastMeetingDays {
                past.append(
                    try await demoMeeting(
                        own, daysFromNow: -days, agenda: "1. What each of us tried since last time\n2. One skill each, taught by whoever is ahead\n3. Next step for each"))
            }
            try await demoMeeting(own, daysFromNow: 5, agenda: "1. Review: the dashboard Ana built\n2. Stakeholder interviews: a role play\n3. Next step for each")
            try await demoLogs(own, meetings: past, bothTeach: true)
            try await demoGoals(own)
            try await demoMessages(own)
            open.removeAll { $0.id == own.id }
        }
        for (index, relationship) in open.enumerated() {
            let shape = DemoRelationshipLife.Shape.allCases[index % DemoRelationshipLife.Shape.allCases.count]
            switch shape {
            case .thriving, .oneSided:
                try await backdate(relationship, days: 56)
                var past: [Meeting] = []
                for days in DemoRelationshipLife.pastMeetingDays { past.append(try await demoMeeting(relationship, daysFromNow: -days, agenda: "")) }
                if shape == .thriving { try await demoMeeting(relationship, daysFromNow: 7, agenda: "") }
                try await demoLogs(relationship, meetings: past, bothTeach: shape == .thriving)
                try await demoMemberGoals(relationship, firstDone: true)
            case .stalled:
                // Opened weeks ago and never met: what the needs-attention list is for.
                try await backdate(relationship, days: 40)
                try await demoMemberGoals(relationship, firstDone: false)
            }
        }
    }

    /// One goal for each member, set when the relationship opened; the first member's done
    /// three weeks ago when `firstDone`.
    private func demoMemberGoals(_ relationship: Relationship, firstDone: Bool) async throws {
        let database = try db()
        let members = try await RelationshipMember.query(on: database).filter(\.$relationshipID == relationship.requireID()).sort(\.$position).all()
        for (position, member) in members.enumerated() {
            let done = firstDone && position == 0
            let goal = Goal()
            goal.organisationID = relationship.organisationID
            goal.relationshipID = try relationship.requireID()
            goal.personID = member.personID
            goal.position = 0
            goal.title = done ? "Try the new approach on a real problem" : "Bring one real challenge to every meeting"
            goal.progress = done ? 100 : 30
            goal.status = done ? .done : .open
            goal.createdAt = relationship.startedAt
            goal.completedAt = done ? clock.now.addingTimeInterval(-21 * 86_400) : nil
            goal.updatedAt = goal.completedAt ?? goal.createdAt
            try await goal.create(on: database)
        }
    }
}

extension Store {
    /// Enrols the demo participant in the buddies programme and opens a relationship with a
    /// buddy who is free there (no pending match or open relationship in it) and not her partner
    /// in another programme: preferably one who can teach her something she wants and learn
    /// something she teaches, then one who can teach her. People enrolled in the programme come
    /// first; when its run has paired them all, a colleague is enrolled as her buddy.
    private func openDemoParticipantRelationship(admin: Identity) async throws -> Relationship? {
        let database = try db()
        guard
            let ana = try await Person.query(on: database).filter(\.$organisationID == admin.organisationID)
                .filter(\.$email == DemoOrganisation.participantEmail).first(),
            let programme = try await Programme.query(on: database).filter(\.$organisationID == admin.organisationID)
                .filter(\.$model == .buddies).first()
        else { return nil }
        let anaID = try ana.requireID()
        let programmeID = try programme.requireID()
        _ = try await enrol(personIDs: [anaID], in: programmeID, by: admin)
        var unavailable = try await busyPeople(in: programmeID, on: database)
        unavailable.insert(anaID)
        let herMatches = try await MatchMember.query(on: database).filter(\.$personID == anaID).all().map(\.matchID)
        if !herMatches.isEmpty {
            for member in try await MatchMember.query(on: database).filter(\.$matchID ~~ herMatches).all() { unavailable.insert(member.personID) }
        }
        let enrolled = Set(try await Enrolment.query(on: database).filter(\.$programmeID == programmeID).all().map(\.personID))
        let free = try await Person.query(on: database).filter(\.$organisationID == admin.organisationID).sort(\.$externalID).all()
            .compactMap(\.id).filter { !unavailable.contains($0) }
        let candidates = free.filter { enrolled.contains($0) } + free.filter { !enrolled.contains($0) }
        let hers = try await PersonSkill.query(on: database).filter(\.$personID == anaID).all()
        let anaWants = Set(hers.filter { $0.kind == .want }.map(\.skillID))
        let anaStrengths = Set(hers.filter { $0.kind == .strength }.map(\.skillID))
        var teachesHer = Set<UUID>(), learnsFromHer = Set<UUID>()
        for line in try await PersonSkill.query(on: database).filter(\.$organisationID == admin.organisationID)
            .filter(\.$skillID ~~ Array(anaWants.union(anaStrengths))).all()
        {
            if line.kind == .strength, anaWants.contains(line.skillID) { teachesHer.insert(line.personID) }
            if line.kind == .want, anaStrengths.contains(line.skillID) { learnsFromHer.insert(line.personID) }
        }
        guard
            let partner = candidates.first(where: { teachesHer.contains($0) && learnsFromHer.contains($0) })
                ?? candidates.first(where: teachesHer.contains) ?? candidates.first
        else { return nil }
        if !enrolled.contains(partner) { _ = try await enrol(personIDs: [partner], in: programmeID, by: admin) }
        return try await transaction { transaction in
            try await self.openRelationship(programme: programme, matchID: nil, memberIDs: [anaID, partner], actor: admin.personID, on: transaction)
        }
    }

    func backdate(_ relationship: Relationship, days: Int) async throws {
        relationship.startedAt = clock.now.addingTimeInterval(-TimeInterval(days * 86_400))
        try await relationship.save(on: try db())
    }

    private func signDemoAgreement(_ relationship: Relationship) async throws {
        let database = try db()
        relationship.vision = "Each of us leaves the cycle able to do one thing we could not do before, taught by the other."
        relationship.cadence = "45 minutes, video, mornings"
        relationship.cadenceInterval = MeetingCadence.Interval.fortnightly.rawValue
        relationship.cadenceDays = 0
        relationship.boundaries = "No performance reviews or pay."
        relationship.confidentiality = "What we share about our teams stays between us."
        relationship.agreementVersion = 2
        relationship.agreementUpdatedAt = relationship.startedAt.addingTimeInterval(2 * 86_400)
        try await relationship.save(on: database)
        for member in try await RelationshipMember.query(on: database).filter(\.$relationshipID == relationship.requireID()).all() {
            member.signedVersion = 2
            member.signedAt = relationship.agreementUpdatedAt
            try await member.save(on: database)
        }
    }

    /// Each member's log of each meeting, an hour after it: with `bothTeach`, each teaches the
    /// other one of their strengths; without, only the first member teaches (a one-sided pair).
    func demoLogs(_ relationship: Relationship, meetings: [Meeting], bothTeach: Bool) async throws {
        let database = try db()
        let members = try await RelationshipMember.query(on: database).filter(\.$relationshipID == relationship.requireID()).sort(\.$position).all()
        guard members.count >= 2 else { return }
        var strengths: [UUID: [UUID]] = [:]
        var wants: [UUID: Set<UUID>] = [:]
        for member in members {
            let skills = try await PersonSkill.query(on: database).filter(\.$personID == member.personID).sort(\.$level, .descending).all()
            strengths[member.personID] = skills.filter { $0.kind == .strength }.map(\.skillID)
            wants[member.personID] = Set(skills.filter { $0.kind == .want }.map(\.skillID))
        }
        /// What `teacher` teaches `learner`: a strength the learner wants, or their strongest.
        func lesson(_ teacher: UUID, _ learner: UUID) -> UUID? {
            let own = strengths[teacher] ?? []
            return own.first { wants[learner]?.contains($0) == true } ?? own.first
        }
        let notes = ["walked through a real example together", "tried it on my own work, then we reviewed it", "the part I found hardest, step by step"]
        for (index, meeting) in meetings.enumerated() {
            for (position, member) in members.prefix(2).enumerated() {
                let other = members[1 - position].personID
                var entries: [(MeetingLogEntry.Direction, UUID, String)] = []
                if position == 0 || bothTeach, let taught = lesson(member.personID, other) { entries.append((.taught, taught, notes[index % notes.count])) }
                if position == 1 || bothTeach, let learned = lesson(other, member.personID) { entries.append((.learned, learned, notes[(index + 1) % notes.count])) }
                let log = MeetingLog()
                log.organisationID = relationship.organisationID
                log.meetingID = try meeting.requireID()
                log.relationshipID = try relationship.requireID()
                log.personID = member.personID
                log.rating = 4 + (index + position) % 2
                log.commitment = position == 0 ? "Try it once on my own before we meet again" : "Bring one real example next time"
                log.loggedAt = meeting.endsAt.addingTimeInterval(3600)
                try await log.create(on: database)
                for (order, entry) in entries.enumerated() {
                    let row = MeetingLogEntry()
                    row.organisationID = relationship.organisationID
                    row.logID = try log.requireID()
                    row.direction = entry.0
                    row.skillID = entry.1
                    row.note = entry.2
                    row.position = order
                    try await row.create(on: database)
                }
            }
        }
    }

    /// Goals with milestones for the demo participant's relationship: two of hers (one
    /// milestone done, one coming), one of her partner's, and a review for both.
    private func demoGoals(_ relationship: Relationship) async throws {
        let database = try db()
        let relationshipID = try relationship.requireID()
        let members = try await RelationshipMember.query(on: database).filter(\.$relationshipID == relationshipID).sort(\.$position).all()
        let now = clock.now
        func day(_ offset: Int) -> Date {
            Date(timeIntervalSince1970: ((now.timeIntervalSince1970 / 86_400).rounded(.down) + Double(offset)) * 86_400)
        }
        let plans: [(Int, String, Int, [(String, Int, Bool)])] = [
            (0, "Run a stakeholder interview on my own", 60, [("Shadow one interview", -20, true), ("Lead one with my buddy watching", 10, false)]),
            (0, "Publish a dashboard my team uses weekly", 30, [("First draft reviewed", 4, false)]),
            (1, "Explain our data model to a new joiner", 40, [("Draw the model on one page", -6, true)]),
        ]
        for (position, plan) in plans.enumerated() where plan.0 < members.count {
            let goal = Goal()
            goal.organisationID = relationship.organisationID
            goal.relationshipID = relationshipID
            goal.personID = members[plan.0].personID
            goal.position = position
            goal.title = plan.1
            goal.dueAt = day(70)
            goal.progress = plan.2
            goal.status = .open
            goal.createdAt = relationship.startedAt
            goal.updatedAt = now
            try await goal.create(on: database)
            for milestone in plan.3 {
                try await demoMilestone(relationship, goalID: try goal.requireID(), title: milestone.0, due: day(milestone.1), done: milestone.2 ? day(milestone.1 - 1) : nil)
            }
        }
        try await demoMilestone(relationship, goalID: nil, title: "Mid-cycle review together", due: day(30), done: nil)
    }

    func demoMilestone(_ relationship: Relationship, goalID: UUID?, title: String, due: Date, done: Date?) async throws {
        let milestone = Milestone()
        milestone.organisationID = relationship.organisationID
        milestone.relationshipID = try relationship.requireID()
        milestone.goalID = goalID
        milestone.title = title
        milestone.dueAt = due
        milestone.doneAt = done
        milestone.createdAt = relationship.startedAt
        try await milestone.create(on: try db())
    }

    /// A short thread in the demo participant's relationship.
    private func demoMessages(_ relationship: Relationship) async throws {
        let database = try db()
        let relationshipID = try relationship.requireID()
        let members = try await RelationshipMember.query(on: database).filter(\.$relationshipID == relationshipID).sort(\.$position).all()
        guard members.count >= 2 else { return }
        let lines: [(Int, Int, String)] = [
            (1, -15, "Thanks for last time! I tried the pivot table trick on our weekly numbers."),
            (0, -15, "Great: bring it next time and we'll turn it into a dashboard."),
            (1, -2, "Could we move next week's meeting half an hour later? I have a clash."),
        ]
        for (order, line) in lines.enumerated() {
            let message = RelationshipMessage()
            message.organisationID = relationship.organisationID
            message.relationshipID = relationshipID
            message.authorPersonID = members[line.0].personID
            message.fromManager = false
            message.body = line.2
            // Ten minutes apart within a day, in the order written.
            message.createdAt = clock.now.addingTimeInterval(TimeInterval(line.1 * 86_400 + order * 600))
            try await message.create(on: database)
        }
    }

    /// A meeting at 10:00 in the first member's time zone, `daysFromNow` days away (negative: past).
    @discardableResult
    func demoMeeting(_ relationship: Relationship, daysFromNow: Int, agenda: String) async throws -> Meeting {
        let database = try db()
        let relationshipID = try relationship.requireID()
        let first = try await RelationshipMember.query(on: database).filter(\.$relationshipID == relationshipID).sort(\.$position).first()
        let zone = try await timeZone(ofPerson: first?.personID ?? UUID())
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let day = calendar.date(byAdding: .day, value: daysFromNow, to: clock.now) ?? clock.now
        let start = calendar.date(bySettingHour: 10, minute: 0, second: 0, of: day) ?? day
        let meeting = Meeting()
        meeting.organisationID = relationship.organisationID
        meeting.relationshipID = relationshipID
        meeting.startsAt = start
        meeting.durationMinutes = 45
        meeting.place = "https://meet.example/\(relationshipID.uuidString.prefix(8).lowercased())"
        meeting.agenda = agenda
        meeting.status = .scheduled
        meeting.cancelNote = ""
        meeting.sequence = 0
        meeting.createdBy = first?.personID
        meeting.createdAt = min(clock.now, start.addingTimeInterval(-7 * 86_400))
        meeting.updatedAt = meeting.createdAt
        try await meeting.create(on: database)
        return meeting
    }
}
