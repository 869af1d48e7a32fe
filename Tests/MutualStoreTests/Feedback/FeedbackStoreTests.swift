import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import SQLKit
import Testing

@Suite("Feedback: answers, anonymity thresholds and settings")
struct FeedbackStoreTests {
    @Test("Below k distinct people the score is hidden with how many more are needed; at k it shows", arguments: TestBackend.all)
    func thresholdCountsPeopleNotAnswers(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await FeedbackFixture.make(database)
            let people = try await fixture.participants(5)
            // Four people answer twice each: eight answers, still four people.
            try await fixture.checkIns(Array(people.prefix(4)), score: 4)
            try await fixture.checkIns(Array(people.prefix(4)), score: 2)
            var summary = try await fixture.summary()
            var usefulness = try #require(summary.measure(.meetingUsefulness))
            // Nothing is counted yet: the eight answers wait for a whole batch of five people.
            #expect(usefulness.answers == 0 && summary.waitingAnswers == 8)
            #expect(usefulness.value == nil && usefulness.needed == 1 && !usefulness.isShown)
            // The fifth person makes k = 5.
            try await fixture.checkIns([people[4]], score: 5)
            summary = try await fixture.summary()
            usefulness = try #require(summary.measure(.meetingUsefulness))
            #expect(usefulness.respondents == 5 && usefulness.answers == 9 && usefulness.needed == 0 && summary.waitingAnswers == 0)
            // Four people's 4 and 2, and 5: the mean of nine answers.
            let expected: Double = 29.0 / 9.0
            #expect(usefulness.value == expected)
        }
    }

    @Test("Watching a figure over time: it moves only when k more people have answered, never by one answer", arguments: TestBackend.all)
    func figureMovesOnlyByWholeBatches(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await FeedbackFixture.make(database)
            let people = try await fixture.participants(13)
            // Each person answers alone and the manager looks after every answer.
            var views: [(answered: Int, value: Double?, answers: Int)] = []
            for (index, person) in people.enumerated() {
                try await fixture.checkIns([person], score: 1 + index % 5)
                let usefulness = try #require(try await fixture.summary().measure(.meetingUsefulness))
                views.append((index + 1, usefulness.value, usefulness.answers))
            }
            // The figure appears at the fifth answer and changes only at the tenth: between
            // consecutive different views there are always five new people.
            #expect(views.map(\.answers) == [0, 0, 0, 0, 5, 5, 5, 5, 5, 10, 10, 10, 10])
            let changes = zip(views, views.dropFirst()).filter { $0.value != $1.value || $0.answers != $1.answers }.map(\.1.answered)
            #expect(changes == [5, 10])
            #expect(views[4].value == 3 && views[9].value == 3)
            // A month later the three waiting answers are still in no figure, month or total.
            fixture.clock.advance(by: 35 * 86_400)
            let summary = try await fixture.summary()
            #expect(summary.waitingAnswers == 3)
            #expect(summary.usefulnessByMonth.map(\.respondents).reduce(0, +) == 10)
        }
    }

    @Test("Differencing: a programme and the organisation that differ by one person are never both shown", arguments: TestBackend.all)
    func differencingAttackIsRefused(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await FeedbackFixture.make(database)
            let people = try await fixture.participants(6)
            let other = try await fixture.programme("Other")
            try await fixture.checkIns(Array(people.prefix(5)), score: 4)
            // Without the sixth person, the organisation and the programme are the same five people.
            let organisationBefore = try await fixture.store.feedbackSummary(organisationID: fixture.org.admin.organisationID, programmeID: nil)
            #expect(organisationBefore.measure(.meetingUsefulness)?.value == 4)
            // The sixth answers alone in another programme: the organisation's figure minus the
            // programme's would be their score. The programme stays shown; the organisation's is held back.
            try await fixture.checkIns([people[5]], score: 1, programmeID: other)
            let programme = try #require(try await fixture.summary().measure(.meetingUsefulness))
            let organisation = try #require(
                try await fixture.store.feedbackSummary(organisationID: fixture.org.admin.organisationID, programmeID: nil).measure(.meetingUsefulness))
            // The lone answer waits for four more people in its programme, so it is in no figure:
            // the organisation's figure is the programme's, and their difference is nothing.
            #expect(programme.value == 4)
            #expect(organisation.respondents == 5 && organisation.value == 4)
            // The month series of one month would equal the total: fine; the lone programme shows nothing.
            #expect(try await fixture.summary(other).measure(.meetingUsefulness)?.value == nil)
        }
    }

    @Test("A month is hidden when the months held back would show through the total", arguments: TestBackend.all)
    func monthsDoNotExposeEachOther(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await FeedbackFixture.make(database)
            let people = try await fixture.participants(6)
            try await fixture.checkIns(Array(people.prefix(5)), score: 4)
            // A month later one more person answers: that month has one person, the total six.
            fixture.clock.advance(by: 35 * 86_400)
            try await fixture.checkIns([people[5]], score: 1)
            var summary = try await fixture.summary()
            // February's lone answer waits for a batch, so it is neither a month of its own nor
            // in the total: January's figure and the total are the same five people.
            #expect(summary.measure(.meetingUsefulness)?.value == 4)
            #expect(summary.usefulnessByMonth.map(\.month).count == 1 && summary.waitingAnswers == 1)
            // Four more in February close a batch: February shows five people's answers, January is unchanged.
            try await fixture.checkIns(try await fixture.participants(4, prefix: "F"), score: 1)
            summary = try await fixture.summary()
            #expect(summary.usefulnessByMonth.map(\.respondents) == [5, 5])
            #expect(summary.usefulnessByMonth.map(\.value) == [4, 1])
        }
    }

    @Test("feedback.received names neither the respondent nor the score", arguments: TestBackend.all)
    func eventCarriesNoRespondentOrScore(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await FeedbackFixture.make(database)
            let person = try await fixture.participants(1)[0]
            let relationship = try await fixture.relationship([person])
            let id = try await fixture.request(.checkIn, for: person, in: relationship)
            try await fixture.store.answerFeedback(requestID: id, FeedbackAnswer(score: 3, comment: "secret words"), by: person)
            let sql = try #require(try database.database() as? any SQLDatabase)
            let rows = try await sql.raw("SELECT actor_person_id, subject_type, subject_id, payload FROM domain_events WHERE type = 'feedback.received'").all()
            #expect(rows.count == 1)
            let row = try #require(rows.first)
            #expect(try row.decode(column: "actor_person_id", as: UUID?.self) == nil)
            #expect(try row.decode(column: "subject_type", as: String.self) == "programme")
            #expect(try row.decode(column: "subject_id", as: String.self) == fixture.programmeID.uuidString.lowercased())
            let payload = try row.decode(column: "payload", as: String.self)
            #expect(payload == #"{"kind":"check_in"}"#)
            #expect(!payload.contains(person.personID.uuidString.lowercased()) && !payload.contains("3") && !payload.contains("secret"))
        }
    }

    @Test("Thresholds go from 3 to 10, are free before the cycle starts, and are never lowered after", arguments: TestBackend.all)
    func settingsRules(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await FeedbackFixture.make(database)
            let store = fixture.store
            var settings = try await store.feedbackSettings(programmeID: fixture.programmeID, of: fixture.org.manager)
            #expect(settings == .defaults)
            settings.kScores = 2
            await #expect(throws: StoreError.self) { try await store.setFeedbackSettings(settings, programmeID: fixture.programmeID, by: fixture.org.manager) }
            settings.kScores = 11
            await #expect(throws: StoreError.self) { try await store.setFeedbackSettings(settings, programmeID: fixture.programmeID, by: fixture.org.manager) }
            // Before the cycle starts (2027-02-01; the clock says 2027-01-15): lowered freely.
            settings.kScores = 3
            settings.kComments = 4
            try await store.setFeedbackSettings(settings, programmeID: fixture.programmeID, by: fixture.org.manager)
            // A participant cannot change them.
            await #expect(throws: StoreError.self) { try await store.setFeedbackSettings(.defaults, programmeID: fixture.programmeID, by: fixture.org.participant) }
            fixture.clock.advance(by: 20 * 86_400)
            // Raising is allowed after the start; lowering is refused with the reason.
            settings.kScores = 6
            try await store.setFeedbackSettings(settings, programmeID: fixture.programmeID, by: fixture.org.manager)
            settings.kScores = 5
            do {
                try await store.setFeedbackSettings(settings, programmeID: fixture.programmeID, by: fixture.org.manager)
                Issue.record("lowering k after the start was accepted")
            } catch let error as StoreError {
                #expect(error.field == "k_scores")
                #expect(error.errorDescription?.contains("cannot be lowered from 6 to 5") == true)
                #expect(error.errorDescription?.contains("2027-02-01") == true)
            }
            #expect(try await store.feedbackSettings(programmeID: fixture.programmeID, of: fixture.org.manager).kScores == 6)
            // The threshold in force is what the summary applies.
            #expect(try await fixture.summary().kScores == 6)
        }
    }

    @Test("Comments appear only from k_comments people; answers shared by name appear with the name", arguments: TestBackend.all)
    func commentsAndSharedAnswers(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await FeedbackFixture.make(database)
            let people = try await fixture.participants(10)
            try await fixture.checkIns(Array(people.prefix(9)), score: 4, comment: "Helpful")
            var summary = try await fixture.summary()
            // Five people's answers make a batch; the other four wait for the next.
            #expect(summary.comments.isEmpty && summary.commentRespondents == 5 && summary.commentsNeeded == 5 && summary.waitingAnswers == 4)
            #expect(summary.shared.isEmpty)
            try await fixture.checkIns([people[9]], score: 2, comment: "Too short", shared: true)
            summary = try await fixture.summary()
            // The shared comment is shown by name, not among the anonymous ones (still nine people).
            #expect(summary.comments.isEmpty)
            #expect(summary.shared.map(\.name) == ["P10"] && summary.shared.first?.comment == "Too short")
            #expect(summary.shared.first?.answer == "Meeting usefulness 2 of 5")
            let more = try await fixture.participants(1, prefix: "Q")
            try await fixture.checkIns(more, score: 4, comment: "Clear agenda")
            summary = try await fixture.summary()
            #expect(summary.comments.count == 10 && summary.comments.first == "Clear agenda")
            #expect(!summary.comments.contains("Too short"))
        }
    }

    @Test("Private answers must reach k on their own: shared answers cannot unmask the rest", arguments: TestBackend.all)
    func sharedAnswersDoNotUnmaskPrivateOnes(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await FeedbackFixture.make(database)
            let people = try await fixture.participants(5)
            // Four share by name; the fifth's score would be the total minus the four named ones.
            try await fixture.checkIns(Array(people.prefix(4)), score: 4, shared: true)
            try await fixture.checkIns([people[4]], score: 1)
            let usefulness = try #require(try await fixture.summary().measure(.meetingUsefulness))
            #expect(usefulness.respondents == 4 && usefulness.value == nil && usefulness.needed == 4)
        }
    }

    @Test("An answer is final, only its respondent may give it, and bad input says what to fix", arguments: TestBackend.all)
    func answeringRules(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await FeedbackFixture.make(database)
            let people = try await fixture.participants(2)
            let relationship = try await fixture.relationship(people)
            let id = try await fixture.request(.checkIn, for: people[0], in: relationship)
            await #expect(throws: StoreError.notFound(what: "feedback request")) {
                try await fixture.store.answerFeedback(requestID: id, FeedbackAnswer(score: 4), by: people[1])
            }
            // Participants never see the manager's figures.
            await #expect(throws: StoreError.self) { try await fixture.store.feedbackSummary(programmeID: fixture.programmeID, of: people[0]) }
            do {
                try await fixture.store.answerFeedback(requestID: id, FeedbackAnswer(score: 9), by: people[0])
                Issue.record("a score of 9 on 1–5 was accepted")
            } catch let error as StoreError {
                #expect(error.field == "score" && error.errorDescription?.contains("not 9") == true)
            }
            #expect(try await fixture.store.feedbackToGive(of: people[0]).map(\.id) == [id])
            try await fixture.store.answerFeedback(requestID: id, FeedbackAnswer(score: 4), by: people[0])
            #expect(try await fixture.store.feedbackToGive(of: people[0]).isEmpty)
            await #expect(throws: StoreError.self) { try await fixture.store.answerFeedback(requestID: id, FeedbackAnswer(score: 5), by: people[0]) }
            // A close survey needs a reason, and words with "other".
            let close = try await fixture.request(.closeSurvey, for: people[1], in: relationship)
            await #expect(throws: StoreError.self) { try await fixture.store.answerFeedback(requestID: close, FeedbackAnswer(reasons: [.other]), by: people[1]) }
            try await fixture.store.answerFeedback(requestID: close, FeedbackAnswer(reasons: [.noTime, .other], comment: "Moved team"), by: people[1])
        }
    }

    @Test("50 parallel answers to one request leave exactly one answer", arguments: TestBackend.all)
    func parallelAnswers(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await FeedbackFixture.make(database)
            let person = try await fixture.participants(1)[0]
            let relationship = try await fixture.relationship([person])
            let id = try await fixture.request(.pulse, for: person, in: relationship)
            let accepted = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<50 {
                    group.addTask { (try? await fixture.store.answerFeedback(requestID: id, FeedbackAnswer(score: 1 + index % 5), by: person)) != nil }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(accepted == 1)
            let answers = try await FeedbackResponse.query(on: try database.database()).filter(\.$requestID == id).count()
            #expect(answers == 1)
            let events = try await DomainEvent.query(on: try database.database()).filter(\.$type == "feedback.received").count()
            #expect(events == 1)
        }
    }

    @Test("A fit check answered “not a fit” puts the relationship on the needs-attention list, without the member's name", arguments: TestBackend.all)
    func notAFitNeedsAttention(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await FeedbackFixture.make(database)
            let people = try await fixture.participants(2)
            let relationship = try await fixture.relationship(people)
            let id = try await fixture.request(.fitCheck, for: people[0], in: relationship)
            #expect(try await fixture.store.needsAttention(of: fixture.org.manager).flatMap(\.flags).allSatisfy { $0.reason != .notAFit })
            try await fixture.store.answerFeedback(requestID: id, FeedbackAnswer(fit: .notAFit), by: people[0])
            let item = try #require(try await fixture.store.needsAttention(of: fixture.org.manager).first { $0.relationshipID == relationship })
            let flag = try #require(item.flags.first { $0.reason == .notAFit })
            #expect(flag.text.contains("re-match") && !flag.text.contains("P1"))
        }
    }
}
