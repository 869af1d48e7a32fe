import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

@Suite("Feedback over the web")
struct FeedbackWebTests {
    /// The seeded pair (participant and manager) after a meeting that ended, scanned: each has a
    /// check-in and a fit check to give.
    static func askedPair(_ app: TestApp) async throws -> (SeededOrganisation, programmeID: UUID) {
        let org = try await Seeds.organisation("Acme", in: app.store)
        let (programme, id) = try await ProgrammeSeeds.relationship(app.store, org)
        let draft = MeetingDraft(startsAt: app.clock.now.addingTimeInterval(3600), durationMinutes: 45, place: "Room 4", agenda: "")
        _ = try await app.store.scheduleMeetings(in: id, draft, by: org.participant)
        app.clock.advance(by: 2 * 3600)
        try await app.store.runFeedbackScan()
        return (org, programme.id)
    }

    @Test("A participant answers a check-in from the dashboard; the manager sees no score and how many more are needed", arguments: TestBackend.all)
    func answerOnTheWebAndManagerPage(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let (org, programmeID) = try await Self.askedPair(app)
            let pia = try await app.signedIn(org.participantEmail)
            let dashboard = try await pia.get("/dashboard")
            #expect(dashboard.text.contains("Feedback to give") && dashboard.text.contains("How useful was the meeting?"))
            let checkIn = try #require(try await app.store.feedbackToGive(of: org.participant).first { $0.kind == .checkIn })
            let path = "/feedback/\(checkIn.id.uuidString.lowercased())"
            let form = try await pia.get(path)
            #expect(form.status == .ok)
            #expect(form.text.contains(#"type="radio" id="score-5" name="score" value="5""#))
            #expect(form.text.contains("Show this answer to the programme manager with my name"))
            // No score: the form comes back saying what to do, keeping the comment.
            let missing = try await pia.post(path, form: ["comment": "Kept words"])
            #expect(missing.status == .unprocessableContent)
            #expect(missing.text.contains("Choose how useful the meeting was") && missing.text.contains("Kept words"))
            let saved = try await pia.post(path, form: ["score": "4", "comment": "Good"])
            #expect(saved.status == .seeOther)
            let after = try await pia.get(try #require(saved.location))
            #expect(after.text.contains("Thank you: your answer is in.") && after.text.contains("You answered this on"))
            // Answering again is refused with the reason.
            let again = try await pia.post(path, form: ["score": "2"])
            #expect(again.status == .conflict || again.text.contains("already answered"))

            let manager = try await app.signedIn(org.managerEmail)
            let page = try await manager.get("/programmes/\(programmeID)/feedback")
            #expect(page.status == .ok)
            #expect(page.text.contains("4 more responses needed"))
            #expect(!page.text.contains(">4.0<"))
            // Someone else's request is not found; a participant cannot open the manager's page.
            let managerRequest = try #require(try await app.store.feedbackToGive(of: org.manager).first)
            #expect(try await pia.get("/feedback/\(managerRequest.id)").status == .notFound)
            #expect(try await pia.get("/programmes/\(programmeID)/feedback").status != .ok)
        }
    }

    @Test("The API answers a request and returns the same guarded figures", arguments: TestBackend.all)
    func answerThroughTheAPI(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let (org, programmeID) = try await Self.askedPair(app)
            let pia = try await app.store.createAPIToken(named: "pia", for: org.participant).secret
            let max = try await app.store.createAPIToken(named: "max", for: org.manager).secret
            let (list, listBody) = try await app.callAPI(.get, "/api/v1/me/feedback", token: pia)
            #expect(list.status == .ok)
            let items = try #require(listBody["items"] as? [[String: Any]])
            let fit = try #require(items.first { $0["kind"] as? String == "fit_check" })
            let fitID = try #require(fit["id"] as? String)
            let (bad, problem) = try await app.callAPI(.post, "/api/v1/feedback/\(fitID)", token: pia, json: #"{"score": 3}"#)
            #expect(bad.status == .unprocessableContent && problem["field"] as? String == "fit")
            let (answered, body) = try await app.callAPI(.post, "/api/v1/feedback/\(fitID)", token: pia, json: #"{"fit": "not_a_fit"}"#)
            #expect(answered.status == .ok, "\(answered.text)")
            #expect(body["answered_at"] != nil && body["open"] as? Bool == false)
            let (other, _) = try await app.callAPI(.post, "/api/v1/feedback/\(fitID)", token: max, json: #"{"fit": "good_fit"}"#)
            #expect(other.status == .notFound)
            let (summary, summaryBody) = try await app.callAPI(.get, "/api/v1/programmes/\(programmeID)/feedback", token: max)
            #expect(summary.status == .ok)
            let measures = try #require(summaryBody["measures"] as? [[String: Any]])
            let fitMeasure = try #require(measures.first { $0["name"] as? String == "fit_check" })
            // The one answer waits for a batch of five people: counted nowhere yet, four more needed.
            #expect(fitMeasure["respondents"] as? Int == 0 && fitMeasure["needed"] as? Int == 4)
            #expect(summaryBody["waiting_answers"] as? Int == 1)
            #expect((fitMeasure["shares"] as? [Any])?.isEmpty == true && fitMeasure["value"] == nil)
            let (participantSummary, _) = try await app.callAPI(.get, "/api/v1/programmes/\(programmeID)/feedback", token: pia)
            #expect(participantSummary.status == .forbidden)
            // "Not a fit" reaches the manager's needs-attention list.
            let (attention, attentionBody) = try await app.callAPI(.get, "/api/v1/attention", token: max)
            #expect(attention.status == .ok)
            #expect("\(attentionBody)".contains("not_a_fit"))
        }
    }
}
