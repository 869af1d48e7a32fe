import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import SQLKit
import Testing

@Suite("Programme launch: an invitation to enrol, its reminder and how many enrolled")
struct ProgrammeLaunchStoreTests {
    /// A programme taking self-enrolment until 25 January 2027 (the test clock starts on the 15th).
    static func programme(_ store: Store, _ org: SeededOrganisation, closes: String = "2027-01-25") async throws -> ProgrammeDetail {
        _ = try await store.importPeople(into: org.admin.organisationID, csv: BulkInvitationStoreTests.people, options: .init(mode: .allOrNothing))
        return try await store.createProgramme(
            ProgrammeDraft(
                name: "Data peers", description: "Teach what you know, learn what you want.", model: .pairs, cycleStart: "2027-02-01",
                cycleEnd: "2027-07-31", enrolmentCloses: closes, selfEnrolment: true),
            objectives: [], by: org.manager)
    }

    @Test("A launch emails the audience the pitch and the link, invites those without an account to the programme, and counts who enrolled", arguments: TestBackend.all)
    func launch(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = BulkInvitationStoreTests.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await Self.programme(store, org)
            // The participant (with an account) is in Data too.
            try await database.sql().update("people").set("department", to: SQLBind("Data")).where("id", .equal, SQLBind(org.participant.personID)).run()
            // Ada is already enrolled, so she is left out.
            _ = try await store.enrol(csv: "id\nP1\n", in: programme.id, by: org.manager)

            let result = try await store.launchProgramme(programme.id, audience: InvitationAudience(department: "Data"), by: org.manager)
            #expect(result.recipients == 3)  // Bea, Cal, the participant
            #expect(result.invited == 2)  // Bea and Cal have no account
            #expect(result.alreadyEnrolled == 1)
            #expect(result.withoutEmail == 1)  // Dot
            let outbox = try await store.outboxAfterJobs()
            let participant = try #require(outbox.first { $0.recipient == org.participantEmail && $0.subject.contains("enrol") })
            #expect(participant.subject == "You are invited to enrol: Data peers")
            #expect(participant.body.contains("Teach what you know, learn what you want."))
            #expect(participant.body.contains("/programmes/\(programme.id.uuidString)"))
            #expect(participant.body.contains("Enrolment closes on 2027-01-25"))
            let bea = try #require(outbox.first { $0.recipient == "bea@acme.example" })
            #expect(bea.body.contains("/invitations/") && bea.body.contains("You do not have a Mutual account yet"))
            // Bea's invitation leads to the programme, and she is the directory's Bea.
            let invitation = try #require(try await Invitation.query(on: database.database()).filter(\.$email == "bea@acme.example").first())
            #expect(invitation.programmeID == programme.id)

            // The participant enrols; the send counts one enrolment.
            try await store.enrolSelf(in: programme.id, role: nil, goals: "", by: org.participant)
            var launches = try await store.programmeLaunches(programme.id, of: org.manager)
            #expect(launches.count == 1)
            #expect(launches.first?.recipients == 3 && launches.first?.enrolled == 1 && launches.first?.invited == 2)

            // Two days before enrolment closes, at 09:00 UTC, the two who have not enrolled get one reminder.
            let reminderAt = try #require(result.reminderAt)
            #expect(reminderAt == ISO8601DateFormatter().date(from: "2027-01-23T09:00:00Z"))
            clock.advance(by: reminderAt.timeIntervalSince(clock.now) - 60)
            try await store.runDueJobs()
            #expect(try await store.outbox().filter { $0.subject.hasPrefix("Enrolment closes soon") }.isEmpty)
            clock.advance(by: 120)
            try await store.runDueJobs()
            try await store.runDueJobs()
            let reminders = try await store.outbox().filter { $0.subject.hasPrefix("Enrolment closes soon") }
            #expect(Set(reminders.map(\.recipient)) == ["bea@acme.example", "cal@acme.example"])
            launches = try await store.programmeLaunches(programme.id, of: org.manager)
            #expect(launches.first?.reminded == 2 && launches.first?.remindedAt != nil)

            // The launch is in the audit trail as an event naming only ids and counts.
            let events = try await database.sql().select().column("payload").from("domain_events").where("type", .equal, "programme.launched").all()
            #expect(events.count == 1)
            #expect(try events[0].decode(column: "payload", as: String.self).contains("\"recipients\":3"))
        }
    }

    @Test("A launch is refused, saying what to change, when nobody could enrol or nobody is left to email", arguments: TestBackend.all)
    func refusals(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = BulkInvitationStoreTests.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let closed = try await Self.programme(store, org, closes: "2027-01-10")
            do {
                _ = try await store.launchProgramme(closed.id, audience: InvitationAudience(), by: org.manager)
                Issue.record("a launch after enrolment closed was sent")
            } catch let error as StoreError {
                #expect(error.errorDescription?.contains("closed on 2027-01-10") == true)
            }
            let noSelf = try await store.createProgramme(
                ProgrammeDraft(name: "Invite only", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: org.manager)
            do {
                _ = try await store.launchProgramme(noSelf.id, audience: InvitationAudience(), by: org.manager)
                Issue.record("a launch of a programme without self-enrolment was sent")
            } catch let error as StoreError {
                #expect(error.errorDescription?.contains("Turn on self-enrolment") == true)
            }
            let open = try await store.createProgramme(
                ProgrammeDraft(name: "Open", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31", selfEnrolment: true), objectives: [],
                by: org.manager)
            await #expect(throws: StoreError.self) {
                _ = try await store.launchProgramme(open.id, audience: InvitationAudience(department: "Nowhere"), by: org.manager)
            }
            // Participants cannot launch.
            await #expect(throws: StoreError.self) {
                _ = try await store.launchProgramme(open.id, audience: InvitationAudience(), by: org.participant)
            }
            // Without a deadline there is no reminder.
            let sent = try await store.launchProgramme(open.id, audience: InvitationAudience(department: "Sales"), by: org.manager)
            #expect(sent.recipients == 2 && sent.reminderAt == nil)
        }
    }
}
