import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

@Suite("Messages, the needs-attention list and nudge rules over the web")
struct MessagesAndAttentionWebTests {
    @Test("Members write in the thread on the relationship page; the manager's nudge is marked", arguments: TestBackend.all)
    func threadPage(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (_, id) = try await ProgrammeSeeds.relationship(app.store, org)
            let pia = try await app.signedIn(org.participantEmail)
            let empty = try await pia.get("/relationships/\(id)")
            #expect(empty.text.contains("No messages yet.") && empty.text.contains("id=\"message-form\""))
            let posted = try await pia.post("/relationships/\(id)/messages", form: ["body": "Thursday at 10 <b>ok</b>?"])
            #expect(posted.status == .found || posted.status == .seeOther)
            let page = try await pia.get("/relationships/\(id)")
            #expect(page.text.contains("Thursday at 10 &lt;b&gt;ok&lt;/b&gt;?"))
            let blank = try await pia.post("/relationships/\(id)/messages", form: ["body": "   "])
            #expect(blank.status == .unprocessableContent && blank.text.contains("Write a message before sending it."))

            let admin = try await app.signedIn(org.adminEmail)
            _ = try await admin.post("/relationships/\(id)/messages", form: ["body": "How is it going?"])
            let withNudge = try await pia.get("/relationships/\(id)")
            #expect(withNudge.text.contains("from the programme manager") && withNudge.text.contains("How is it going?"))

            _ = try await Seeds.participant("Olga", in: org, store: app.store, strengths: [], wants: [])
            let olga = try await app.signedIn("olga@acme.example")
            #expect(try await olga.post("/relationships/\(id)/messages", form: ["body": "hi"]).status == .notFound)
        }
    }

    @Test("The messages API lists and posts; bad input is a specific 422; outsiders get 404", arguments: TestBackend.all)
    func messagesAPI(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withTestApp(backend, clock: clock) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (_, id) = try await ProgrammeSeeds.relationship(app.store, org)
            let pia = try await app.store.createAPIToken(named: "p", for: org.participant).secret
            let admin = try await app.store.createAPIToken(named: "a", for: org.admin).secret
            let (created, body) = try await app.callAPI(.post, "/api/v1/relationships/\(id)/messages", token: pia, json: #"{"body": "Friday?"}"#)
            #expect(created.status == .created && body["body"] as? String == "Friday?" && body["from_manager"] as? Bool == false)
            clock.advance(by: 60)
            let (_, nudge) = try await app.callAPI(.post, "/api/v1/relationships/\(id)/messages", token: admin, json: #"{"body": "Need help?"}"#)
            #expect(nudge["from_manager"] as? Bool == true)
            let (listed, list) = try await app.callAPI(.get, "/api/v1/relationships/\(id)/messages", token: pia)
            let items = list["items"] as? [[String: Any]] ?? []
            #expect(listed.status == .ok && items.compactMap { $0["body"] as? String } == ["Friday?", "Need help?"])

            let (empty, problem) = try await app.callAPI(.post, "/api/v1/relationships/\(id)/messages", token: pia, json: #"{"body": ""}"#)
            #expect(empty.status == .unprocessableContent && problem["field"] as? String == "body")
            let long = String(repeating: "x", count: 4_001)
            let (tooLong, longProblem) = try await app.callAPI(.post, "/api/v1/relationships/\(id)/messages", token: pia, json: "{\"body\": \"\(long)\"}")
            #expect(tooLong.status == .unprocessableContent && (longProblem["detail"] as? String)?.contains("4,000") == true)
            let (missing, _) = try await app.callAPI(.post, "/api/v1/relationships/\(id)/messages", token: pia, json: "{}")
            #expect(missing.status == .unprocessableContent)

            let globex = try await Seeds.organisation("Globex", in: app.store)
            let other = try await app.store.createAPIToken(named: "g", for: globex.admin).secret
            #expect(try await app.callAPI(.get, "/api/v1/relationships/\(id)/messages", token: other).0.status == .notFound)
            #expect(try await app.callAPI(.post, "/api/v1/relationships/\(id)/messages", token: other, json: #"{"body": "x"}"#).0.status == .notFound)
        }
    }

    @Test("A manager sees a stalled pair in needs attention, nudges it, snoozes it, and changes the rules", arguments: TestBackend.all)
    func attention(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withTestApp(backend, clock: clock) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (programme, id) = try await ProgrammeSeeds.relationship(app.store, org)
            clock.advance(by: 15 * 86_400)
            let admin = try await app.signedIn(org.adminEmail)
            let dashboard = try await admin.get("/dashboard")
            #expect(dashboard.text.contains("id=\"attention-count\">1<"))
            let list = try await admin.get("/attention")
            #expect(list.status == .ok && list.text.contains("/relationships/\(id)") && list.text.contains("No first meeting 15 days after matching."))
            #expect(try await admin.get("/programmes/\(programme.id)/attention").text.contains("attention-\(id)"))
            // The cards are the list's items: the list has no markers or indent of its own (the
            // stylesheet's rule for it), so no bullet sits outside a card.
            #expect(list.text.contains("<ul class=\"attention\" id=\"attention-list\">") && list.text.contains("<li class=\"card attention-item\""))
            let css = try await admin.get("/static/app.css").text
            #expect(css.contains("ul.attention { list-style: none; padding: 0;"))
            #expect(try await admin.get("/programmes/\(programme.id)").text.contains("/programmes/\(programme.id)/attention"))

            let nudged = try await admin.post("/attention/\(id)/message", form: ["body": "Shall I help you find a time?", "programme_id": programme.id.uuidString])
            // Back to the list by a fresh GET, so a reload cannot post the message twice.
            #expect(nudged.location == "/programmes/\(programme.id)/attention?done=message")
            #expect(try await admin.get(try #require(nudged.location)).text.contains("Message sent"))
            let thread = try await app.store.messages(inRelationship: id, of: org.participant)
            #expect(thread.map(\.fromManager) == [true])

            let badDate = try await admin.post("/attention/\(id)/snooze", form: ["until": "next week"])
            #expect(badDate.status == .unprocessableContent && badDate.text.contains("YYYY-MM-DD"))
            let snoozed = try await admin.post("/attention/\(id)/snooze", form: ["until": "2027-02-10"])
            #expect(snoozed.location == "/attention?done=snoozed")
            let afterSnooze = try await admin.get(try #require(snoozed.location))
            #expect(afterSnooze.text.contains("Snoozed:") && afterSnooze.text.contains("Nothing needs your attention right now."))

            let token = try await app.store.createAPIToken(named: "a", for: org.admin).secret
            let (got, body) = try await app.callAPI(.get, "/api/v1/programmes/\(programme.id)/attention?snoozed=true", token: token)
            let items = body["items"] as? [[String: Any]] ?? []
            #expect(got.status == .ok && items.count == 1 && items.first?["snoozed_until"] != nil)
            #expect(try await app.callAPI(.get, "/api/v1/programmes/\(programme.id)/attention", token: token).1["items"] as? [Any] != nil)
            #expect(try await app.callAPI(.get, "/api/v1/programmes/\(programme.id)/attention?snoozed=maybe", token: token).0.status == .unprocessableContent)
            let pia = try await app.store.createAPIToken(named: "p", for: org.participant).secret
            #expect(try await app.callAPI(.get, "/api/v1/programmes/\(programme.id)/attention", token: pia).0.status == .forbidden)

            // Nudge rules: the page and the API.
            let rulesPage = try await admin.get("/programmes/\(programme.id)/nudges")
            #expect(rulesPage.status == .ok && rulesPage.text.contains("value=\"14\""))
            let badRules = try await admin.post(
                "/programmes/\(programme.id)/nudges", form: ["first_meeting": "on", "first_meeting_days": "0", "quiet_days": "30", "agreement_days": "7"])
            #expect(badRules.status == .unprocessableContent && badRules.text.contains("between 1 and 365"))
            let saved = try await admin.post(
                "/programmes/\(programme.id)/nudges",
                form: ["first_meeting": "on", "first_meeting_days": "21", "quiet_days": "30", "agreement_days": "7", "close_silent": "on"])
            #expect(saved.status == .ok && saved.text.contains("Nudge rules saved."))
            let (_, rules) = try await app.callAPI(.get, "/api/v1/programmes/\(programme.id)/nudge-rules", token: token)
            #expect(rules["first_meeting_days"] as? Int == 21 && rules["close_silent"] as? Bool == true && rules["quiet"] as? Bool == false)
            let (put, changed) = try await app.callAPI(.put, "/api/v1/programmes/\(programme.id)/nudge-rules", token: token, json: #"{"quiet": true}"#)
            #expect(put.status == .ok && changed["quiet"] as? Bool == true && changed["first_meeting_days"] as? Int == 21)
            let (refused, problem) = try await app.callAPI(.put, "/api/v1/programmes/\(programme.id)/nudge-rules", token: token, json: #"{"agreement_days": 400}"#)
            #expect(refused.status == .unprocessableContent && problem["field"] as? String == "agreement_days")

            // Unwinding from the list.
            let (snoozeRefused, _) = try await app.callAPI(.post, "/api/v1/relationships/\(id)/snooze", token: token, json: #"{"until": "2020-01-01T00:00:00Z"}"#)
            #expect(snoozeRefused.status == .unprocessableContent)
            let unwound = try await admin.post("/attention/\(id)/unwind", form: ["reason": "Not meeting"])
            #expect(unwound.location == "/attention?done=unwound")
            #expect(try await admin.get(try #require(unwound.location)).text.contains("The relationship is unwound"))
            #expect(try await app.store.relationship(id: id, of: org.admin).status == .dissolved)
        }
    }
}
