import FluentKit
import Foundation
@testable import MutualStore
import MutualTestSupport
import Testing

@Suite("Meetings of a relationship")
struct MeetingStoreTests {
    /// 2027-03-15 10:00 UTC, a Monday: two weeks before the clocks change in Lisbon (28 March).
    static let monday = Date(timeIntervalSince1970: 1_805_104_800)

    static func relationship(_ backendDatabase: MutualDatabase, clock: TestClock = TestClock()) async throws -> (Store, SeededOrganisation, UUID) {
        let store = ProgrammeStoreTests.store(backendDatabase, clock: clock)
        let org = try await Seeds.organisation("Acme", in: store)
        let (_, id) = try await ProgrammeSeeds.relationship(store, org)
        return (store, org, id)
    }

    static func events(_ store: Store, _ type: String) async throws -> [DomainEvent] {
        try await DomainEvent.query(on: try store.db()).filter(\.$type == type).all()
    }

    @Test("A member schedules a meeting; members and managers read it, nobody else; only members schedule", arguments: TestBackend.all)
    func scheduleAndRead(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let (store, org, id) = try await Self.relationship(database)
            let made = try await store.scheduleMeetings(
                in: id, MeetingDraft(startsAt: Self.monday, durationMinutes: 45, place: "https://meet.example/abc", agenda: "SQL joins"),
                by: org.participant)
            #expect(made.count == 1)
            let meeting = try #require(made.first)
            #expect(meeting.startsAt == Self.monday && meeting.endsAt == Self.monday.addingTimeInterval(45 * 60))
            #expect(meeting.status == .scheduled && meeting.sequence == 0 && meeting.seriesID == nil && meeting.createdBy == org.participant.personID)
            #expect(try await store.meetings(inRelationship: id, of: org.manager).map(\.id) == [meeting.id])
            #expect(try await store.meeting(id: meeting.id, of: org.admin).0.agenda == "SQL joins")

            let scheduled = try await Self.events(store, "meeting.scheduled")
            #expect(scheduled.count == 1 && scheduled.first?.subjectID == meeting.id.uuidString.lowercased())

            // The admin manages programmes and may read, but is not a member: no scheduling.
            await #expect(throws: StoreError.self) {
                _ = try await store.scheduleMeetings(in: id, MeetingDraft(startsAt: Self.monday, durationMinutes: 30), by: org.admin)
            }
            let olga = try await Seeds.participant("Olga", in: org, store: store, strengths: [], wants: [])
            await #expect(throws: StoreError.notFound(what: "meeting")) { _ = try await store.meeting(id: meeting.id, of: olga) }
            await #expect(throws: StoreError.notFound(what: "meeting")) {
                _ = try await store.cancelMeeting(id: meeting.id, note: "", by: olga)
            }
            let globex = try await Seeds.organisation("Globex", in: store)
            await #expect(throws: StoreError.notFound(what: "meeting")) {
                _ = try await store.changeMeeting(id: meeting.id, MeetingChange(place: "Room 1"), by: globex.admin)
            }
        }
    }

    @Test("Every change raises the sequence by one; a cancelled meeting is kept, marked, and cannot change", arguments: TestBackend.all)
    func sequenceAndCancel(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let (store, org, id) = try await Self.relationship(database)
            let meeting = try #require(try await store.scheduleMeetings(in: id, MeetingDraft(startsAt: Self.monday, durationMinutes: 30), by: org.participant).first)
            let moved = try await store.changeMeeting(id: meeting.id, MeetingChange(startsAt: Self.monday.addingTimeInterval(3600)), by: org.manager)
            #expect(moved.sequence == 1 && moved.startsAt == Self.monday.addingTimeInterval(3600))
            // Saving the same values is not a change: the sequence stays.
            #expect(try await store.changeMeeting(id: meeting.id, MeetingChange(startsAt: moved.startsAt), by: org.participant).sequence == 1)
            let placed = try await store.changeMeeting(id: meeting.id, MeetingChange(durationMinutes: 60, place: "Café"), by: org.participant)
            #expect(placed.sequence == 2 && placed.durationMinutes == 60 && placed.place == "Café")

            let cancelled = try await store.cancelMeeting(id: meeting.id, note: "Ill, sorry", by: org.manager)
            #expect(cancelled.status == .cancelled && cancelled.sequence == 3 && cancelled.cancelNote == "Ill, sorry")
            await #expect(throws: StoreError.self) { _ = try await store.cancelMeeting(id: meeting.id, note: "", by: org.participant) }
            await #expect(throws: StoreError.self) { _ = try await store.changeMeeting(id: meeting.id, MeetingChange(place: "Park"), by: org.participant) }
            #expect(try await store.meetings(inRelationship: id, of: org.participant).map(\.status) == [.cancelled])
            #expect(try await Self.events(store, "meeting.changed").count == 2)
            #expect(try await Self.events(store, "meeting.cancelled").count == 1)
        }
    }

    @Test("50 reschedules at once each get their own sequence number", arguments: TestBackend.all)
    func parallelChanges(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let (store, org, id) = try await Self.relationship(database)
            let meeting = try #require(try await store.scheduleMeetings(in: id, MeetingDraft(startsAt: Self.monday, durationMinutes: 30), by: org.participant).first)
            let sequences = try await withThrowingTaskGroup(of: Int.self) { group in
                for minute in 1...50 {
                    group.addTask {
                        try await store.changeMeeting(
                            id: meeting.id, MeetingChange(startsAt: Self.monday.addingTimeInterval(TimeInterval(minute * 60))), by: org.participant
                        ).sequence
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            // Read under the row's lock: no two changes share a number, none is lost.
            #expect(sequences.sorted() == Array(1...50))
            #expect(try await store.meeting(id: meeting.id, of: org.participant).0.sequence == 50)
            #expect(try await Self.events(store, "meeting.changed").count == 50)
        }
    }

    @Test("A series follows the agreement's cadence at the same local time across a clock change", arguments: TestBackend.all)
    func seriesFromCadence(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let (store, org, id) = try await Self.relationship(database)
            // No cadence chosen yet: a series is refused, naming the field.
            await #expect(throws: StoreError.invalid(
                field: "repeats", message: "Choose how often you meet in the agreement first (weekly, fortnightly, …); a series follows that cadence.")
            ) {
                _ = try await store.scheduleMeetings(in: id, MeetingDraft(startsAt: Self.monday, durationMinutes: 45), repeats: 3, by: org.participant)
            }
            // The agreement's words read as fortnightly become the structured choice.
            try await store.updateAgreement(
                relationshipID: id,
                AgreementDraft(vision: "Both grow", goals: "", boundaries: "", confidentiality: "", cadence: "Every two weeks, 45 minutes", structure: .formal),
                by: org.participant)
            #expect(try await store.relationship(id: id, of: org.manager).meetingCadence == MeetingCadence(.fortnightly))

            // Pia is in Lisbon: 10:00 local is 10:00 UTC in March, 09:00 UTC once summer time starts.
            let series = try await store.scheduleMeetings(in: id, MeetingDraft(startsAt: Self.monday, durationMinutes: 45), repeats: 3, by: org.participant)
            #expect(series.map(\.startsAt) == [Self.monday, Self.monday.addingTimeInterval(14 * 86_400 - 3600), Self.monday.addingTimeInterval(28 * 86_400 - 3600)])
            #expect(Set(series.compactMap(\.seriesID)).count == 1 && series.allSatisfy { $0.seriesID != nil })
            #expect(try await Self.events(store, "meeting.scheduled").count == 3)

            // A custom choice: every 10 days.
            try await store.updateAgreement(
                relationshipID: id,
                AgreementDraft(
                    vision: "Both grow", goals: "", boundaries: "", confidentiality: "", cadence: "Every two weeks, 45 minutes", structure: .formal,
                    meetingCadence: MeetingCadence(.custom, days: 10)),
                by: org.participant)
            let custom = try await store.scheduleMeetings(
                in: id, MeetingDraft(startsAt: Self.monday.addingTimeInterval(86_400), durationMinutes: 30), repeats: 2, by: org.participant)
            #expect(custom.map(\.startsAt) == [Self.monday.addingTimeInterval(86_400), Self.monday.addingTimeInterval(11 * 86_400)])
        }
    }

    @Test("Bad times, lengths and text are refused naming the field, and nothing is written", arguments: TestBackend.all)
    func badInput(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let (store, org, id) = try await Self.relationship(database, clock: clock)
            func field(_ draft: MeetingDraft, repeats: Int = 1) async -> String? {
                do {
                    _ = try await store.scheduleMeetings(in: id, draft, repeats: repeats, by: org.participant)
                    return nil
                } catch let error as StoreError {
                    return error.field
                } catch { return "unexpected \(error)" }
            }
            #expect(await field(MeetingDraft(startsAt: Self.monday, durationMinutes: 10)) == "duration_minutes")
            #expect(await field(MeetingDraft(startsAt: Self.monday, durationMinutes: 481)) == "duration_minutes")
            #expect(await field(MeetingDraft(startsAt: clock.now.addingTimeInterval(-91 * 86_400), durationMinutes: 30)) == "starts_at")
            #expect(await field(MeetingDraft(startsAt: clock.now.addingTimeInterval(3 * 366 * 86_400), durationMinutes: 30)) == "starts_at")
            #expect(await field(MeetingDraft(startsAt: Self.monday, durationMinutes: 30, place: "Room\n1")) == "place")
            #expect(await field(MeetingDraft(startsAt: Self.monday, durationMinutes: 30, agenda: String(repeating: "a", count: 4_001))) == "agenda")
            #expect(await field(MeetingDraft(startsAt: Self.monday, durationMinutes: 30), repeats: 27) == "repeats")
            #expect(await field(MeetingDraft(startsAt: Self.monday, durationMinutes: 30), repeats: 0) == "repeats")
            #expect(try await store.meetings(inRelationship: id, of: org.participant).isEmpty)
            // A meeting that took place last week may be recorded.
            #expect(await field(MeetingDraft(startsAt: clock.now.addingTimeInterval(-7 * 86_400), durationMinutes: 30)) == nil)

            // A paused relationship schedules nothing until it is resumed.
            try await store.changeRelationship(id: id, to: .paused, by: org.participant)
            await #expect(throws: StoreError.conflict(field: nil, message: "This relationship is paused. Resume it to schedule or change meetings.")) {
                _ = try await store.scheduleMeetings(in: id, MeetingDraft(startsAt: Self.monday, durationMinutes: 30), by: org.participant)
            }
        }
    }

    @Test("The agenda starts from the programme's template, and a mastermind group's from whose turn it is", arguments: TestBackend.all)
    func agendaPrefill(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let (store, org, id) = try await Self.relationship(database)
            let programmeID = try await store.relationship(id: id, of: org.manager).programmeID
            let programme = try #require(try await Programme.find(programmeID, on: try store.db()))
            programme.structure = .formal
            programme.agendaTemplate = "1. Wins since last time\n2. One skill each"
            try await programme.save(on: try store.db())
            let formal = try #require(try await store.scheduleMeetings(in: id, MeetingDraft(startsAt: Self.monday, durationMinutes: 30), by: org.participant).first)
            #expect(formal.agenda == "1. Wins since last time\n2. One skill each")
            // An agenda the member wrote is kept as written.
            let own = try #require(
                try await store.scheduleMeetings(in: id, MeetingDraft(startsAt: Self.monday.addingTimeInterval(86_400), durationMinutes: 30, agenda: "Ours"), by: org.participant).first)
            #expect(own.agenda == "Ours")

            // As a mastermind group (informal, so no template): the hot seat and the facilitator
            // move one place along the group's order with each earlier meeting.
            programme.model = .groups
            programme.structure = .informal
            try await programme.save(on: try store.db())
            let members = try await store.relationship(id: id, of: org.manager).members.map(\.name)
            // Two meetings come before a start on the third day, then one is cancelled.
            let third = try await store.suggestedAgenda(for: id, startsAt: Self.monday.addingTimeInterval(2 * 86_400), of: org.participant)
            #expect(third.hasPrefix("Hot seat: \(members[0])\nFacilitator: \(members[1])\n"))
            _ = try await store.cancelMeeting(id: own.id, note: "", by: org.participant)
            let afterCancel = try await store.suggestedAgenda(for: id, startsAt: Self.monday.addingTimeInterval(2 * 86_400), of: org.participant)
            #expect(afterCancel.hasPrefix("Hot seat: \(members[1])\nFacilitator: \(members[0])\n"))
            #expect(afterCancel.contains("Review of last meeting's commitments"))
        }
    }

    @Test("A six-meeting mastermind series: each occurrence takes its turn after the meetings before it, and reviews the last logged commitments", arguments: TestBackend.all)
    func mastermindSeriesRotation(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock(Self.monday)
            let (store, org, id) = try await Self.relationship(database, clock: clock)
            let day: TimeInterval = 86_400
            // A group of four: Olga and Ravi join Pia and Max, after them in the group's order.
            for (offset, name) in ["Olga", "Ravi"].enumerated() {
                let joiner = try await Seeds.participant(name, in: org, store: store, strengths: [], wants: [])
                let member = RelationshipMember()
                member.organisationID = org.admin.organisationID
                member.relationshipID = id
                member.personID = joiner.personID
                member.position = 2 + offset
                member.goals = ""
                member.signedVersion = 0
                try await member.create(on: try store.db())
            }
            let relationship = try #require(try await Relationship.find(id, on: try store.db()))
            relationship.cadenceInterval = MeetingCadence.Interval.weekly.rawValue
            try await relationship.save(on: try store.db())
            let programme = try #require(try await Programme.find(relationship.programmeID, on: try store.db()))
            programme.model = .groups
            programme.structure = .formal
            programme.agendaTemplate = "Close: date of the next meeting"
            try await programme.save(on: try store.db())
            let view = try await store.relationship(id: id, of: org.manager)
            let names = Dictionary(uniqueKeysWithValues: view.members.map { ($0.personID, $0.name) })
            let order = try await RelationshipMember.query(on: try store.db()).filter(\.$relationshipID == id).sort(\.$position).all()
                .map { names[$0.personID] ?? "?" }
            #expect(order.count == 4)

            // Before the series: a logged meeting 30 days ago, a cancelled one 9 days ago (it never
            // counts), and a logged one 2½ days ago, which falls between the third and fourth occurrence.
            func meeting(_ offset: TimeInterval) async throws -> UUID {
                let made = try await store.scheduleMeetings(
                    in: id, MeetingDraft(startsAt: Self.monday.addingTimeInterval(offset), durationMinutes: 60, agenda: "Our own"), by: org.participant)
                return try #require(made.first).id
            }
            let first = try await meeting(-30 * day)
            for (identity, commitment) in [(org.participant, "Read chapter 3"), (org.manager, "Draft the scorecard")] {
                _ = try await store.logMeeting(id: first, MeetingLogDraft(learned: [.init(skill: "Statistics")], commitment: commitment), by: identity)
            }
            _ = try await store.cancelMeeting(id: try await meeting(-9 * day), note: "", by: org.participant)
            let recent = try await meeting(-2.5 * day)
            _ = try await store.logMeeting(id: recent, MeetingLogDraft(taught: [.init(skill: "Statistics")], commitment: "Fit a regression"), by: org.participant)

            // Weekly from 20 days ago: three occurrences before the recent meeting, three after.
            let series = try await store.scheduleMeetings(
                in: id, MeetingDraft(startsAt: Self.monday.addingTimeInterval(-20 * day), durationMinutes: 60), repeats: 6, by: org.participant)
            #expect(series.count == 6)
            // Scheduled meetings before each: 1, 2, 3 (the first, then the series' own), then 5, 6, 7 (the recent one too).
            let before = [1, 2, 3, 5, 6, 7]
            // Each review lists who committed to what, in the group's order.
            let pia = names[org.participant.personID] ?? "?"
            let committed = [pia: "Read chapter 3", names[org.manager.personID] ?? "?": "Draft the scorecard"]
            let firstReview = order.compactMap { name in committed[name].map { "   – \(name): \($0)" } }.joined(separator: "\n")
            let recentReview = "   – \(pia): Fit a regression"
            for (index, occurrence) in series.enumerated() {
                let hotSeat = order[before[index] % 4]
                let facilitator = order[(before[index] + 1) % 4]
                let expected = [
                    "Hot seat: \(hotSeat)", "Facilitator: \(facilitator)", "1. Check-in: one line each.",
                    "2. Review of last meeting's commitments: each member says what they did.", index < 3 ? firstReview : recentReview,
                    "3. Hot seat: \(hotSeat) brings a challenge; the group asks questions, then offers ideas.",
                    "4. Commitments: each member names one thing to do before next time.", "", "Close: date of the next meeting",
                ].joined(separator: "\n")
                #expect(occurrence.agenda == expected, "occurrence \(index + 1)")
                // The same as a meeting at that start would be offered on its own, now that the series exists.
                #expect(try await store.suggestedAgenda(for: id, startsAt: occurrence.startsAt, of: org.participant) == expected)
            }
        }
    }
}

@Suite("Meeting cadence")
struct MeetingCadenceTests {
    @Test("Free-text cadences that clearly name an interval are read as it; anything else is left unchosen")
    func interpret() {
        let cases: [(String, MeetingCadence?)] = [
            ("weekly", MeetingCadence(.weekly)), ("Once a week, Tuesdays", MeetingCadence(.weekly)),
            ("every two weeks", MeetingCadence(.fortnightly)), ("Every 2 weeks, 45 minutes", MeetingCadence(.fortnightly)),
            ("Bi-weekly", MeetingCadence(.fortnightly)), ("fortnightly", MeetingCadence(.fortnightly)),
            ("every three weeks", MeetingCadence(.threeWeekly)), ("Monthly over lunch", MeetingCadence(.monthly)),
            ("once a month", MeetingCadence(.monthly)), ("", nil), ("when we can", nil), ("daily standups", nil),
            ("biweekly-ish", MeetingCadence(.fortnightly)), ("weeklyish", nil),
        ]
        for (text, expected) in cases { #expect(MeetingCadence.interpret(text) == expected, "\(text)") }
    }

    @Test("Monthly meetings on the 31st fall on the last day of shorter months")
    func monthlyEndOfMonth() throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        let january31 = Date(timeIntervalSince1970: 1_801_389_600)  // 2027-01-31 10:00 UTC
        let february = MeetingCadence(.monthly).start(of: 1, after: january31, in: utc)
        #expect(february == Date(timeIntervalSince1970: 1_801_389_600 + 28 * 86_400))  // 2027-02-28 10:00
        #expect(MeetingCadence(stored: "custom", days: 0) == nil && MeetingCadence(stored: "sometimes", days: 0) == nil)
        #expect(MeetingCadence(stored: "custom", days: 10)?.description == "Every 10 days")
    }
}
