import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("A programme's own enrolment questions")
struct EnrolmentQuestionsTests {
    @Test("People enrolling answer the programme's questions; the manager reads the answers with the question asked", arguments: TestBackend.all)
    func questionsAndAnswers(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let draft = ProgrammeDraft(
                name: "Open swap", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31", selfEnrolment: true,
                questions: ["  What could you teach?  ", "", "Which days suit you?"])
            let programme = try await store.createProgramme(draft, objectives: [], by: org.manager)
            // Blank lines are dropped and questions trimmed.
            #expect(programme.draft.questions == ["What could you teach?", "Which days suit you?"])

            // More answers than questions, or too long an answer, is refused and enrols nobody.
            await #expect(throws: StoreError.self) {
                try await store.enrolSelf(in: programme.id, role: nil, goals: "", answers: ["a", "b", "c"], by: org.participant)
            }
            await #expect(throws: StoreError.self) {
                try await store.enrolSelf(in: programme.id, role: nil, goals: "", answers: [String(repeating: "x", count: 2_001)], by: org.participant)
            }
            #expect(try await store.enrolments(in: programme.id, by: org.manager).isEmpty)

            try await store.enrolSelf(in: programme.id, role: nil, goals: "Learn SQL", answers: ["Public speaking"], by: org.participant)
            let line = try #require(try await store.enrolments(in: programme.id, by: org.manager).first)
            #expect(line.answers == [
                QuestionAnswer(question: "What could you teach?", answer: "Public speaking"),
                QuestionAnswer(question: "Which days suit you?", answer: ""),
            ])

            // Changing the questions later keeps each answer with the question it answered.
            var changed = programme.draft
            changed.questions = ["Something else entirely?"]
            _ = try await store.updateProgramme(id: programme.id, changed, objectives: [], by: org.manager)
            #expect(try await store.enrolments(in: programme.id, by: org.manager).first?.answers.first?.question == "What could you teach?")

            var tooMany = programme.draft
            tooMany.questions = (1...11).map { "Question \($0)?" }
            await #expect(throws: StoreError.invalid(field: "questions", message: "Ask at most 10 questions; there are 11.")) {
                _ = try await store.updateProgramme(id: programme.id, tooMany, objectives: [], by: org.manager)
            }
        }
    }
}
