import FluentKit
import Foundation

/// A programme five months into its cycle, for the demo: about fifty people in pairs with a
/// history of meetings, logs, goals, milestones and raised skill levels, so the programme
/// dashboard, its KPIs and their trends show what a real cycle looks like. Most pairs thrive;
/// some teach one way only, some fade after a few meetings, one ended early and a few have
/// already completed. The other demo programmes start their cycle in two weeks.
enum DemoPastCycle {
    static let name = "Spring skill swap"
    /// How many days ago the cycle began, and how many days it still runs.
    static let daysSinceStart = 150
    static let daysToGo = 30

    /// How a pair's cycle went, by its position among the pairs.
    enum Course: CaseIterable {
        case thriving, oneSided, fading, endedEarly, completed

        static func of(_ index: Int) -> Course {
            switch index % 20 {
            case 3, 13: .oneSided
            case 6, 16: .fading
            case 9: .endedEarly
            case 11, 19: .completed
            default: .thriving
            }
        }
    }

    static func objectives() -> [ObjectiveDraft] {
        [
            ObjectiveDraft(
                goal: "Spread skills across teams",
                kpis: [
                    KPI(name: Measure.meetingsPerPairPerMonth.name, comparison: .atLeast, target: 1.5, unit: ""),
                    KPI(name: Measure.reciprocityIndex.name, comparison: .atLeast, target: 75, unit: "%"),
                    KPI(name: Measure.skillsGrowth.name, comparison: .atLeast, target: 50, unit: "%"),
                ]),
            ObjectiveDraft(
                goal: "Time people find worth it",
                kpis: [
                    KPI(name: Measure.meetingUsefulness.name, comparison: .atLeast, target: 4, unit: "out of 5"),
                    KPI(name: Measure.goalCompletion.name, comparison: .atLeast, target: 60, unit: "%"),
                ]),
        ]
    }
}

extension Store {
    /// Creates the ``DemoPastCycle`` programme, matches and accepts its pairs, and writes their
    /// history as rows dated in the past (without events: nobody is emailed about it).
    func loadDemoPastCycle(admin: Identity, people: [DemoPeople.Entry]) async throws {
        let day: TimeInterval = 86_400
        let now = clock.now
        let start = now.addingTimeInterval(-Double(DemoPastCycle.daysSinceStart) * day)
        let programme = try await createProgramme(
            ProgrammeDraft(
                name: DemoPastCycle.name, description: "Last spring's cohort of skill-swap pairs, now near the end of its cycle.",
                model: .pairs, structure: .formal, cadence: "every two weeks",
                cycleStart: isoDate(start), cycleEnd: isoDate(now.addingTimeInterval(Double(DemoPastCycle.daysToGo) * day)),
                enrolmentOpens: isoDate(start.addingTimeInterval(-30 * day)), enrolmentCloses: isoDate(start.addingTimeInterval(-7 * day))),
            objectives: DemoPastCycle.objectives(), by: admin)
        let ids = Dictionary(
            try await Person.query(on: try db()).filter(\.$organisationID == admin.organisationID).all().map { ($0.externalID, try $0.requireID()) },
            uniquingKeysWith: { a, _ in a })
        let members = people.enumerated().filter { index, person in index % 6 == 1 && person.email != DemoOrganisation.participantEmail }
            .compactMap { ids[$0.element.externalID] }
        _ = try await enrol(personIDs: members, role: .peer, in: programme.id, by: admin)
        let run = try await matchRunner.start(programmeID: programme.id, seed: 7, by: admin)
        await matchRunner.execute(runID: run.id)
        guard try await matchRun(id: run.id, of: admin).status == .done else { return }
        _ = try await publishMatchRun(id: run.id, by: admin)
        try await acceptDemoMatches(runID: run.id, count: Int.max, sparing: admin.organisationID)

        let database = try db()
        let relationships = try await Relationship.query(on: database).filter(\.$programmeID == programme.id).sort(\.$startedAt).all()
        let matchTimes = start.addingTimeInterval(-5 * day)
        try await MatchMember.query(on: database).filter(\.$organisationID == admin.organisationID)
            .filter(\.$matchID ~~ relationships.compactMap(\.matchID)).set(\.$respondedAt, to: matchTimes).update()
        try await PublishedMatch.query(on: database).filter(\.$runID == run.id).set(\.$publishedAt, to: start.addingTimeInterval(-7 * day)).update()
        for (index, relationship) in relationships.enumerated() {
            try await demoPastCourse(relationship, course: DemoPastCycle.Course.of(index), index: index, start: start)
        }
    }

    /// The members' answers, as the feedback scan would have asked for them: a check-in after
    /// every meeting (most answered, usefulness following how the pair is doing), a fit check
    /// after the first, a pulse at 30 days and an end-of-cycle review for completed pairs. Only
    /// meetings older than the scan's lookback, so the running server does not ask again.
    private func demoPastFeedback(
        _ relationship: Relationship, course: DemoPastCycle.Course, index: Int, meetings: [Meeting], members: [UUID]
    ) async throws {
        let database = try db()
        let relationshipID = try relationship.requireID()
        let day: TimeInterval = 86_400
        let lookback = clock.now.addingTimeInterval(-Double(Self.feedbackLookbackDays + 1) * day)
        let base: Int
        switch course {
        case .thriving, .completed: base = 4
        case .oneSided, .fading: base = 3
        case .endedEarly: base = 2
        }
        var requests: [FeedbackRequest] = [], responses: [FeedbackResponse] = []
        func ask(_ kind: FeedbackKind, _ person: UUID, meeting: Meeting?, occasion: String, at date: Date, score: Int?, fit: FitAnswer? = nil) throws {
            let request = FeedbackRequest()
            request.id = UUID()
            request.organisationID = relationship.organisationID
            request.programmeID = relationship.programmeID
            request.relationshipID = relationshipID
            request.personID = person
            request.kind = kind
            request.meetingID = try meeting?.requireID()
            request.requestKey = "\(kind.rawValue):\(relationshipID.uuidString.lowercased()):\(person.uuidString.lowercased()):\(occasion)"
            request.createdAt = date
            // One check-in in six is never answered; pulses, fit checks and reviews always are.
            let answered = kind != .checkIn || (index + requests.count) % 6 != 5
            request.answeredAt = answered ? date.addingTimeInterval(day) : nil
            requests.append(request)
            guard answered else { return }
            let response = FeedbackResponse()
            response.organisationID = relationship.organisationID
            response.programmeID = relationship.programmeID
            response.requestID = request.id!
            response.personID = person
            response.kind = kind
            response.score = score
            response.fit = fit?.rawValue ?? ""
            response.reasons = ""
            response.comment = ""
            response.story = ""
            response.shared = false
            response.answeredAt = date.addingTimeInterval(day)
            responses.append(response)
        }
        for (number, meeting) in meetings.enumerated() where meeting.endsAt < lookback {
            for (position, person) in members.enumerated() {
                let occasion = try meeting.requireID().uuidString.lowercased()
                try ask(.checkIn, person, meeting: meeting, occasion: occasion, at: meeting.endsAt, score: min(5, base + (number + position + index) % 2))
                if number == 0 {
                    try ask(.fitCheck, person, meeting: meeting, occasion: "first", at: meeting.endsAt, score: nil, fit: base >= 4 ? .goodFit : .notSure)
                }
            }
        }
        let pulseDay = relationship.startedAt.addingTimeInterval(30 * day)
        if pulseDay < lookback {
            for (position, person) in members.enumerated() {
                try ask(.pulse, person, meeting: nil, occasion: "0", at: pulseDay, score: min(5, base + (index + position) % 2))
            }
        }
        if course == .completed, let ended = relationship.endedAt ?? meetings.last?.endsAt {
            for (position, person) in members.enumerated() {
                try ask(.review, person, meeting: nil, occasion: "review", at: ended, score: 8 + (index + position) % 3)
            }
        }
        try await requests.create(on: database)
        try await responses.create(on: database)
    }

    private func demoPastCourse(_ relationship: Relationship, course: DemoPastCycle.Course, index: Int, start: Date) async throws {
        let database = try db()
        let day: TimeInterval = 86_400
        let opened = start.addingTimeInterval(Double(index % 5) * day)
        relationship.startedAt = opened
        try await relationship.save(on: database)
        let sinceOpened = Int(clock.now.timeIntervalSince(opened) / day)
        let meetingDays: [Int]
        switch course {
        case .thriving: meetingDays = Array(stride(from: 7, to: sinceOpened - 1, by: 14))
        case .oneSided: meetingDays = Array(stride(from: 10, to: sinceOpened - 1, by: 21))
        case .fading: meetingDays = [9, 24, 45]
        case .endedEarly: meetingDays = [12]
        case .completed: meetingDays = Array(stride(from: 7, to: 120, by: 14))
        }
        var meetings: [Meeting] = []
        for offset in meetingDays {
            meetings.append(try await demoMeeting(relationship, daysFromNow: offset - sinceOpened, agenda: ""))
        }
        if course == .thriving { try await demoMeeting(relationship, daysFromNow: 6, agenda: "") }
        try await demoLogs(relationship, meetings: meetings, bothTeach: course != .oneSided)

        let members = try await RelationshipMember.query(on: database).filter(\.$relationshipID == relationship.requireID()).sort(\.$position).all()
        let succeeded = course == .thriving || course == .completed
        for (position, member) in members.enumerated() {
            let goal = Goal()
            goal.organisationID = relationship.organisationID
            goal.relationshipID = try relationship.requireID()
            goal.personID = member.personID
            goal.position = 0
            goal.title = position == 0 ? "Teach one thing well enough that my partner can teach it on" : "Use what I learn on a real piece of work"
            goal.dueAt = opened.addingTimeInterval(170 * day)
            // Most thriving pairs have reached one goal; a few are still working on it.
            let done = succeeded && (index + position) % 4 != 0
            goal.progress = done ? 100 : (succeeded ? 60 : 20)
            goal.status = done ? .done : .open
            goal.createdAt = opened.addingTimeInterval(3 * day)
            goal.completedAt = done ? opened.addingTimeInterval(Double(80 + 10 * (index % 5)) * day) : nil
            goal.updatedAt = goal.completedAt ?? goal.createdAt
            try await goal.create(on: database)
            // Growth: a level up in a wanted skill, for those whose pair works. The profile already
            // holds the level reached (the demo's people are exported as examples/people.csv), so
            // the change is recorded as the step that led to it.
            if succeeded, (index + position) % 3 != 2,
                let want = try await PersonSkill.query(on: database).filter(\.$personID == member.personID).filter(\.$kind == .want)
                    .filter(\.$level >= 1).sort(\.$priority).first()
            {
                let change = SkillLevelChange()
                change.organisationID = relationship.organisationID
                change.personID = member.personID
                change.skillID = want.skillID
                change.fromLevel = want.level - 1
                change.toLevel = want.level
                change.changedAt = opened.addingTimeInterval(Double(60 + 7 * (index % 6)) * day)
                try await change.create(on: database)
            }
        }
        try await demoPastFeedback(relationship, course: course, index: index, meetings: meetings, members: members.map(\.personID))
        let firstMet = meetings.first.map { $0.startsAt.addingTimeInterval(3600) }
        try await demoMilestone(relationship, goalID: nil, title: "First meeting", due: opened.addingTimeInterval(14 * day), done: firstMet)
        try await demoMilestone(
            relationship, goalID: nil, title: "Mid-cycle review together", due: opened.addingTimeInterval(75 * day),
            done: succeeded ? opened.addingTimeInterval(Double(70 + index % 9) * day) : nil)

        switch course {
        case .endedEarly:
            relationship.status = .dissolved
            relationship.endedAt = opened.addingTimeInterval(40 * day)
            relationship.endReason = "Our schedules never lined up."
            try await relationship.save(on: database)
        case .completed:
            relationship.status = .completed
            relationship.endedAt = opened.addingTimeInterval(125 * day)
            relationship.endReason = "We reached what we set out to do."
            try await relationship.save(on: database)
        default: break
        }
    }
}
