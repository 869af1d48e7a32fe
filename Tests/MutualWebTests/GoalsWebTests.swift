import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

@Suite("Goals and milestones over the web and the API")
struct GoalsWebTests {
    /// Pia and Max's relationship, opened on 1 February 2027 in a programme whose template gives
    /// every relationship "First meeting" within 14 days.
    static func relationship(_ app: TestApp, _ org: SeededOrganisation) async throws -> (ProgrammeDetail, UUID) {
        let programme = try await ProgrammeSeeds.accountsProgramme(app.store, org)
        _ = try await app.store.updateProgramme(
            id: programme.id, programme.draft, objectives: [],
            milestoneTemplates: [MilestoneTemplateDraft(title: "First meeting", dueAfter: 14, unit: .days)], by: org.manager)
        let run = try await ProgrammeSeeds.run(app.store, programme, org)
        _ = try await app.store.publishMatchRun(id: run.id, by: org.manager)
        let match = try #require(try await app.store.myMatches(of: org.participant).first)
        try await app.store.respond(toMatch: match.id, accept: true, by: org.participant)
        try await app.store.respond(toMatch: match.id, accept: true, by: org.manager)
        let id = try #require(try await app.store.myMatches(of: org.participant).first?.relationshipID)
        return (programme, id)
    }

    static let start = ISO8601DateFormatter().date(from: "2027-02-01T09:00:00Z")!

    @Test("A member adds a goal, sets its progress and ticks a milestone in a few taps; the manager reads without forms", arguments: TestBackend.all)
    func relationshipPage(backend: TestBackend) async throws {
        try await withTestApp(backend, clock: TestClock(Self.start)) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (programme, id) = try await Self.relationship(app, org)
            let pia = try await app.signedIn(org.participantEmail)
            let page = try await pia.get("/relationships/\(id)")
            #expect(page.status == .ok && page.text.contains("id=\"goals-section\"") && page.text.contains("First meeting"))
            #expect(page.text.contains("due 2027-02-15") && page.text.contains("Add a goal of your own"))

            let added = try await pia.post("/relationships/\(id)/goals", form: ["title": "Hire well", "due_on": "2027-03-01"])
            #expect(added.status == .seeOther)
            let goal = try #require(try await app.store.goals(inRelationship: id, of: org.participant).goals.first)
            #expect(added.location == "/relationships/\(id.uuidString)#goal-\(goal.id.uuidString)")
            // One tap on "50 %".
            #expect(try await pia.post("/goals/\(goal.id)", form: ["progress": "50"]).status == .seeOther)
            #expect(try await app.store.goal(id: goal.id, of: org.participant).progress == 50)
            #expect(try await pia.post("/goals/\(goal.id)/milestones", form: ["title": "Mock interview", "due_on": "2027-02-10"]).status == .seeOther)
            let mock = try #require(try await app.store.goal(id: goal.id, of: org.participant).milestones.first)
            // One tap on "Mark done".
            #expect(try await pia.post("/milestones/\(mock.id)", form: ["done": "true"]).status == .seeOther)
            #expect(try await app.store.milestone(id: mock.id, of: org.participant).isDone)
            let shown = try await pia.get("/relationships/\(id)")
            #expect(shown.text.contains("1 of 2 milestones done") && shown.text.contains("value=\"50\" aria-pressed=\"true\""))

            // Wrong input shows the page with what to fix.
            let badProgress = try await pia.post("/goals/\(goal.id)", form: ["progress": "lots"])
            #expect(badProgress.status == .unprocessableContent && badProgress.text.contains("a whole number from 0 to 100"))
            let noTitle = try await pia.post("/goals/\(goal.id)/milestones", form: ["title": " ", "due_on": "2027-02-10"])
            #expect(noTitle.status == .unprocessableContent && noTitle.text.contains("Enter the milestone"))
            let badDate = try await pia.post("/relationships/\(id)/milestones", form: ["title": "Review", "due_on": "next week"])
            #expect(badDate.status == .unprocessableContent && badDate.text.contains("YYYY-MM-DD"))

            // Max is a member but it is Pia's goal; the admin manages programmes and only reads.
            let max = try await app.signedIn(org.managerEmail)
            #expect(try await max.post("/goals/\(goal.id)", form: ["progress": "0"]).status == .forbidden)
            let admin = try await app.signedIn(org.adminEmail)
            let read = try await admin.get("/relationships/\(id)")
            #expect(read.status == .ok && read.text.contains("Hire well") && read.text.contains("Mock interview"))
            #expect(!read.text.contains("action=\"/goals/") && !read.text.contains("action=\"/milestones/"), "a reader gets no forms")
            #expect(try await admin.post("/milestones/\(mock.id)", form: ["done": "false"]).status == .forbidden)
            #expect(try await app.store.goal(id: goal.id, of: org.participant).progress == 50)
            let programmePage = try await admin.get("/programmes/\(programme.id)")
            #expect(programmePage.text.contains("1 of 2 milestones completed.") && programmePage.text.contains("First meeting — within 14 days"))
        }
    }

    @Test("The agreement lists a member's tracked goals (linked to their cards) and says none are written only when there are none", arguments: TestBackend.all)
    func agreementListsTrackedGoals(backend: TestBackend) async throws {
        try await withTestApp(backend, clock: TestClock(Self.start)) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (_, id) = try await Self.relationship(app, org)
            let pia = try await app.signedIn(org.participantEmail)
            let before = try await pia.get("/relationships/\(id)")
            #expect(before.text.components(separatedBy: "None written yet.").count - 1 == 2, "neither member has goals yet")

            // Goals added in the Goals section, with no goals text in the agreement.
            let hire = try await app.store.addGoal(to: id, GoalDraft(title: "Hire well"), by: org.participant)
            let interview = try await app.store.addGoal(to: id, GoalDraft(title: "Run a structured interview"), by: org.participant)
            let page = try await pia.get("/relationships/\(id)")
            #expect(page.text.contains("Pia Participant's goals</dt><dd><ul class=\"agreement-goals\">"))
            #expect(page.text.contains("<a href=\"#goal-\(hire.id.uuidString)\">Hire well</a>"))
            #expect(page.text.contains("<a href=\"#goal-\(interview.id.uuidString)\">Run a structured interview</a>"))
            #expect(page.text.contains("Max Manager's goals</dt><dd>None written yet.</dd>"), "Max still has none")
            #expect(page.text.components(separatedBy: "None written yet.").count - 1 == 1)
        }
    }

    @Test("The programme form takes milestone templates one per line and names a wrong line", arguments: TestBackend.all)
    func programmeForm(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.programme(app.store, org)
            let max = try await app.signedIn(org.managerEmail)
            var form = [
                "name": programme.draft.name, "model": "pairs", "structure": "informal", "cycle_start": "2027-02-01", "cycle_end": "2027-07-31",
                "capacity": "1", "milestone_templates": "14d First meeting\n3 months Mid-cycle review\nsoon Party",
            ]
            let refused = try await max.post("/programmes/\(programme.id)", form: form)
            #expect(refused.status == .unprocessableContent && refused.text.contains("Milestone line 3 (&quot;soon Party&quot;) must start with when it is due"))
            #expect(try await app.store.programme(id: programme.id, of: org.manager).milestoneTemplates.isEmpty)
            form["milestone_templates"] = "14d First meeting\n3 months Mid-cycle review"
            #expect(try await max.post("/programmes/\(programme.id)", form: form).status == .seeOther)
            #expect(try await app.store.programme(id: programme.id, of: org.manager).milestoneTemplates.map(\.title) == ["First meeting", "Mid-cycle review"])
            let edit = try await max.get("/programmes/\(programme.id)/edit")
            #expect(edit.text.contains("14d First meeting\n3m Mid-cycle review"))
        }
    }

    @Test("The API lists, creates, changes and completes goals and milestones; managers read and get the totals", arguments: TestBackend.all)
    func api(backend: TestBackend) async throws {
        try await withTestApp(backend, clock: TestClock(Self.start)) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (programme, id) = try await Self.relationship(app, org)
            let pia = try await app.store.createAPIToken(named: "pia", for: org.participant).secret
            let admin = try await app.store.createAPIToken(named: "admin", for: org.admin).secret

            var (response, body) = try await app.callAPI(.get, "/api/v1/relationships/\(id)/goals", token: pia)
            #expect(response.status == .ok && (body["goals"] as? [Any])?.isEmpty == true)
            #expect(((body["milestones"] as? [[String: Any]])?.first?["due_on"] as? String) == "2027-02-15")

            let key = HTTPField.Name("Idempotency-Key")!
            func createGoal() async throws -> TestResponse {
                try await app.client.executeRequest(
                    uri: "/api/v1/relationships/\(id)/goals", method: .post,
                    headers: [.authorization: "Bearer \(pia)", .contentType: "application/json", key: "goal-1"],
                    body: ByteBuffer(string: #"{"title":"Hire well","due_on":"2027-03-01","progress":10}"#))
            }
            let created = try await createGoal()
            #expect(created.status == .created)
            #expect(try await createGoal().text == created.text, "a retry with the same key replays the answer")
            #expect(try await app.store.goals(inRelationship: id, of: org.participant).goals.count == 1)
            let goal = try #require((try JSONSerialization.jsonObject(with: Data(created.text.utf8)) as? [String: Any])?["id"] as? String)

            for (json, field) in [
                (#"{"progress":150}"#, "progress"), (#"{"due_on":"31/12/2027"}"#, "due_on"), (#"{"title":""}"#, "title"),
            ] {
                (response, body) = try await app.callAPI(.patch, "/api/v1/goals/\(goal)", token: pia, json: json)
                #expect(response.status == .unprocessableContent && body["field"] as? String == field, "\(json): \(response.text)")
            }
            (response, body) = try await app.callAPI(.patch, "/api/v1/goals/\(goal)", token: pia, json: #"{"progress":70,"due_on":""}"#)
            #expect(response.status == .ok && body["progress"] as? Int == 70 && body["due_on"] == nil)

            (response, body) = try await app.callAPI(.post, "/api/v1/goals/\(goal)/milestones", token: pia, json: #"{"title":"Mock","due_on":"2027-02-10"}"#)
            #expect(response.status == .created)
            let milestone = try #require(body["id"] as? String)
            (response, body) = try await app.callAPI(.post, "/api/v1/milestones/\(milestone)/done", token: pia)
            #expect(response.status == .ok && body["done"] as? Bool == true && body["goal_id"] as? String == goal)

            // The admin reads but does not write; a participant does not get the totals.
            (response, body) = try await app.callAPI(.get, "/api/v1/goals/\(goal)", token: admin)
            #expect(response.status == .ok && (body["milestones"] as? [Any])?.count == 1)
            (response, _) = try await app.callAPI(.patch, "/api/v1/goals/\(goal)", token: admin, json: #"{"progress":0}"#)
            #expect(response.status == .forbidden)
            (response, body) = try await app.callAPI(.get, "/api/v1/programmes/\(programme.id)/milestones", token: admin)
            #expect(response.status == .ok && body["completed"] as? Int == 1 && body["total"] as? Int == 2 && body["overdue"] as? Int == 0)
            (response, _) = try await app.callAPI(.get, "/api/v1/programmes/\(programme.id)/milestones", token: pia)
            #expect(response.status == .forbidden)

            (response, body) = try await app.callAPI(.post, "/api/v1/goals/\(goal)/done", token: pia)
            #expect(response.status == .ok && body["status"] as? String == "done" && body["progress"] as? Int == 100)
            (response, _) = try await app.callAPI(.delete, "/api/v1/milestones/\(milestone)", token: pia)
            #expect(response.status == .noContent)
            (response, _) = try await app.callAPI(.get, "/api/v1/milestones/\(milestone)", token: pia)
            #expect(response.status == .notFound)

            // Templates through the programme's API, checked like the form.
            let put = #"{"name":"Swap","model":"pairs","cycle_start":"2027-02-01","cycle_end":"2027-07-31","milestone_templates":[{"title":"Review","due_after":800,"unit":"days"}]}"#
            (response, body) = try await app.callAPI(.put, "/api/v1/programmes/\(programme.id)", token: admin, json: put)
            #expect(response.status == .unprocessableContent && body["field"] as? String == "milestone_templates[0].due_after")
            (response, body) = try await app.callAPI(.get, "/api/v1/programmes/\(programme.id)", token: admin)
            #expect((body["milestone_templates"] as? [[String: Any]])?.first?["title"] as? String == "First meeting")
        }
    }
}
