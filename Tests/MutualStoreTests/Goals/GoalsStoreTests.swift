import FluentKit
import Foundation
import MutualTestSupport
import SQLKit
import Testing

@testable import MutualStore

@Suite("Goals and milestones")
struct GoalsStoreTests {
    static func store(_ database: MutualDatabase, clock: TestClock = TestClock()) -> Store {
        Store(database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
    }

    /// The accounts programme's relationship (Pia and Max), opened at the clock's time, with the
    /// given milestone templates on the programme and goals in the members' enrolments.
    static func relationship(
        _ store: Store, _ org: SeededOrganisation, templates: [MilestoneTemplateDraft] = [], enrolmentGoals: [UUID: String] = [:]
    ) async throws -> (ProgrammeDetail, UUID) {
        let programme = try await ProgrammeSeeds.accountsProgramme(store, org)
        if !templates.isEmpty {
            _ = try await store.updateProgramme(
                id: programme.id, programme.draft, objectives: programme.objectives, milestoneTemplates: templates, by: org.manager)
        }
        for (personID, text) in enrolmentGoals {
            try await Enrolment.query(on: try store.db()).filter(\.$programmeID == programme.id).filter(\.$personID == personID)
                .set(\.$goals, to: text).update()
        }
        let run = try await ProgrammeSeeds.run(store, programme, org)
        _ = try await store.publishMatchRun(id: run.id, by: org.manager)
        let match = try #require(try await store.myMatches(of: org.participant).first)
        try await store.respond(toMatch: match.id, accept: true, by: org.participant)
        try await store.respond(toMatch: match.id, accept: true, by: org.manager)
        let id = try #require(try await store.myMatches(of: org.participant).first?.relationshipID)
        return (try await store.programme(id: programme.id, of: org.manager), id)
    }

    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static func events(_ type: EventType, _ store: Store) async throws -> [DomainEvent] {
        try await DomainEvent.query(on: try store.db()).filter(\.$type == type.rawValue).all()
    }

    // MARK: Text

    @Test("A goals text splits into one goal per line, list markers stripped, blank lines and repeats dropped")
    func splitsOneGoalPerLine() {
        let text = """
            - Learn SQL window functions
            * Give a talk
            • Mentor a new hire

            1. Read two books
            2) Ship the data pipeline
               - [ ] Write a blog post
            learn sql window functions
            1.5 hours of practice a week
            2027 targets
            -
            """
        #expect(
            GoalLines.split(text) == [
                "Learn SQL window functions", "Give a talk", "Mentor a new hire", "Read two books", "Ship the data pipeline",
                "Write a blog post", "1.5 hours of practice a week", "2027 targets",
            ])
        #expect(GoalLines.split("") == [])
        #expect(GoalLines.split("\n \n\t\n") == [])
    }

    @Test("Milestone template lines read days, weeks and months, and write back what they read")
    func templateLinesParse() throws {
        let drafts = try MilestoneTemplateLines.parse("14d First meeting\n\n6 weeks Shadow a session\n3m — Mid-cycle review\n1 month: Check-in")
        #expect(
            drafts == [
                MilestoneTemplateDraft(title: "First meeting", dueAfter: 14, unit: .days),
                MilestoneTemplateDraft(title: "Shadow a session", dueAfter: 6, unit: .weeks),
                MilestoneTemplateDraft(title: "Mid-cycle review", dueAfter: 3, unit: .months),
                MilestoneTemplateDraft(title: "Check-in", dueAfter: 1, unit: .months),
            ])
        #expect(try MilestoneTemplateLines.parse(MilestoneTemplateLines.write(drafts)) == drafts)
        #expect(drafts[0].sentence == "First meeting — within 14 days of the match")
    }

    @Test("A wrong template line is refused with its number and what to write", arguments: [
        ("First meeting", "Milestone line 1 (\"First meeting\") must start with when it is due"),
        ("14d First meeting\n14x Review", "Milestone line 2 (\"14x Review\"): after 14 write d (days), w (weeks) or m (months)"),
        ("3m", "Milestone line 1 (\"3m\") needs a name after when it is due"),
        ("99999d Far away", "Milestone line 1: 99999 is too large"),
    ])
    func templateLineErrors(text: String, message: String) {
        do {
            _ = try MilestoneTemplateLines.parse(text)
            Issue.record("\(text) was accepted")
        } catch StoreError.invalid(let field, let said) {
            #expect(field == "milestone_templates" && said.hasPrefix(message), "\(said)")
        } catch {
            Issue.record("\(error)")
        }
    }

    // MARK: Migration

    @Test("Migration 020 turns each member's goals text into one goal per line", arguments: TestBackend.all)
    func migrationConvertsGoalsText(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await Self.relationship(store, org)
            // Back to the schema before 020, with goals written the old way, then forward again.
            let migration = try #require(MutualMigrations.all.first { $0.name.hasPrefix("020_") })
            // Feedback (024) rates goals, so it is reverted first and prepared again after.
            let feedback = try #require(MutualMigrations.all.first { $0.name.hasPrefix("024_") })
            try await feedback.revert(on: try database.database()).get()
            try await migration.revert(on: try database.database()).get()
            try await RelationshipMember.query(on: try database.database()).filter(\.$relationshipID == id)
                .filter(\.$personID == org.participant.personID).set(\.$goals, to: "- Run a structured interview\n\n• Read \"Who\"\r\n3. Hire a data analyst\n").update()
            try await RelationshipMember.query(on: try database.database()).filter(\.$relationshipID == id)
                .filter(\.$personID == org.manager.personID).set(\.$goals, to: "   \n").update()
            try await migration.prepare(on: try database.database()).get()
            try await feedback.prepare(on: try database.database()).get()

            let goals = try await store.goals(inRelationship: id, of: org.participant)
            #expect(goals.goals.map(\.title) == ["Run a structured interview", "Read \"Who\"", "Hire a data analyst"])
            #expect(goals.goals.allSatisfy { $0.personID == org.participant.personID && $0.progress == 0 && $0.status == .open })
            let relationship = try #require(try await Relationship.find(id, on: try database.database()))
            #expect(goals.goals.allSatisfy { $0.createdAt == relationship.startedAt })
            // The agreement keeps its words.
            #expect(try await store.relationship(id: id, of: org.participant).members.first { $0.isViewer }?.goals.hasPrefix("- Run") == true)
        }
    }

    // MARK: Opening

    @Test("A new relationship gets the enrolment goals and the programme's milestones, due from the day it opened", arguments: TestBackend.all)
    func openingAppliesTemplatesAndEnrolmentGoals(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock(Self.utc("2027-01-31T22:30:00Z"))
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let templates = [
                MilestoneTemplateDraft(title: "First meeting", dueAfter: 14, unit: .days),
                MilestoneTemplateDraft(title: "Month one", dueAfter: 1, unit: .months),
                MilestoneTemplateDraft(title: "Shadowing", dueAfter: 2, unit: .weeks),
                MilestoneTemplateDraft(title: "Kick-off", dueAfter: 0, unit: .days),
                MilestoneTemplateDraft(title: "Mid-cycle review", dueAfter: 3, unit: .months),
            ]
            let (programme, id) = try await Self.relationship(
                store, org, templates: templates, enrolmentGoals: [org.participant.personID: "1. Learn to hire\n2. Learn to hire\n\n- Coach someone"])
            #expect(programme.milestoneTemplates == templates)
            let goals = try await store.goals(inRelationship: id, of: org.manager)
            #expect(goals.goals.map(\.title) == ["Learn to hire", "Coach someone"])
            #expect(goals.goals.allSatisfy { $0.ownerName == "Pia Participant" })
            // Sorted by due day; the start's UTC day is 31 January, and a month later is 28 February.
            #expect(goals.sharedMilestones.map(\.title) == ["Kick-off", "First meeting", "Shadowing", "Month one", "Mid-cycle review"])
            #expect(goals.sharedMilestones.map(\.dueOn) == ["2027-01-31", "2027-02-14", "2027-02-14", "2027-02-28", "2027-04-30"])
            #expect(goals.sharedMilestones.allSatisfy { !$0.isDone && !$0.isOverdue && $0.viewerCanWrite })

            // Changing the templates later leaves open relationships as they are.
            _ = try await store.updateProgramme(id: programme.id, programme.draft, objectives: [], milestoneTemplates: [], by: org.manager)
            #expect(try await store.goals(inRelationship: id, of: org.manager).sharedMilestones.count == 5)
            #expect(try await store.programme(id: programme.id, of: org.manager).milestoneTemplates.isEmpty)
        }
    }

    @Test("Programme templates are checked: at most 20, a name each, at most two years out", arguments: TestBackend.all)
    func templatesAreValidated(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await ProgrammeSeeds.programme(store, org)
            func refusal(_ templates: [MilestoneTemplateDraft]) async -> StoreError? {
                do {
                    _ = try await store.updateProgramme(id: programme.id, programme.draft, objectives: [], milestoneTemplates: templates, by: org.manager)
                    return nil
                } catch { return error as? StoreError }
            }
            #expect(await refusal([.init(title: "Far", dueAfter: 25, unit: .months)])?.field == "milestone_templates[0].due_after")
            #expect(await refusal([.init(title: "Before", dueAfter: -1, unit: .days)])?.errorDescription?.contains("use 0 to 730 days") == true)
            #expect(await refusal([.init(title: "ok", dueAfter: 1, unit: .days), .init(title: " ", dueAfter: 1, unit: .days)])?.field == "milestone_templates[1].title")
            #expect(await refusal(Array(repeating: .init(title: "x", dueAfter: 1, unit: .days), count: 21))?.field == "milestone_templates")
            #expect(try await store.programme(id: programme.id, of: org.manager).milestoneTemplates.isEmpty, "nothing was stored")
        }
    }

    // MARK: The agreement's goals

    @Test("New lines of the agreement's goals become goals; none is removed or repeated", arguments: TestBackend.all)
    func agreementGoalsAddButNeverRemove(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await Self.relationship(store, org)
            func save(_ goals: String) async throws {
                try await store.updateAgreement(
                    relationshipID: id,
                    AgreementDraft(vision: "Grow", goals: goals, boundaries: "", confidentiality: "", cadence: "fortnightly", structure: .informal),
                    by: org.participant)
            }
            try await save("- Hire well\n- Teach statistics")
            let first = try await store.goals(inRelationship: id, of: org.participant).goals
            #expect(first.map(\.title) == ["Hire well", "Teach statistics"])
            _ = try await store.changeGoal(id: first[0].id, GoalChange(progress: 40), by: org.participant)
            try await save("* hire WELL\n* Give a talk")
            let second = try await store.goals(inRelationship: id, of: org.participant).goals
            #expect(second.map(\.title) == ["Hire well", "Teach statistics", "Give a talk"])
            #expect(second[0].progress == 40, "an existing goal keeps its progress")
            #expect(try await store.goals(inRelationship: id, of: org.manager).goals.allSatisfy { $0.personID == org.participant.personID })
        }
    }

    // MARK: Who may do what

    @Test("Members write their own goals and shared milestones; managers read; others and other organisations get not found", arguments: TestBackend.all)
    func onlyMembersWrite(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await Self.relationship(store, org)
            let goal = try await store.addGoal(to: id, GoalDraft(title: "Hire well", dueOn: "2027-03-01", progress: 10), by: org.participant)
            #expect(goal.ownerName == "Pia Participant" && goal.dueOn == "2027-03-01" && goal.progress == 10 && goal.viewerCanWrite)
            let step = try await store.addMilestone(toGoal: goal.id, MilestoneDraft(title: "Mock interview", dueOn: "2027-02-10"), by: org.participant)
            let shared = try await store.addMilestone(toRelationship: id, MilestoneDraft(title: "Meet", dueOn: "2027-02-01"), by: org.manager)

            // The admin is a programme manager but not a member: reads, never writes.
            let read = try await store.goals(inRelationship: id, of: org.admin)
            #expect(read.goals.map(\.title) == ["Hire well"] && !read.viewerIsMember && read.goals.allSatisfy { !$0.viewerCanWrite })
            await #expect(throws: StoreError.self) { _ = try await store.changeGoal(id: goal.id, GoalChange(progress: 90), by: org.admin) }
            do {
                _ = try await store.completeMilestone(id: shared.id, by: org.admin)
                Issue.record("a manager who is not a member completed a milestone")
            } catch StoreError.forbidden(let message) {
                #expect(message.contains("Only the members"))
            }
            // The other member reads Pia's goal but changes only shared milestones and their own goals.
            do {
                _ = try await store.changeGoal(id: goal.id, GoalChange(title: "Mine now"), by: org.manager)
                Issue.record("a member changed another member's goal")
            } catch StoreError.forbidden(let message) {
                #expect(message.contains("Pia Participant's goal"))
            }
            await #expect(throws: StoreError.self) { _ = try await store.completeMilestone(id: step.id, by: org.manager) }
            #expect(try await store.completeMilestone(id: shared.id, by: org.manager).isDone)

            // Another participant, and another organisation, learn nothing.
            let olga = try await Seeds.participant("Olga", in: org, store: store, strengths: [], wants: [])
            await #expect(throws: StoreError.notFound(what: "relationship")) { _ = try await store.goals(inRelationship: id, of: olga) }
            await #expect(throws: StoreError.notFound(what: "goal")) { _ = try await store.goal(id: goal.id, of: olga) }
            await #expect(throws: StoreError.notFound(what: "goal")) { _ = try await store.changeGoal(id: goal.id, GoalChange(progress: 1), by: olga) }
            let globex = try await Seeds.organisation("Globex", in: store)
            await #expect(throws: StoreError.notFound(what: "milestone")) { _ = try await store.completeMilestone(id: step.id, by: globex.admin) }
            await #expect(throws: StoreError.notFound(what: "relationship")) {
                _ = try await store.addGoal(to: id, GoalDraft(title: "x"), by: globex.admin)
            }
            await #expect(throws: StoreError.notFound(what: "goal")) { try await store.removeGoal(id: goal.id, by: globex.participant) }
            let after = try await store.goal(id: goal.id, of: org.participant)
            #expect(after.title == "Hire well" && after.progress == 10 && after.milestones.map(\.isDone) == [false])

            // Once the relationship has ended, nothing changes any more.
            try await store.changeRelationship(id: id, to: .completed, by: org.participant)
            do {
                _ = try await store.addGoal(to: id, GoalDraft(title: "Late"), by: org.participant)
                Issue.record("a goal was added to a completed relationship")
            } catch StoreError.conflict(_, let message) {
                #expect(message.contains("completed"))
            }
            // Removing works for the owner while open (checked on a fresh goal in another test); the removed goal takes its milestones.
        }
    }

    @Test("Bad input is refused naming the field and what to write", arguments: TestBackend.all)
    func badInput(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await Self.relationship(store, org)
            func field(_ work: () async throws -> Void) async -> (String?, String) {
                do {
                    try await work()
                    return (nil, "")
                } catch let error as StoreError {
                    return (error.field, error.errorDescription ?? "")
                } catch { return (nil, "\(error)") }
            }
            var (name, message) = await field { _ = try await store.addGoal(to: id, GoalDraft(title: "  "), by: org.participant) }
            #expect(name == "title" && message.contains("Enter the goal"))
            (name, message) = await field { _ = try await store.addGoal(to: id, GoalDraft(title: "x", dueOn: "2027-02-30"), by: org.participant) }
            #expect(name == "due_on" && message.contains("YYYY-MM-DD"))
            (name, message) = await field { _ = try await store.addGoal(to: id, GoalDraft(title: "x", progress: 101), by: org.participant) }
            #expect(name == "progress" && message.contains("from 0 to 100 (it was 101)"))
            (name, message) = await field { _ = try await store.addGoal(to: id, GoalDraft(title: String(repeating: "a", count: 201)), by: org.participant) }
            #expect(name == "title" && message.contains("at most 200"))
            (name, message) = await field { _ = try await store.addMilestone(toRelationship: id, MilestoneDraft(title: "Meet", dueOn: ""), by: org.participant) }
            #expect(name == "due_on" && message.contains("Enter the milestone's due date"))
            (name, message) = await field { _ = try await store.addMilestone(toRelationship: id, MilestoneDraft(title: "a\tb", dueOn: "2027-02-01"), by: org.participant) }
            #expect(name == "title" && message.contains("line break or tab"))
            #expect(try await store.goals(inRelationship: id, of: org.participant).goals.isEmpty, "nothing was written")
        }
    }

    @Test("Changing, reopening and removing a goal; removing takes its milestones", arguments: TestBackend.all)
    func changeAndRemove(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock(Self.utc("2027-02-01T09:00:00Z"))
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await Self.relationship(store, org)
            let goal = try await store.addGoal(to: id, GoalDraft(title: "Hire well", dueOn: "2027-03-01"), by: org.participant)
            _ = try await store.addMilestone(toGoal: goal.id, MilestoneDraft(title: "Mock", dueOn: "2027-02-10"), by: org.participant)
            var changed = try await store.changeGoal(id: goal.id, GoalChange(title: "Hire very well", dueOn: "", progress: 60), by: org.participant)
            #expect(changed.title == "Hire very well" && changed.dueOn == nil && changed.progress == 60 && changed.status == .open)
            clock.advance(by: 3600)
            changed = try await store.completeGoal(id: goal.id, by: org.participant)
            #expect(changed.status == .done && changed.progress == 100 && changed.completedAt == clock.now)
            changed = try await store.changeGoal(id: goal.id, GoalChange(progress: 80, status: .open), by: org.participant)
            #expect(changed.status == .open && changed.completedAt == nil && changed.progress == 80)
            #expect(try await Self.events(.goalCompleted, store).count == 1)
            try await store.removeGoal(id: goal.id, by: org.participant)
            #expect(try await store.goals(inRelationship: id, of: org.participant).goals.isEmpty)
            #expect(try await Milestone.query(on: try store.db()).filter(\.$relationshipID == id).count() == 0)
        }
    }

    @Test("Adding, changing, completing and removing goals and milestones leaves audit rows, with field names and ids but never the words", arguments: TestBackend.all)
    func goalChangesAreAudited(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock(Self.utc("2027-02-01T09:00:00Z"))
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await Self.relationship(store, org)
            try await store.runDueJobs()
            let before = try await AuditEntry.query(on: try store.db()).count()

            let goal = try await store.addGoal(to: id, GoalDraft(title: "Hire well", dueOn: "2027-03-01"), by: org.participant)
            clock.advance(by: 1)
            _ = try await store.changeGoal(id: goal.id, GoalChange(title: "Hire very well", progress: 40), by: org.participant)
            clock.advance(by: 1)
            // The same values again change nothing, so nothing is logged.
            _ = try await store.changeGoal(id: goal.id, GoalChange(title: "Hire very well", progress: 40), by: org.participant)
            clock.advance(by: 1)
            let mock = try await store.addMilestone(toGoal: goal.id, MilestoneDraft(title: "Mock interview", dueOn: "2027-02-10"), by: org.participant)
            clock.advance(by: 1)
            let shared = try await store.addMilestone(toRelationship: id, MilestoneDraft(title: "Review", dueOn: "2027-04-01"), by: org.manager)
            clock.advance(by: 1)
            _ = try await store.changeMilestone(id: mock.id, MilestoneChange(dueOn: "2027-02-12"), by: org.participant)
            clock.advance(by: 1)
            _ = try await store.completeMilestone(id: mock.id, by: org.participant)
            clock.advance(by: 1)
            _ = try await store.changeMilestone(id: mock.id, MilestoneChange(done: false), by: org.participant)
            clock.advance(by: 1)
            _ = try await store.completeGoal(id: goal.id, by: org.participant)
            clock.advance(by: 1)
            try await store.removeMilestone(id: shared.id, by: org.manager)
            clock.advance(by: 1)
            try await store.removeGoal(id: goal.id, by: org.participant)
            clock.advance(by: 1)
            try await store.runDueJobs()

            let rows = try await AuditEntry.query(on: try store.db()).sort(\.$occurredAt).all()
            #expect(rows.count - before == 10)
            let goalRows = rows.filter { $0.subjectID == goal.id.uuidString.lowercased() }
            #expect(goalRows.map(\.type) == ["goal.created", "goal.changed", "goal.completed", "goal.removed"])
            #expect(goalRows.allSatisfy { $0.actorPersonID == org.participant.personID && $0.subjectType == "goal" })
            let changed = try #require(goalRows.first { $0.type == "goal.changed" })
            #expect(changed.payload.contains("\"changed\":\"title,progress\"") && changed.payload.contains("\"progress\":40"))
            #expect(changed.payload.contains(id.uuidString.lowercased()))
            #expect(goalRows.last?.payload.contains("\"milestones\":1") == true)
            let mockRows = rows.filter { $0.subjectID == mock.id.uuidString.lowercased() }
            #expect(mockRows.map(\.type) == ["milestone.created", "milestone.changed", "milestone.completed", "milestone.changed"])
            #expect(mockRows.allSatisfy { $0.payload.contains(goal.id.uuidString.lowercased()) })
            #expect(mockRows[1].payload.contains("\"changed\":\"due_on\"") && mockRows[3].payload.contains("\"changed\":\"done\""))
            let sharedRows = rows.filter { $0.subjectID == shared.id.uuidString.lowercased() }
            #expect(sharedRows.map(\.type) == ["milestone.created", "milestone.removed"])
            #expect(sharedRows.allSatisfy { $0.actorPersonID == org.manager.personID && !$0.payload.contains("goal_id") })
            for row in rows { #expect(!row.payload.contains("Hire") && !row.payload.contains("Mock") && !row.payload.contains("Review")) }
            // The admin's audit log words them.
            let log = try await store.auditLog(AuditQuery(type: .goalCreated), of: org.admin)
            #expect(log.lines.map(\.sentence) == ["Pia Participant added a goal"])
        }
    }

    // MARK: Totals and reminders

    @Test("A programme's totals count completed of all milestones, and overdue ones in open relationships", arguments: TestBackend.all)
    func totals(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock(Self.utc("2027-02-01T09:00:00Z"))
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (programme, id) = try await Self.relationship(
                store, org, templates: [.init(title: "First meeting", dueAfter: 14, unit: .days), .init(title: "Review", dueAfter: 3, unit: .months)])
            #expect(try await store.milestoneTotals(inProgramme: programme.id, by: org.manager) == MilestoneTotals(completed: 0, total: 2, overdue: 0))
            let goal = try await store.addGoal(to: id, GoalDraft(title: "Hire well"), by: org.participant)
            let mock = try await store.addMilestone(toGoal: goal.id, MilestoneDraft(title: "Mock", dueOn: "2027-02-10"), by: org.participant)
            _ = try await store.addMilestone(toGoal: goal.id, MilestoneDraft(title: "Real", dueOn: "2027-02-20"), by: org.participant)
            _ = try await store.completeMilestone(id: mock.id, by: org.participant)
            // On 16 February the first meeting (due the 15th) is overdue; "Real" (the 20th) is not yet.
            clock.advance(by: 15 * 86_400)
            #expect(try await store.milestoneTotals(inProgramme: programme.id, by: org.manager) == MilestoneTotals(completed: 1, total: 4, overdue: 1))
            // A participant may not read the totals; another organisation's manager gets not found.
            await #expect(throws: StoreError.self) { _ = try await store.milestoneTotals(inProgramme: programme.id, by: org.participant) }
            let globex = try await Seeds.organisation("Globex", in: store)
            await #expect(throws: StoreError.notFound(what: "programme")) { _ = try await store.milestoneTotals(inProgramme: programme.id, by: globex.manager) }
            // An ended relationship's milestones still count, but are no longer overdue.
            try await store.changeRelationship(id: id, to: .dissolved, by: org.participant)
            #expect(try await store.milestoneTotals(inProgramme: programme.id, by: org.manager) == MilestoneTotals(completed: 1, total: 4, overdue: 0))
        }
    }

    @Test("Milestones due in a range are listed with the people they concern, for reminders", arguments: TestBackend.all)
    func milestonesDue(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock(Self.utc("2027-02-01T09:00:00Z"))
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (programme, id) = try await Self.relationship(store, org, templates: [.init(title: "First meeting", dueAfter: 14, unit: .days)])
            let goal = try await store.addGoal(to: id, GoalDraft(title: "Hire well"), by: org.participant)
            let mock = try await store.addMilestone(toGoal: goal.id, MilestoneDraft(title: "Mock", dueOn: "2027-02-15"), by: org.participant)
            let done = try await store.addMilestone(toGoal: goal.id, MilestoneDraft(title: "Done already", dueOn: "2027-02-15"), by: org.participant)
            _ = try await store.completeMilestone(id: done.id, by: org.participant)
            _ = try await store.addMilestone(toGoal: goal.id, MilestoneDraft(title: "Next day", dueOn: "2027-02-16"), by: org.participant)
            let due = try await store.milestonesDue(
                organisationID: org.admin.organisationID, from: Self.utc("2027-02-15T00:00:00Z"), to: Self.utc("2027-02-16T00:00:00Z"),
                on: try store.db())
            #expect(Set(due.map(\.title)) == ["First meeting", "Mock"])
            #expect(due.allSatisfy { $0.programmeID == programme.id && $0.relationshipID == id })
            #expect(due.first { $0.milestoneID == mock.id }?.personIDs == [org.participant.personID])
            #expect(Set(due.first { $0.title == "First meeting" }?.personIDs ?? []) == [org.participant.personID, org.manager.personID])
            let globex = try await Seeds.organisation("Globex", in: store)
            #expect(
                try await store.milestonesDue(
                    organisationID: globex.admin.organisationID, from: .distantPast, to: .distantFuture, on: try store.db()
                ).isEmpty)
        }
    }

    // MARK: Concurrency

    @Test("50 parallel completions of one milestone and one goal record one completion and one event each", arguments: TestBackend.all)
    func parallelCompletions(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock(Self.utc("2027-02-01T09:00:00Z"))
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await Self.relationship(store, org, templates: [.init(title: "First meeting", dueAfter: 14, unit: .days)])
            let shared = try #require(try await store.goals(inRelationship: id, of: org.participant).sharedMilestones.first)
            let goal = try await store.addGoal(to: id, GoalDraft(title: "Hire well"), by: org.participant)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        // Both members at once on the shared milestone; the owner on the goal.
                        let view = try await store.completeMilestone(id: shared.id, by: index.isMultiple(of: 2) ? org.participant : org.manager)
                        #expect(view.isDone)
                        #expect(try await store.completeGoal(id: goal.id, by: org.participant).status == .done)
                    }
                }
                try await group.waitForAll()
            }
            let milestoneEvents = try await Self.events(.milestoneCompleted, store)
            #expect(milestoneEvents.count == 1 && milestoneEvents.first?.subjectID == shared.id.uuidString.lowercased())
            #expect(milestoneEvents.first?.payload.contains(id.uuidString.lowercased()) == true)
            let goalEvents = try await Self.events(.goalCompleted, store)
            #expect(goalEvents.count == 1 && goalEvents.first?.subjectID == goal.id.uuidString.lowercased())
            let stored = try #require(try await Milestone.find(shared.id, on: try store.db()))
            #expect(stored.doneAt == clock.now)
            // Marked done is a state: a later request finds it done and records nothing more.
            _ = try await store.changeMilestone(id: shared.id, MilestoneChange(done: true), by: org.participant)
            #expect(try await Self.events(.milestoneCompleted, store).count == 1)
        }
    }
}
