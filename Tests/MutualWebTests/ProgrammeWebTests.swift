import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// Programme pages and the programmes API.
@Suite("Programmes over the web")
struct ProgrammeWebTests {

    static let form: [(String, String)] = [
        ("name", "Engineering peers 2027"), ("description", "Peers who teach each other"), ("model", "pairs"), ("structure", "formal"),
        ("cadence", "every two weeks"), ("cycle_start", "2027-02-01"), ("cycle_end", "2027-07-31"), ("capacity", "1"),
        ("self_enrolment", "on"), ("required_fields", "strengths"), ("required_fields", "timezone"),
        ("objectives", "Keep early-career engineers\n- retention of participants >= 85 %\n- meetings per pair per cycle >= 6"),
    ]

    @Test("A manager creates a programme with objectives, enrols people and sees who is ready", arguments: TestBackend.all)
    func managerPath(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            _ = try await app.store.importPeople(
                into: org.admin.organisationID, csv: "id,name,timezone,strengths\nR1,Ready Rita,Europe/Berlin,SQL:4\nN1,No Zone Nia,,SQL:2\n",
                options: .init(mode: .allOrNothing))
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.managerEmail, "password": Seeds.password])

            // A mistake keeps what was typed and says what to fix.
            var bad = Self.form
            bad[6] = ("cycle_end", "2027-01-01")
            let refused = try await browser.post("/programmes", fields: bad)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("before it starts"))
            #expect(refused.text.contains("retention of participants &gt;= 85 %"))
            let badKPI = try await browser.post("/programmes", fields: Self.form.map { $0.0 == "objectives" ? ($0.0, "Keep people\n- retention is good") : $0 })
            #expect(badKPI.status == .unprocessableContent && badKPI.text.contains("Line 2"))

            let created = try await browser.post("/programmes", fields: Self.form)
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let page = try await browser.get(location)
            #expect(page.status == .ok)
            #expect(page.text.contains("retention of participants ≥ 85 %"))
            #expect(page.text.contains("every two weeks"))
            #expect(page.text.contains("Required: strengths, time zone."))

            let unknown = try await browser.post("\(location)/enrolments", fields: [("people", "R1\nNOBODY")])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.text.contains("Line 2: nobody in the organisation has the id &quot;NOBODY&quot;"), "the paste's own line, not the CSV's")
            let enrolled = try await browser.post("\(location)/enrolments", fields: [("people", "R1\nN1")])
            #expect(enrolled.text.contains("Enrolled 2 people."))
            #expect(enrolled.text.contains("<strong>1</strong> ready to match, <strong>1</strong> still missing something"))
            #expect(enrolled.text.contains("Missing time zone"))

            // The edit form shows the objectives back in the same text form.
            let edit = try await browser.get("\(location)/edit")
            #expect(edit.text.contains("- retention of participants &gt;= 85 %"))
            let renamed = try await browser.post(location, fields: Self.form.map { $0.0 == "name" ? ($0.0, "Engineering peers, spring 2027") : $0 })
            #expect(renamed.status == .seeOther)
            #expect(try await browser.get("/programmes").text.contains("Engineering peers, spring 2027"))
        }
    }

    @Test("A participant enrols themself while enrolment is open, and can leave", arguments: TestBackend.all)
    func participantPath(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await app.store.createProgramme(
                ProgrammeDraft(name: "Mentoring circle", model: .mentoring, cycleStart: "2027-02-01", cycleEnd: "2027-07-31", selfEnrolment: true),
                objectives: [], by: org.manager)
            let hidden = try await app.store.createProgramme(
                ProgrammeDraft(name: "Leadership board", model: .groups, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: org.manager)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            let list = try await browser.get("/programmes")
            #expect(list.text.contains("Mentoring circle") && !list.text.contains("Leadership board"))
            #expect(try await browser.get("/programmes/\(hidden.id)").status == .notFound)
            #expect(try await browser.get("/programmes/new").status == .forbidden)

            let page = try await browser.get("/programmes/\(programme.id)")
            #expect(page.text.contains("Join this programme") && page.text.contains(#"<option value="mentee">Mentee</option>"#))
            let joined = try await browser.post("/programmes/\(programme.id)/enrol", form: ["role": "mentee", "goals": "Learn to negotiate"])
            #expect(joined.status == .ok && joined.text.contains("You are enrolled"))
            let lines = try await app.store.enrolments(in: programme.id, by: org.manager)
            #expect(lines.map(\.role) == [.mentee] && lines.map(\.goals) == ["Learn to negotiate"])
            #expect(try await browser.post("/programmes/\(programme.id)/enrol", form: ["role": "mentee"]).status == .conflict)

            let left = try await browser.post("/programmes/\(programme.id)/withdraw")
            #expect(left.status == .seeOther)
            #expect(try await app.store.enrolments(in: programme.id, by: org.manager).isEmpty)
        }
    }

    func api(_ app: TestApp, _ method: HTTPRequest.Method, _ path: String, token: String, json: String? = nil, csv: String? = nil) async throws -> (TestResponse, [String: Any]) {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if json != nil { headers[.contentType] = "application/json" }
        if csv != nil { headers[.contentType] = "text/csv" }
        let response = try await app.client.executeRequest(uri: path, method: method, headers: headers, body: (json ?? csv).map { ByteBuffer(string: $0) })
        return (response, (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [String: Any] ?? [:])
    }

    @Test("The API creates, reads and replaces programmes and enrols people, with precise errors", arguments: TestBackend.all)
    func api(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            _ = try await app.store.importPeople(into: org.admin.organisationID, csv: "id,name\nP1,Pat\nP2,Sam\n", options: .init(mode: .allOrNothing))
            let manager = try await app.store.createAPIToken(named: "m", for: org.manager).secret
            let participant = try await app.store.createAPIToken(named: "p", for: org.participant).secret
            let body = """
                {"name": "Buddies 2027", "model": "buddies", "cycle_start": "2027-02-01", "cycle_end": "2027-12-31", "self_enrolment": true,
                 "objectives": [{"goal": "Welcome new joiners", "kpis": [{"name": "new joiners with a buddy", "comparison": "at_least", "target": 90, "unit": "%"}]}]}
                """
            let (created, programme) = try await api(app, .post, "/api/v1/programmes", token: manager, json: body)
            #expect(created.status == .created)
            let id = try #require(programme["id"] as? String)
            let objectives = try #require(programme["objectives"] as? [[String: Any]])
            #expect(objectives.first?["goal"] as? String == "Welcome new joiners")
            #expect(programme["required_fields"] as? [String] == ["strengths", "wants"])

            let errors: [(String, Int, String?)] = [
                (#"{"name": "X", "model": "speed-dating", "cycle_start": "2027-02-01", "cycle_end": "2027-03-01"}"#, 422, "model"),
                (#"{"name": "X", "model": "pairs", "cycle_start": "2027-02-01", "cycle_end": "2027-03-01", "colour": "red"}"#, 400, "colour"),
                (#"{"name": "X", "model": "pairs", "cycle_start": "2027-13-01", "cycle_end": "2027-03-01"}"#, 422, "cycle_start"),
                (#"{"name": "X", "model": "pairs", "cycle_start": "2027-02-01", "cycle_end": "2027-03-01", "objectives": [{"goal": "G", "kpis": []}]}"#, 422, "objectives[0].kpis"),
                (body, 409, "name"),
            ]
            for (json, status, field) in errors {
                let (response, problem) = try await api(app, .post, "/api/v1/programmes", token: manager, json: json)
                #expect(response.status.code == status, "\(json)")
                #expect(problem["field"] as? String == field, "\(json): \(problem)")
            }
            #expect(try await api(app, .post, "/api/v1/programmes", token: participant, json: body).0.status == .forbidden)

            let (file, report) = try await api(app, .post, "/api/v1/programmes/\(id)/enrolments/import", token: manager, csv: "id,goals\nP1,Settle in\nP9,\n")
            #expect(file.status == .unprocessableContent)
            #expect((report["problems"] as? [[String: Any]])?.first?["line"] as? Int == 3)
            let (good, goodReport) = try await api(app, .post, "/api/v1/programmes/\(id)/enrolments/import", token: manager, csv: "id,goals\nP1,Settle in\nP2,\n")
            #expect(good.status == .ok && goodReport["added"] as? Int == 2)
            let (selfEnrol, _) = try await api(app, .post, "/api/v1/programmes/\(id)/enrol", token: participant, json: #"{"goals": "Meet people"}"#)
            #expect(selfEnrol.status == .created)
            let (_, list) = try await api(app, .get, "/api/v1/programmes/\(id)/enrolments", token: manager)
            let items = try #require(list["items"] as? [[String: Any]])
            #expect(items.count == 3)
            #expect(items.first { $0["external_id"] as? String == "P1" }?["missing"] as? [String] == ["strengths", "wants"])
            #expect(try await api(app, .get, "/api/v1/programmes/\(id)/enrolments", token: participant).0.status == .forbidden)

            let replaced = body.replacingOccurrences(of: "Buddies 2027", with: "Buddies 2027-28")
            let (put, putBody) = try await api(app, .put, "/api/v1/programmes/\(id)", token: manager, json: replaced)
            #expect(put.status == .ok && putBody["name"] as? String == "Buddies 2027-28" && putBody["enrolled"] as? Int == 3)
            #expect(try await api(app, .delete, "/api/v1/programmes/\(id)/enrol", token: participant).0.status == .noContent)
            // Idempotent: withdrawing again answers 204 and changes nothing; an unknown programme is 404.
            #expect(try await api(app, .delete, "/api/v1/programmes/\(id)/enrol", token: participant).0.status == .noContent)
            #expect(try await app.store.programme(id: UUID(uuidString: id)!, of: org.manager).enrolled == 2)
            #expect(try await api(app, .delete, "/api/v1/programmes/\(UUID())/enrol", token: participant).0.status == .notFound)
            let p1 = try #require(items.first { $0["external_id"] as? String == "P1" }?["person_id"] as? String)
            #expect(try await api(app, .post, "/api/v1/programmes/\(id)/enrolments/remove", token: manager, json: "{\"person_id\": \"\(p1)\"}").0.status == .noContent)
            #expect(try await app.store.programme(id: UUID(uuidString: id)!, of: org.manager).enrolled == 1)
        }
    }
}

@Suite("Match runs over the web")
struct MatchRunWebTests {
    /// Waits (a bounded number of short sleeps) for a background run to finish.
    func waitForRun(_ app: TestApp, _ id: UUID, _ identity: Identity) async throws -> MatchRunSummary {
        for _ in 0..<200 {
            let run = try await app.store.matchRun(id: id, of: identity)
            if run.status != .running { return run }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await app.store.matchRun(id: id, of: identity)
    }

    @Test("A manager runs matching from the programme page and reads each pair's explanation", arguments: TestBackend.all)
    func pageRun(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.programme(app.store, org)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.managerEmail, "password": Seeds.password])
            #expect(try await browser.get("/programmes/\(programme.id)").text.contains("Run matching"))
            #expect(try await browser.post("/programmes/\(programme.id)/runs", form: ["seed": "soon"]).status == .unprocessableContent)
            // A run that has not got going yet shows what it is doing and refreshes itself.
            let waiting = try await app.store.matchRunner.start(programmeID: programme.id, by: org.manager)
            let waitingPage = try await browser.get("/runs/\(waiting.id)")
            #expect(waitingPage.text.contains("Now: Loading the enrolled people and their skills") && waitingPage.text.contains("http-equiv=\"refresh\""))
            let started = try await browser.post("/programmes/\(programme.id)/runs", form: ["seed": "3"])
            #expect(started.status == .seeOther)
            let location = try #require(started.headers[.location])
            let runID = try #require(UUID(uuidString: String(location.dropFirst("/runs/".count))))
            let run = try await waitForRun(app, runID, org.manager)
            #expect(run.status == .done)
            let page = try await browser.get(location)
            #expect(page.text.contains("Proven best possible for this pool"))
            #expect(page.text.contains("<strong>Ana and Ben</strong>") || page.text.contains("<strong>Ben and Ana</strong>"))
            #expect(page.text.contains("SQL 4"))
            #expect(page.text.contains("<strong>Zed</strong>:"))
            #expect(try await browser.get("/programmes/\(programme.id)").text.contains("6 of 7 matched, proven best"))

            let participant = app.browser()
            try await participant.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            #expect(try await participant.get(location).status == .forbidden)
        }
    }

    @Test("The API starts a run, answers 202 at once, and serves the engine's JSON when done", arguments: TestBackend.all)
    func apiRun(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.programme(app.store, org)
            let token = try await app.store.createAPIToken(named: "m", for: org.manager).secret
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let bad = try await app.client.executeRequest(uri: "/api/v1/programmes/\(programme.id)/runs", method: .post, headers: headers, body: ByteBuffer(string: #"{"seed": "x"}"#))
            #expect(bad.status == .unprocessableContent)
            let started = try await app.client.executeRequest(uri: "/api/v1/programmes/\(programme.id)/runs", method: .post, headers: headers, body: ByteBuffer(string: #"{"seed": 3}"#))
            #expect(started.status == .accepted)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(started.text.utf8)) as? [String: Any])
            let id = try #require((body["id"] as? String).flatMap(UUID.init(uuidString:)))
            _ = try await MatchRunWebTests().waitForRun(app, id, org.manager)
            let done = try await app.client.executeRequest(uri: "/api/v1/runs/\(id)", method: .get, headers: headers, body: nil)
            let run = try #require(try JSONSerialization.jsonObject(with: Data(done.text.utf8)) as? [String: Any])
            #expect(run["status"] as? String == "done" && run["matched"] as? Int == 6 && run["optimality"] as? String == "optimal")
            let result = try #require(run["result"] as? [String: Any])
            #expect((result["pairs"] as? [Any])?.count == 3)
            let list = try await app.client.executeRequest(uri: "/api/v1/programmes/\(programme.id)/runs", method: .get, headers: headers, body: nil)
            #expect(list.text.contains(id.uuidString) && !list.text.contains("\"result\""))
        }
    }
}

@Suite("Publishing and answering matches over the web")
struct PublishingWebTests {
    @Test("A manager publishes a run; one member accepts on My matches, the other declines through the API, and the manager sees it", arguments: TestBackend.all)
    func publishAcceptDecline(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.accountsProgramme(app.store, org)
            let run = try await ProgrammeSeeds.run(app.store, programme, org)
            let manager = app.browser()
            try await manager.post("/sign-in", form: ["email": org.managerEmail, "password": Seeds.password])
            let published = try await manager.post("/runs/\(run.id)/publish")
            #expect(published.status == .ok && published.text.contains("Published 2 matches."))
            #expect(!(try await manager.get("/runs/\(run.id)").text.contains("Publish these matches")))
            #expect(try await manager.post("/runs/\(run.id)/publish").status == .conflict)

            let participant = app.browser()
            try await participant.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            let page = try await participant.get("/matches")
            #expect(page.text.contains("Max Manager") && page.text.contains("Statistics"))
            let match = try #require(try await app.store.myMatches(of: org.participant).first)
            let accepted = try await participant.post("/matches/\(match.id)/accept")
            #expect(accepted.text.contains("You accepted the match."))

            let token = try await app.store.createAPIToken(named: "m", for: org.manager).secret
            let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
            let mine = try await app.client.executeRequest(uri: "/api/v1/matches", method: .get, headers: headers, body: nil)
            #expect(mine.text.contains("Pia Participant") && mine.text.contains(#""my_response":"pending""#))
            let bad = try await app.client.executeRequest(
                uri: "/api/v1/matches/\(match.id)/respond", method: .post, headers: headers, body: ByteBuffer(string: #"{"accept": "no"}"#))
            #expect(bad.status == .unprocessableContent)
            let declined = try await app.client.executeRequest(
                uri: "/api/v1/matches/\(match.id)/respond", method: .post, headers: headers,
                body: ByteBuffer(string: #"{"accept": false, "reason": "We already work together"}"#))
            #expect(declined.status == .noContent)

            let overview = try await manager.get("/programmes/\(programme.id)")
            #expect(overview.text.contains("<strong>0</strong> accepted, <strong>1</strong> waiting for an answer, <strong>1</strong> declined"))
            #expect(overview.text.contains("We already work together"))
            #expect(try await participant.get("/matches").text.contains("This match was declined"))
        }
    }
}
