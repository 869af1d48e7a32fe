import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("Feedback scan: durable requests, one email and one reminder each")
struct FeedbackScanTests {
    @Test("A meeting that ended asks each member for a check-in and, the first time, a fit check; once however often the scan runs", arguments: TestBackend.all)
    func meetingsAndReminders(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await FeedbackFixture.make(database)
            let store = fixture.store
            let people = try await fixture.participants(2)
            let relationship = try await fixture.relationship(people)
            let draft = MeetingDraft(startsAt: fixture.clock.now.addingTimeInterval(3600), durationMinutes: 45, place: "Room 4", agenda: "")
            _ = try await store.scheduleMeetings(in: relationship, draft, by: people[0])
            // Not ended yet: nothing to ask.
            #expect(try await store.runFeedbackScan().requested == 0)
            fixture.clock.advance(by: 2 * 3600)
            #expect(try await store.runFeedbackScan() == FeedbackScanResult(requested: 4, reminded: 0))
            #expect(try await store.runFeedbackScan().requested == 0)
            let kinds = try await store.feedbackToGive(of: people[0]).map(\.kind)
            #expect(Set(kinds) == [.checkIn, .fitCheck])
            let emails = try await store.outboxAfterJobs().filter { $0.recipient == "p1@acme.example" && $0.body.contains("/feedback/") }
            #expect(emails.count == 2)
            #expect(emails.contains { $0.subject.hasPrefix("How useful was the meeting?") && $0.body.contains("/feedback/") })
            // A second meeting: a check-in, but no second fit check.
            _ = try await store.scheduleMeetings(
                in: relationship, MeetingDraft(startsAt: fixture.clock.now.addingTimeInterval(3600), durationMinutes: 30, place: "", agenda: ""),
                by: people[1])
            fixture.clock.advance(by: 2 * 3600)
            #expect(try await store.runFeedbackScan().requested == 2)
            // P1 answers the first check-in; three days on, the rest are reminded once.
            let first = try #require(try await store.feedbackToGive(of: people[0]).first { $0.kind == .checkIn && $0.meetingID != nil })
            try await store.answerFeedback(requestID: first.id, FeedbackAnswer(score: 4), by: people[0])
            fixture.clock.advance(by: 3 * 86_400)
            let reminded = try await store.runFeedbackScan().reminded
            #expect(reminded == 5)
            #expect(try await store.runFeedbackScan().reminded == 0)
            let reminders = try await store.outboxAfterJobs().filter { $0.subject.hasPrefix("Reminder:") && $0.body.contains("/feedback/") }
            #expect(reminders.count == 5)
        }
    }

    @Test("Pulses come at the programme's first day and then every so many days; a dissolved relationship gets a close survey", arguments: TestBackend.all)
    func pulsesAndCloseSurveys(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await FeedbackFixture.make(database)
            let store = fixture.store
            var settings = FeedbackSettings.defaults
            settings.pulseFirstDays = 10
            settings.pulseEveryDays = 20
            try await store.setFeedbackSettings(settings, programmeID: fixture.programmeID, by: fixture.org.manager)
            let people = try await fixture.participants(2)
            let relationship = try await fixture.relationship(people)
            fixture.clock.advance(by: 9 * 86_400)
            #expect(try await store.runFeedbackScan().requested == 0)
            fixture.clock.advance(by: 1 * 86_400)
            #expect(try await store.runFeedbackScan().requested == 2)
            fixture.clock.advance(by: 15 * 86_400)
            #expect(try await store.runFeedbackScan().requested == 0)
            fixture.clock.advance(by: 5 * 86_400)
            #expect(try await store.runFeedbackScan().requested == 2)
            try await store.changeRelationship(id: relationship, to: .dissolved, reason: "Moved team", by: fixture.org.manager)
            let result = try await store.runFeedbackScan()
            #expect(result.requested == 2)
            #expect(try await store.feedbackToGive(of: people[1]).contains { $0.kind == .closeSurvey })
            // Dissolved: no more pulses.
            fixture.clock.advance(by: 20 * 86_400)
            #expect(try await store.runFeedbackScan().requested == 0)
        }
    }
}
