import FluentKit
import Foundation
import MutualMatching
import MutualStore

/// A programme of `people` people five months into its cycle, for timing its dashboard: the
/// people imported through the real import (with their strengths and wants), everyone enrolled,
/// paired in order into relationships opened 150 days ago, each with a meeting every two weeks
/// (six), both members' logs of each (a rating and a skill taught), a goal each (half done),
/// two milestones and, for every other pair, a raised level. A tenth of the pairs never met.
/// Two members in three answer each feedback request: a check-in after each meeting, the fit
/// check after the first, pulses at 30 and 90 days; one answer in ten has a comment.
public final class DashboardWorkbench: Sendable {
    public let jobs: JobWorkbench
    public let admin: Identity
    public let programmeID: UUID

    init(jobs: JobWorkbench, admin: Identity, programmeID: UUID) {
        self.jobs = jobs
        self.admin = admin
        self.programmeID = programmeID
    }

    public var backend: String { jobs.backend }

    public static func make(people count: Int = 5_000) async throws -> DashboardWorkbench {
        let jobs: JobWorkbench
        if let url = JobWorkbench.postgresURL { jobs = try await JobWorkbench.postgres(url: url) } else { jobs = try await JobWorkbench.sqlite() }
        let store = jobs.store
        let account = try await store.createOrganisation(
            SetupRequest(organisationName: "Bench Corp", adminName: "Bench Admin", email: "admin@bench.example", password: "benchmark-password"),
            slug: "bench")
        let admin = try await store.identity(for: account)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-bench-dashboard-people-\(count).csv").path
        try PeopleFileGenerator.write(count: count, to: file)
        let report = try await store.importPeople(into: admin.organisationID, from: FileByteChunks(path: file), options: PeopleImportOptions(mode: .allOrNothing))
        guard report.created == count else { throw WorkloadError("the import created \(report.created) of \(count) people") }
        let now = Date()
        let day: TimeInterval = 86_400
        let start = now.addingTimeInterval(-150 * day)
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withFullDate]
        let programme = try await store.createProgramme(
            ProgrammeDraft(name: "Bench peers", model: .pairs, cycleStart: iso.string(from: start), cycleEnd: iso.string(from: now.addingTimeInterval(30 * day))),
            objectives: [
                ObjectiveDraft(goal: "Spread skills", kpis: [
                    KPI(name: "meetings per pair per cycle", comparison: .atLeast, target: 6, unit: ""),
                    KPI(name: "reciprocity index", comparison: .atLeast, target: 75, unit: "%"),
                    KPI(name: "participants who grew a wanted skill", comparison: .atLeast, target: 50, unit: "%"),
                ]),
                ObjectiveDraft(goal: "Worth the time", kpis: [
                    KPI(name: "meeting usefulness", comparison: .atLeast, target: 4, unit: "out of 5"),
                    KPI(name: "goal completion", comparison: .atLeast, target: 60, unit: "%"),
                ]),
            ], by: admin)
        let ids = (1...count).map { String(format: "E%06d", $0) }.joined(separator: "\n")
        let enrolled = try await store.enrol(csv: "id\n" + ids + "\n", in: programme.id, by: admin)
        guard enrolled.added == count else { throw WorkloadError("enrolled \(enrolled.added) of \(count)") }

        let database = try store.database.database()
        let people = try await Person.query(on: database).filter(\.$organisationID == admin.organisationID)
            .filter(\.$id != admin.personID).sort(\.$externalID).all().compactMap(\.id)
        let wants = try await PersonSkill.query(on: database).filter(\.$organisationID == admin.organisationID).filter(\.$kind == .want).all()
        var firstWant: [UUID: PersonSkill] = [:]
        for want in wants where firstWant[want.personID] == nil { firstWant[want.personID] = want }
        let strengths = try await PersonSkill.query(on: database).filter(\.$organisationID == admin.organisationID).filter(\.$kind == .strength).all()
        var firstStrength: [UUID: UUID] = [:]
        for strength in strengths where firstStrength[strength.personID] == nil { firstStrength[strength.personID] = strength.skillID }

        let organisationID = admin.organisationID
        let pairs = stride(from: 0, to: people.count - 1, by: 2).map { (people[$0], people[$0 + 1]) }
        for chunk in stride(from: 0, to: pairs.count, by: 200) {
            var relationships: [Relationship] = [], members: [RelationshipMember] = [], meetings: [Meeting] = [], logs: [MeetingLog] = []
            var entries: [MeetingLogEntry] = [], goals: [Goal] = [], milestones: [Milestone] = [], changes: [SkillLevelChange] = []
            var requests: [FeedbackRequest] = [], answers: [FeedbackResponse] = []
            func ask(_ kind: FeedbackKind, _ person: UUID, in relationship: UUID, meeting: UUID?, at moment: Date, score: Int?, fit: String = "", turn: Int) {
                let request = FeedbackRequest()
                request.id = UUID()
                request.organisationID = organisationID
                request.programmeID = programme.id
                request.relationshipID = relationship
                request.personID = person
                request.kind = kind
                request.meetingID = meeting
                request.requestKey = request.id!.uuidString
                request.createdAt = moment
                let answered = turn % 3 != 2
                request.answeredAt = answered ? moment.addingTimeInterval(7_200) : nil
                requests.append(request)
                guard answered else { return }
                let answer = FeedbackResponse()
                answer.organisationID = organisationID
                answer.programmeID = programme.id
                answer.requestID = request.id!
                answer.personID = person
                answer.kind = kind
                answer.score = score
                answer.fit = fit
                answer.reasons = ""
                answer.comment = turn % 10 == 0 ? "We went through a real query together; more of that next time." : ""
                answer.story = ""
                answer.shared = false
                answer.answeredAt = moment.addingTimeInterval(7_200)
                answers.append(answer)
            }
            for index in chunk..<min(chunk + 200, pairs.count) {
                let (a, b) = pairs[index]
                let relationship = Relationship()
                relationship.id = UUID()
                relationship.organisationID = organisationID
                relationship.programmeID = programme.id
                relationship.status = index % 25 == 0 ? .dissolved : .active
                relationship.endReason = ""
                relationship.startedAt = start.addingTimeInterval(Double(index % 5) * day)
                relationship.endedAt = index % 25 == 0 ? start.addingTimeInterval(40 * day) : nil
                relationship.vision = ""
                relationship.boundaries = ""
                relationship.confidentiality = ""
                relationship.cadence = "every two weeks"
                relationship.cadenceInterval = ""
                relationship.cadenceDays = 0
                relationship.structure = .informal
                relationship.agreementVersion = 1
                relationships.append(relationship)
                let relationshipID = relationship.id!
                for (position, person) in [a, b].enumerated() {
                    let member = RelationshipMember()
                    member.organisationID = organisationID
                    member.relationshipID = relationshipID
                    member.personID = person
                    member.position = position
                    member.goals = ""
                    member.signedVersion = 1
                    members.append(member)
                    let goal = Goal()
                    goal.organisationID = organisationID
                    goal.relationshipID = relationshipID
                    goal.personID = person
                    goal.position = 0
                    goal.title = "Use what I learn"
                    goal.progress = 50
                    let done = (index + position) % 2 == 0
                    goal.status = done ? Goal.Status.done : Goal.Status.open
                    goal.createdAt = relationship.startedAt
                    goal.completedAt = done ? relationship.startedAt.addingTimeInterval(90 * day) : nil
                    goal.updatedAt = goal.createdAt
                    goals.append(goal)
                    for (turn, days) in [30.0, 90.0].enumerated() {
                        ask(.pulse, person, in: relationshipID, meeting: nil, at: relationship.startedAt.addingTimeInterval(days * day),
                            score: 2 + (index + turn + position) % 4, turn: index + turn + position)
                    }
                    if index % 2 == 0, let want = firstWant[person] {
                        let change = SkillLevelChange()
                        change.organisationID = organisationID
                        change.personID = person
                        change.skillID = want.skillID
                        change.fromLevel = want.level
                        change.toLevel = want.level + 1
                        change.changedAt = relationship.startedAt.addingTimeInterval(70 * day)
                        changes.append(change)
                    }
                }
                for (offset, title) in [(14.0, "First meeting"), (75.0, "Mid-cycle review")] {
                    let milestone = Milestone()
                    milestone.organisationID = organisationID
                    milestone.relationshipID = relationshipID
                    milestone.title = title
                    milestone.dueAt = relationship.startedAt.addingTimeInterval(offset * day)
                    milestone.doneAt = index % 3 == 0 ? nil : relationship.startedAt.addingTimeInterval((offset - 2) * day)
                    milestone.createdAt = relationship.startedAt
                    milestones.append(milestone)
                }
                guard index % 10 != 9 else { continue }
                for number in 0..<6 {
                    let meeting = Meeting()
                    meeting.id = UUID()
                    meeting.organisationID = organisationID
                    meeting.relationshipID = relationshipID
                    meeting.startsAt = relationship.startedAt.addingTimeInterval(Double(7 + 14 * number) * day)
                    meeting.durationMinutes = 45
                    meeting.place = ""
                    meeting.agenda = ""
                    meeting.status = .scheduled
                    meeting.cancelNote = ""
                    meeting.sequence = 0
                    meeting.createdAt = meeting.startsAt
                    meeting.updatedAt = meeting.startsAt
                    meetings.append(meeting)
                    for (position, person) in [a, b].enumerated() {
                        let log = MeetingLog()
                        log.id = UUID()
                        log.organisationID = organisationID
                        log.meetingID = meeting.id!
                        log.relationshipID = relationshipID
                        log.personID = person
                        log.rating = 3 + (index + number + position) % 3
                        log.commitment = ""
                        log.loggedAt = meeting.startsAt.addingTimeInterval(3_600)
                        logs.append(log)
                        ask(.checkIn, person, in: relationshipID, meeting: meeting.id, at: meeting.startsAt.addingTimeInterval(2_700),
                            score: 2 + (index + number + position) % 4, turn: index + number + position)
                        if number == 0 {
                            ask(.fitCheck, person, in: relationshipID, meeting: meeting.id, at: meeting.startsAt.addingTimeInterval(2_700), score: nil,
                                fit: (index + position) % 7 == 0 ? "not_sure" : "good_fit", turn: index + position)
                        }
                        // One pair in five teaches one way only.
                        guard position == 0 || index % 5 != 0, let skill = firstStrength[person] else { continue }
                        let entry = MeetingLogEntry()
                        entry.organisationID = organisationID
                        entry.logID = log.id!
                        entry.direction = .taught
                        entry.skillID = skill
                        entry.note = ""
                        entry.position = 0
                        entries.append(entry)
                    }
                }
            }
            let rows = (relationships, members, meetings, logs, entries, goals, milestones, changes)
            let feedback = (requests, answers)
            try await store.database.transaction { db in
                let (relationships, members, meetings, logs, entries, goals, milestones, changes) = rows
                let (requests, answers) = feedback
                try await relationships.create(on: db)
                try await members.create(on: db)
                try await meetings.create(on: db)
                try await logs.create(on: db)
                try await entries.create(on: db)
                try await goals.create(on: db)
                try await milestones.create(on: db)
                try await changes.create(on: db)
                try await requests.create(on: db)
                try await answers.create(on: db)
            }
        }
        return DashboardWorkbench(jobs: jobs, admin: admin, programmeID: programme.id)
    }

    /// The dashboard as the page and the API compute it.
    public func dashboard() async throws -> ProgrammeDashboard {
        try await jobs.store.programmeDashboard(id: programmeID, of: admin)
    }

    public func close() async { await jobs.close() }
}
