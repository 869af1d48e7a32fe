import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("The two-way learning ledger")
struct LedgerStoreTests {
    @Test("A member's second log of a meeting replaces the first; skills are named by name, slug or alias", arguments: TestBackend.all)
    func secondLogReplacesFirst(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await LedgerFixture.make(database)
            let meeting = try await fixture.pastMeeting()
            // "statistics" is a slug, "recruiting" an alias of Hiring, "Public Speaking" a name.
            let first = try await fixture.log(meeting, by: fixture.pia, taught: ["statistics"], learned: ["recruiting", "Public Speaking"], rating: 4)
            #expect(first.taught.map(\.skill) == ["Statistics"] && first.learned.map(\.skill) == ["Hiring", "Public Speaking"] && first.rating == 4)
            #expect(first.learned.first?.note == "learned recruiting")

            let second = try await fixture.log(meeting, by: fixture.pia, taught: ["Data Analysis"], learned: [], commitment: "Run one interview")
            #expect(second.taught.map(\.skill) == ["Data Analysis"] && second.learned.isEmpty && second.rating == nil)
            #expect(try await fixture.logCount(meeting, fixture.pia.personID) == 1)
            let stored = try #require(try await fixture.store.meetingLog(meetingID: meeting, personID: fixture.pia.personID, of: fixture.max))
            #expect(stored == second && stored.commitment == "Run one interview")
            // The first log's entries went with it.
            #expect(try await MeetingLogEntry.query(on: try database.database()).count() == 1)

            // Two events, ids and counts only: no note, no commitment.
            let events = try await DomainEvent.query(on: try database.database()).filter(\.$type == "meeting.logged").all()
            #expect(events.count == 2)
            #expect(events.allSatisfy { $0.subjectType == "meeting" && $0.subjectID == meeting.uuidString.lowercased() && $0.actorPersonID == fixture.pia.personID })
            #expect(events.allSatisfy { !$0.payload.contains("Data Analysis") && !$0.payload.contains("recruiting") && !$0.payload.contains("interview") && $0.payload.contains(fixture.relationshipID.uuidString.lowercased()) })
        }
    }

    @Test("Fifty parallel logs of one meeting by one member leave exactly one log and its entries", arguments: TestBackend.all)
    func parallelLogsLeaveOne(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await LedgerFixture.make(database)
            let meeting = try await fixture.pastMeeting()
            let skills = ["SQL", "Python", "Statistics", "Hiring", "Coaching"]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        try await fixture.store.logMeeting(
                            id: meeting,
                            MeetingLogDraft(
                                taught: [.init(skill: skills[index % skills.count], note: "try \(index)")], learned: [.init(skill: "Budgeting", note: "try \(index)")]),
                            by: fixture.pia)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await fixture.logCount(meeting, fixture.pia.personID) == 1)
            let log = try #require(try await fixture.store.meetingLog(meetingID: meeting, personID: fixture.pia.personID, of: fixture.pia))
            // One submission's entries, whole: not a mixture of two.
            #expect(try await MeetingLogEntry.query(on: try database.database()).count() == 2)
            #expect(log.taught.count == 1 && log.learned.count == 1 && log.taught[0].note == log.learned[0].note)
            #expect(try await DomainEvent.query(on: try database.database()).filter(\.$type == "meeting.logged").count() == 50)
        }
    }

    @Test("An unknown skill is refused with its name and how to fix it, and no skill is created", arguments: TestBackend.all)
    func unknownSkillRefused(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await LedgerFixture.make(database)
            let meeting = try await fixture.pastMeeting()
            let skillsBefore = try await Skill.query(on: try database.database()).count()
            do {
                try await fixture.log(meeting, by: fixture.pia, taught: ["Statistics"], learned: ["SQL", "Kubernetes"])
                Issue.record("an unknown skill was accepted")
            } catch let StoreError.invalid(field, message) {
                #expect(field == "learned[1].skill")
                #expect(message.contains("“Kubernetes” is not a skill in your organisation's taxonomy") && message.contains("name, slug or alias"))
            }
            #expect(try await Skill.query(on: try database.database()).count() == skillsBefore)
            #expect(try await fixture.logCount(meeting, fixture.pia.personID) == 0)
            // Nothing at all, the same skill twice, a bad rating: each named.
            await #expect(throws: StoreError.self) { try await fixture.log(meeting, by: fixture.pia) }
            await #expect(throws: StoreError.self) { try await fixture.log(meeting, by: fixture.pia, taught: ["SQL", "postgres"]) }
            await #expect(throws: StoreError.self) { try await fixture.log(meeting, by: fixture.pia, taught: ["SQL"], rating: 6) }
            #expect(try await fixture.logCount(meeting, fixture.pia.personID) == 0)
        }
    }

    @Test("Only members log: a manager who reads the ledger is refused, anyone else does not find the meeting", arguments: TestBackend.all)
    func onlyMembersLog(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await LedgerFixture.make(database)
            let meeting = try await fixture.pastMeeting()
            await #expect(throws: StoreError.forbidden(
                message: "Only the members of this relationship log what they taught and learned at its meetings. You can read the ledger on the relationship's page.")) {
                try await fixture.log(meeting, by: fixture.org.admin, taught: ["SQL"])
            }
            let olga = try await Seeds.participant("Olga", in: fixture.org, store: fixture.store, strengths: [], wants: [])
            await #expect(throws: StoreError.notFound(what: "meeting")) { try await fixture.log(meeting, by: olga, taught: ["SQL"]) }
            await #expect(throws: StoreError.notFound(what: "relationship")) { _ = try await fixture.store.ledger(relationshipID: fixture.relationshipID, of: olga) }
            let globex = try await Seeds.organisation("Globex", in: fixture.store)
            await #expect(throws: StoreError.notFound(what: "meeting")) { try await fixture.log(meeting, by: globex.admin, taught: ["SQL"]) }
            #expect(try await MeetingLog.query(on: try database.database()).count() == 0)
            // The admin (a manager of programmes) reads the ledger.
            #expect(try await fixture.store.ledger(relationshipID: fixture.relationshipID, of: fixture.org.admin).entries.map(\.meetingID) == [meeting])
        }
    }

    @Test("A meeting that has not started, or was cancelled, cannot be logged, and the member is told why", arguments: TestBackend.all)
    func futureAndCancelledRefused(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await LedgerFixture.make(database)
            let future = try await fixture.futureMeeting()
            do {
                try await fixture.log(future, by: fixture.pia, taught: ["SQL"])
                Issue.record("a future meeting was logged")
            } catch let StoreError.conflict(_, message) {
                #expect(message.contains("has not started yet") && message.contains("once it has begun"))
            }
            let cancelled = try await fixture.futureMeeting(hoursAhead: 3)
            _ = try await fixture.store.cancelMeeting(id: cancelled, note: "Ill", by: fixture.max)
            fixture.clock.advance(by: 4 * 3600)
            do {
                try await fixture.log(cancelled, by: fixture.pia, taught: ["SQL"])
                Issue.record("a cancelled meeting was logged")
            } catch let StoreError.conflict(_, message) {
                #expect(message.contains("was cancelled"))
            }
            #expect(try await fixture.store.logRefusal(meetingID: cancelled, of: fixture.pia)?.contains("was cancelled") == true)
            // Once started, the first one can be logged.
            #expect(try await fixture.store.logRefusal(meetingID: future, of: fixture.pia) == nil)
            try await fixture.log(future, by: fixture.pia, taught: ["SQL"])
            // The cancelled meeting is not part of the ledger.
            #expect(try await fixture.store.ledger(relationshipID: fixture.relationshipID, of: fixture.pia).entries.map(\.meetingID) == [future])
        }
    }

    @Test("Who taught whom what, per skill, on a hand-built pair; and the balance both ways", arguments: TestBackend.all)
    func whoTaughtWhom(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await LedgerFixture.make(database)
            let pia = fixture.pia.personID, max = fixture.max.personID
            let first = try await fixture.pastMeeting()
            // Meeting 1: Pia taught Statistics and Max says he learned it (confirmed); Max taught
            // Hiring, which Pia did not log.
            try await fixture.log(first, by: fixture.pia, taught: ["Statistics"])
            try await fixture.log(first, by: fixture.max, taught: ["Hiring"], learned: ["statistics"])
            // Meeting 2: only Pia logged: she learned Hiring (from Max, the other member).
            let second = try await fixture.pastMeeting()
            try await fixture.log(second, by: fixture.pia, learned: ["recruiting"])
            // Meeting 3: nobody logged.
            let third = try await fixture.pastMeeting()

            let ledger = try await fixture.store.ledger(relationshipID: fixture.relationshipID, of: fixture.pia)
            #expect(ledger.entries.map(\.meetingID) == [third, second, first])
            #expect(ledger.entries[0].logs.isEmpty && Set(ledger.entries[0].notLogged) == [pia, max])
            #expect(ledger.entries[1].notLogged == [max])
            let flows = ledger.flows.map { "\($0.skill) \(ledger.name(of: $0.teacherID))→\(ledger.name(of: $0.learnerID)) \($0.meetings)/\($0.confirmed)" }
            #expect(flows == ["Hiring Max Manager→Pia Participant 2/0", "Statistics Pia Participant→Max Manager 1/1"])
            let balance = try #require(ledger.balance)
            let sides = Dictionary(uniqueKeysWithValues: balance.sides.map { ($0.personID, "\($0.meetingsTaught) meetings, \($0.skillsTaught) skills") })
            #expect(sides == [pia: "1 meetings, 1 skills", max: "2 meetings, 1 skills"])
            #expect(balance.bothTeaching && balance.oneSidedTeacherID == nil)
        }
    }

    @Test("Three logged meetings in a row with only one member teaching make a peer pair one-sided, in the ledger and the SQL scan", arguments: TestBackend.all)
    func oneSidedThreeInARow(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await LedgerFixture.make(database)
            let organisationID = fixture.org.admin.organisationID
            let programmeID = try await fixture.store.relationship(id: fixture.relationshipID, of: fixture.pia).programmeID
            for round in 0..<3 {
                let meeting = try await fixture.pastMeeting()
                try await fixture.log(meeting, by: fixture.pia, taught: ["Statistics"])
                // Max logs only what he learned: still only Pia teaching.
                if round == 1 { try await fixture.log(meeting, by: fixture.max, learned: ["Statistics"]) }
                let expected: Set<UUID> = round == 2 ? [fixture.relationshipID] : []
                #expect(try await fixture.store.oneSidedRelationships(organisationID: organisationID) == expected)
            }
            #expect(try await fixture.store.ledger(relationshipID: fixture.relationshipID, of: fixture.max).balance?.oneSidedTeacherID == fixture.pia.personID)
            #expect(try await fixture.store.oneSidedRelationships(organisationID: organisationID, programmeID: programmeID) == [fixture.relationshipID])
            #expect(try await fixture.store.oneSidedRelationships(organisationID: organisationID, programmeID: UUID()) == [])
            let globex = try await Seeds.organisation("Globex", in: fixture.store)
            #expect(try await fixture.store.oneSidedRelationships(organisationID: globex.admin.organisationID) == [])

            // A meeting nobody logged changes nothing; Max teaching in the next one ends it.
            _ = try await fixture.pastMeeting()
            #expect(try await fixture.store.oneSidedRelationships(organisationID: organisationID) == [fixture.relationshipID])
            let fifth = try await fixture.pastMeeting()
            try await fixture.log(fifth, by: fixture.max, taught: ["Hiring"])
            #expect(try await fixture.store.oneSidedRelationships(organisationID: organisationID) == [])
            #expect(try await fixture.store.ledger(relationshipID: fixture.relationshipID, of: fixture.max).balance?.oneSidedTeacherID == nil)

            // A dissolved relationship is no longer on the list.
            for _ in 0..<3 {
                let meeting = try await fixture.pastMeeting()
                try await fixture.log(meeting, by: fixture.max, taught: ["Hiring"])
            }
            #expect(try await fixture.store.oneSidedRelationships(organisationID: organisationID) == [fixture.relationshipID])
            try await fixture.store.changeRelationship(id: fixture.relationshipID, to: .dissolved, by: fixture.pia)
            #expect(try await fixture.store.oneSidedRelationships(organisationID: organisationID) == [])
        }
    }

    @Test("The last logged meeting's commitments, in member order, for the next agenda", arguments: TestBackend.all)
    func commitmentsFromLastMeeting(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await LedgerFixture.make(database)
            let first = try await fixture.pastMeeting()
            try await fixture.log(first, by: fixture.max, taught: ["Hiring"], commitment: "Draft the scorecard")
            try await fixture.log(first, by: fixture.pia, taught: ["Statistics"], commitment: "Read chapter 3")
            let afterFirst = fixture.clock.now
            let second = try await fixture.pastMeeting()
            try await fixture.log(second, by: fixture.pia, taught: ["Statistics"], commitment: "Fit a regression")
            let unlogged = try await fixture.pastMeeting()

            let positions = try await fixture.store.relationship(id: fixture.relationshipID, of: fixture.pia).members.map(\.personID)
            let early = try await fixture.store.commitments(fromMeetingBefore: afterFirst, in: fixture.relationshipID)
            #expect(early.map(\.personID) == positions)
            #expect(Set(early.map(\.text)) == ["Draft the scorecard", "Read chapter 3"] && early.allSatisfy { $0.meetingID == first })
            // Later: the last logged meeting is the second (the third was not logged).
            let late = try await fixture.store.commitments(fromMeetingBefore: fixture.clock.now, in: fixture.relationshipID)
            #expect(late.map(\.meetingID) == [second] && late.map(\.personID) == [fixture.pia.personID] && late.map(\.text) == ["Fit a regression"])
            _ = unlogged
            let before = try await fixture.store.commitments(fromMeetingBefore: Date(timeIntervalSince1970: 0), in: fixture.relationshipID)
            #expect(before.isEmpty)
        }
    }

    @Test("A member raises the level of a skill they want, only upward, and the change is kept with its date", arguments: TestBackend.all)
    func raiseSkillLevel(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await LedgerFixture.make(database)
            let meeting = try await fixture.pastMeeting()
            let raisedAt = fixture.clock.now
            // Pia wants Hiring at level 1; "recruiting" is its alias.
            let change = try await fixture.store.raiseSkillLevel("recruiting", to: 3, afterMeeting: meeting, by: fixture.pia)
            #expect(change.skill == "Hiring" && change.fromLevel == 1 && change.toLevel == 3 && change.changedAt == raisedAt && change.meetingID == meeting)
            let profile = try await fixture.store.profile(personID: fixture.pia.personID, of: fixture.pia)
            #expect(profile.wants.first { $0.name == "Hiring" }?.level == 3)

            // Down or sideways, past 4, a strength rather than a want, an unknown skill: refused.
            await #expect(throws: StoreError.self) { try await fixture.store.raiseSkillLevel("Hiring", to: 3, by: fixture.pia) }
            await #expect(throws: StoreError.self) { try await fixture.store.raiseSkillLevel("Hiring", to: 2, by: fixture.pia) }
            await #expect(throws: StoreError.self) { try await fixture.store.raiseSkillLevel("Hiring", to: 5, by: fixture.pia) }
            do {
                try await fixture.store.raiseSkillLevel("Statistics", to: 3, by: fixture.pia)
                Issue.record("a strength was raised as a want")
            } catch let StoreError.invalid(field, message) {
                #expect(field == "skill" && message.contains("not among the skills you want to learn"))
            }
            await #expect(throws: StoreError.self) { try await fixture.store.raiseSkillLevel("Kubernetes", to: 3, by: fixture.pia) }
            // Only one's own relationships' meetings.
            let olga = try await Seeds.participant("Olga", in: fixture.org, store: fixture.store, strengths: [], wants: [("Hiring", 0)])
            await #expect(throws: StoreError.notFound(what: "meeting")) { try await fixture.store.raiseSkillLevel("Hiring", to: 1, afterMeeting: meeting, by: olga) }

            fixture.clock.advance(by: 86_400)
            try await fixture.store.raiseSkillLevel("hiring", to: 4, by: fixture.pia)
            let history = try await fixture.store.skillLevelChanges(personID: fixture.pia.personID, of: fixture.max)
            #expect(history.map { "\($0.fromLevel)→\($0.toLevel)" } == ["3→4", "1→3"])
            #expect(history[0].changedAt == raisedAt.addingTimeInterval(86_400))
            // The ledger shows growth tied to its meetings.
            #expect(try await fixture.store.ledger(relationshipID: fixture.relationshipID, of: fixture.max).levelChanges.map(\.id) == [change.id])
            let events = try await DomainEvent.query(on: try database.database()).filter(\.$type == "skill_level.raised").all()
            #expect(events.count == 2 && events.allSatisfy { $0.subjectType == "person" && $0.subjectID == fixture.pia.personID.uuidString.lowercased() })
        }
    }
}
