import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

@Suite("The learning ledger over the web")
struct LedgerWebTests {
    struct Pair {
        let org: SeededOrganisation
        let relationshipID: UUID
        let meetingID: UUID
    }

    /// The seeded pair (Pia and Max) with one meeting that has taken place.
    static func pairWithMeeting(_ app: TestApp) async throws -> Pair {
        let org = try await Seeds.organisation("Acme", in: app.store)
        let (_, id) = try await ProgrammeSeeds.relationship(app.store, org)
        let draft = MeetingDraft(startsAt: app.clock.now.addingTimeInterval(3600), durationMinutes: 45, place: "Room 4", agenda: "")
        let meeting = try #require(try await app.store.scheduleMeetings(in: id, draft, by: org.participant).first)
        app.clock.advance(by: 2 * 3600)
        return Pair(org: org, relationshipID: id, meetingID: meeting.id)
    }

    @Test("POST /api/v1/meetings/{id}/log takes names, slugs and aliases, names an unknown skill, and the ledger shows who taught whom", arguments: TestBackend.all)
    func logThroughTheAPI(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let pair = try await Self.pairWithMeeting(app)
            let pia = try await app.store.createAPIToken(named: "pia", for: pair.org.participant).secret
            let max = try await app.store.createAPIToken(named: "max", for: pair.org.manager).secret
            let path = "/api/v1/meetings/\(pair.meetingID)/log"

            let (unknown, problem) = try await app.callAPI(
                .post, path, token: pia, json: #"{"taught": [{"skill": "Statistics", "note": "p-values"}], "learned": [{"skill": "Kubernetes", "note": "pods"}]}"#)
            #expect(unknown.status == .unprocessableContent)
            #expect(problem["field"] as? String == "learned[0].skill")
            #expect((problem["detail"] as? String)?.contains("“Kubernetes” is not a skill in your organisation's taxonomy") == true)

            let (logged, body) = try await app.callAPI(
                .post, path, token: pia,
                json: #"{"taught": [{"skill": "statistics", "note": "p-values"}], "learned": [{"skill": "recruiting", "note": "scorecards"}], "rating": 5, "commitment": "Draft a scorecard"}"#)
            #expect(logged.status == .ok, "\(logged.text)")
            #expect((body["taught"] as? [[String: Any]])?.first?["skill"] as? String == "Statistics")
            #expect((body["learned"] as? [[String: Any]])?.first?["skill"] as? String == "Hiring")
            #expect(body["rating"] as? Int == 5 && body["commitment"] as? String == "Draft a scorecard")
            let (maxLogged, _) = try await app.callAPI(.post, path, token: max, json: #"{"learned": [{"skill": "Statistics", "note": "p-values at last"}]}"#)
            #expect(maxLogged.status == .ok)

            let (ledger, ledgerBody) = try await app.callAPI(.get, "/api/v1/relationships/\(pair.relationshipID)/ledger", token: max)
            #expect(ledger.status == .ok)
            let flows = try #require(ledgerBody["flows"] as? [[String: Any]])
            let statistics = try #require(flows.first { $0["skill"] as? String == "Statistics" })
            #expect(statistics["teacher_id"] as? String == pair.org.participant.personID.uuidString.lowercased() || statistics["teacher_id"] as? String == pair.org.participant.personID.uuidString)
            #expect(statistics["confirmed"] as? Int == 1 && statistics["meetings"] as? Int == 1)
            let balance = try #require(ledgerBody["balance"] as? [String: Any])
            #expect(balance["one_sided"] as? Bool == false)
            let meetings = try #require(ledgerBody["meetings"] as? [[String: Any]])
            #expect(meetings.count == 1 && (meetings[0]["logs"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test("Non-members, future meetings and other organisations get a clear refusal through the API", arguments: TestBackend.all)
    func refusalsThroughTheAPI(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let pair = try await Self.pairWithMeeting(app)
            let body = #"{"taught": [{"skill": "SQL", "note": ""}]}"#
            let admin = try await app.store.createAPIToken(named: "admin", for: pair.org.admin).secret
            let (asAdmin, adminProblem) = try await app.callAPI(.post, "/api/v1/meetings/\(pair.meetingID)/log", token: admin, json: body)
            #expect(asAdmin.status == .forbidden && (adminProblem["detail"] as? String)?.contains("Only the members") == true)
            let olga = try await Seeds.participant("Olga", in: pair.org, store: app.store, strengths: [], wants: [])
            let olgaToken = try await app.store.createAPIToken(named: "olga", for: olga).secret
            let (asOlga, _) = try await app.callAPI(.post, "/api/v1/meetings/\(pair.meetingID)/log", token: olgaToken, json: body)
            #expect(asOlga.status == .notFound)
            let (ledger, _) = try await app.callAPI(.get, "/api/v1/relationships/\(pair.relationshipID)/ledger", token: olgaToken)
            #expect(ledger.status == .notFound)

            let pia = try await app.store.createAPIToken(named: "pia", for: pair.org.participant).secret
            let draft = MeetingDraft(startsAt: app.clock.now.addingTimeInterval(86_400), durationMinutes: 30, place: "", agenda: "")
            let future = try #require(try await app.store.scheduleMeetings(in: pair.relationshipID, draft, by: pair.org.participant).first)
            let (early, earlyProblem) = try await app.callAPI(.post, "/api/v1/meetings/\(future.id)/log", token: pia, json: body)
            #expect(early.status == .conflict && (earlyProblem["detail"] as? String)?.contains("has not started yet") == true)
            #expect(try await app.store.meetingLog(meetingID: future.id, personID: pair.org.participant.personID, of: pair.org.participant) == nil)
        }
    }

    @Test("Fifty parallel API logs of one meeting by one member leave one log", arguments: TestBackend.all)
    func parallelAPILogs(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let pair = try await Self.pairWithMeeting(app)
            let pia = try await app.store.createAPIToken(named: "pia", for: pair.org.participant).secret
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        try await app.callAPI(
                            .post, "/api/v1/meetings/\(pair.meetingID)/log", token: pia,
                            json: "{\"taught\": [{\"skill\": \"Statistics\", \"note\": \"round \(index)\"}]}").0.status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .ok }, "\(statuses)")
            let ledger = try await app.store.ledger(relationshipID: pair.relationshipID, of: pair.org.participant)
            #expect(ledger.entries.first?.logs.count == 1 && ledger.entries.first?.logs.first?.taught.count == 1)
        }
    }

    @Test("A member logs on the phone form, sees it on the relationship's ledger, and raises a level", arguments: TestBackend.all)
    func logPageAndLedgerSection(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let pair = try await Self.pairWithMeeting(app)
            let pia = try await app.signedIn(pair.org.participantEmail)
            let relationship = try await pia.get("/relationships/\(pair.relationshipID)")
            #expect(relationship.text.contains("Learning ledger") && relationship.text.contains("/meetings/\(pair.meetingID)/log"))

            let form = try await pia.get("/meetings/\(pair.meetingID)/log")
            #expect(form.status == .ok && form.text.contains("<datalist id=\"taxonomy-skills\">") && form.text.contains("<option value=\"Statistics\">"))
            #expect(form.text.contains("name=\"taught_skill\"") && form.text.contains("with Max Manager"))

            let unknown = try await pia.post("/meetings/\(pair.meetingID)/log", form: ["taught_skill": "Kubernetes", "taught_note": "pods"])
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("“Kubernetes” is not a skill"))
            #expect(unknown.text.contains("value=\"Kubernetes\""), "what was typed is kept")

            let saved = try await pia.post(
                "/meetings/\(pair.meetingID)/log",
                form: ["taught_skill": "statistics", "taught_note": "p-values", "learned_skill": "recruiting", "learned_note": "scorecards", "rating": "4", "commitment": "Draft a scorecard"])
            // A saved log answers 303 to the log page, so reloading what the browser shows posts nothing again.
            #expect(saved.status == .seeOther)
            let savedLocation = try #require(saved.headers[.location])
            #expect(savedLocation == "/meetings/\(pair.meetingID)/log?done=logged")
            let afterSave = try await pia.get(savedLocation)
            #expect(afterSave.status == .ok && afterSave.text.contains("Logged.") && afterSave.text.contains("Saving again replaces that log"))

            let ledger = try await pia.get("/relationships/\(pair.relationshipID)")
            #expect(ledger.text.contains("Pia Participant taught Max Manager Statistics"))
            #expect(ledger.text.contains("Max Manager taught Pia Participant Hiring"))
            #expect(ledger.text.contains("Both of you are teaching") && ledger.text.contains("Draft a scorecard"))
            #expect(ledger.text.contains("Not logged yet by Max Manager"))

            // Pia wants Hiring at level 1: "I've grown" raises it and the history shows it.
            let raised = try await pia.post("/meetings/\(pair.meetingID)/level", form: ["skill": "Hiring", "level": "2"])
            #expect(raised.status == .seeOther)
            let raisedLocation = try #require(raised.headers[.location])
            #expect(raisedLocation == "/meetings/\(pair.meetingID)/log?done=grown")
            let afterRaise = try await pia.get(raisedLocation)
            #expect(afterRaise.status == .ok && afterRaise.text.contains("Hiring is now at level 2"))
            #expect(afterRaise.text.contains("Hiring: level 1 → 2"))
            let down = try await pia.post("/meetings/\(pair.meetingID)/level", form: ["skill": "Hiring", "level": "1"])
            #expect(down.status == .unprocessableContent && down.text.contains("already 2"))
            #expect(try await pia.get("/relationships/\(pair.relationshipID)").text.contains("Pia Participant: Hiring level 1 → 2"))

            // Another participant cannot open the form.
            _ = try await Seeds.participant("Olga", in: pair.org, store: app.store, strengths: [], wants: [])
            let olgaBrowser = try await app.signedIn("olga@acme.example")
            #expect(try await olgaBrowser.get("/meetings/\(pair.meetingID)/log").status == .notFound)
        }
    }

    @Test("POST /api/v1/me/skill-levels raises a wanted skill and GET /api/v1/people/{id}/skill-levels lists the history", arguments: TestBackend.all)
    func raiseThroughTheAPI(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let pair = try await Self.pairWithMeeting(app)
            let pia = try await app.store.createAPIToken(named: "pia", for: pair.org.participant).secret
            let (created, body) = try await app.callAPI(
                .post, "/api/v1/me/skill-levels", token: pia, json: "{\"skill\": \"hiring\", \"level\": 3, \"meeting_id\": \"\(pair.meetingID)\"}")
            #expect(created.status == .created && body["from_level"] as? Int == 1 && body["to_level"] as? Int == 3)
            let (strength, problem) = try await app.callAPI(.post, "/api/v1/me/skill-levels", token: pia, json: #"{"skill": "Statistics", "level": 4}"#)
            #expect(strength.status == .unprocessableContent && problem["field"] as? String == "skill")
            let (list, listBody) = try await app.callAPI(.get, "/api/v1/people/\(pair.org.participant.personID)/skill-levels", token: pia)
            #expect(list.status == .ok && (listBody["items"] as? [[String: Any]])?.count == 1)
        }
    }
}
