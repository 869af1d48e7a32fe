import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// The rules editor and editing a run's proposal, as pages and over the API.
@Suite("Rules editor and proposal edits over the web")
struct RulesAndEditsWebTests {
    static let rulesForm: [String: String] = [
        "prefer_department": "different", "weight_department": "10", "prefer_company": "ignore", "weight_company": "0",
        "prefer_level": "ignore", "weight_level": "0", "prefer_timezone": "similar", "weight_timezone": "10",
        "prefer_language": "ignore", "weight_language": "0", "prefer_interests": "similar", "weight_interests": "5",
        "level_window": "1", "shared_language": "on", "min_overlap_hours": "8", "working_hours_start": "9", "working_hours_end": "17",
        "forbid_reporting_line": "on", "honour_exclusions": "on", "history": "forbid", "history_penalty": "50", "reciprocity": "70",
        "odd_one_out": "leave_out",
    ]

    @Test("A manager sees the rules' effect, checks a change without saving it, fixes wrong values from the messages, and saves", arguments: TestBackend.all)
    func rulesPage(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.programme(app.store, org)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.managerEmail, "password": Seeds.password])
            #expect(try await browser.get("/programmes/\(programme.id)").text.contains("/programmes/\(programme.id)/rules"))
            let page = try await browser.get("/programmes/\(programme.id)/rules")
            #expect(page.status == .ok && page.text.contains("With these rules, 6 of 7 people can be matched."))
            #expect(page.text.contains("quick preview"))

            var bad = Self.rulesForm
            bad["weight_department"] = "lots"
            bad["level_window"] = "-1"
            bad["working_hours_end"] = "8"
            bad["action"] = "save"
            let refused = try await browser.post("/programmes/\(programme.id)/rules", form: bad)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Department weight: &quot;lots&quot; is not a whole number") || refused.text.contains("Department weight: \"lots\" is not a whole number"))
            #expect(refused.text.contains("Seniority levels apart: -1 is out of range"))
            #expect(refused.text.contains("is not after the start"))
            // Each message also stands next to its field, and only there.
            #expect(refused.text.contains(#"<p class="error">Department weight: "#))
            #expect(refused.text.contains(#"<p class="error">Seniority levels apart: "#))
            #expect(!refused.text.contains(#"<p class="error">Company weight"#))
            #expect(try await app.store.programmeRules(programmeID: programme.id, by: org.manager).isDefault)

            var check = Self.rulesForm
            check["action"] = "check"
            let checked = try await browser.post("/programmes/\(programme.id)/rules", form: check)
            #expect(checked.status == .ok && checked.text.contains("With these rules, 2 of 7 people can be matched."))
            #expect(checked.text.contains("Not saved yet"))
            #expect(try await app.store.programmeRules(programmeID: programme.id, by: org.manager).isDefault)

            var save = Self.rulesForm
            save["action"] = "save"
            let saved = try await browser.post("/programmes/\(programme.id)/rules", form: save)
            #expect(saved.status == .ok && saved.text.contains("Saved."))
            #expect(try await app.store.programmeRules(programmeID: programme.id, by: org.manager).rules.minimumOverlapHours == 8)

            let participant = app.browser()
            try await participant.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            #expect(try await participant.get("/programmes/\(programme.id)/rules").status == .forbidden)
        }
    }

    @Test("The run page labels pair scores and the run total as different scales, and after an edit says it was edited instead of proven best", arguments: TestBackend.all)
    func runPageTotalsAfterEdit(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.programme(app.store, org)
            let run = try await ProgrammeSeeds.run(app.store, programme, org)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.managerEmail, "password": Seeds.password])
            let page = try await browser.get("/runs/\(run.id)")
            #expect(page.text.contains("Proven best possible for this pool") && page.text.contains("Run total (solver weight)"))
            #expect(page.text.contains("pair score ") && page.text.contains(" / 100") && page.text.contains("upper bound"))
            let broken = try await browser.post("/runs/\(run.id)/edits", form: ["action": "break", "a": "A1", "b": "B1", "expected_edits": "0"])
            #expect(broken.status == .ok && broken.text.contains("Edited by hand") && !broken.text.contains("Proven best possible"))
        }
    }

    @Test("On the run page a manager breaks and locks pairs with the effect shown, a forbidden swap is refused in words, and a re-run keeps the locks", arguments: TestBackend.all)
    func runPageEdits(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.programme(app.store, org)
            _ = try await app.store.importPeople(into: org.admin.organisationID, csv: ProposalEditStoreTestsYui.csv, options: .init(mode: .allOrNothing))
            _ = try await app.store.enrol(csv: "id\nY1\n", in: programme.id, by: org.manager)
            let run = try await ProgrammeSeeds.run(app.store, programme, org)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.managerEmail, "password": Seeds.password])
            let page = try await browser.get("/runs/\(run.id)")
            #expect(page.text.contains("Change this proposal") && page.text.contains("Re-run around the locks"))

            let broken = try await browser.post("/runs/\(run.id)/edits", form: ["action": "break", "a": "A1", "b": "B1", "expected_edits": "0"])
            #expect(broken.status == .ok && broken.text.contains("Breaking Ana and Ben: −"))
            #expect(broken.text.contains("of at most"))
            let stale = try await browser.post("/runs/\(run.id)/edits", form: ["action": "lock", "a": "C1", "b": "D1", "expected_edits": "0"])
            #expect(stale.status == .conflict && stale.text.contains("Someone changed this proposal"))
            let locked = try await browser.post("/runs/\(run.id)/edits", form: ["action": "lock", "a": "C1", "b": "D1", "expected_edits": "1"])
            #expect(locked.status == .ok && locked.text.contains("Locked Caro and Dev") && locked.text.contains("Unlock Caro and Dev"))
            let refused = try await browser.post("/runs/\(run.id)/edits", form: ["action": "swap", "x": "Z1", "y": "E1"])
            #expect(refused.status == .conflict && refused.text.contains("share no language"))
            let nonsense = try await browser.post("/runs/\(run.id)/edits", form: ["action": "melt"])
            #expect(nonsense.status == .unprocessableContent && nonsense.text.contains("Choose what to do"))
            #expect(try await browser.post("/runs/\(run.id)/rerun", form: ["seed": "soon"]).status == .unprocessableContent)

            let rerun = try await browser.post("/runs/\(run.id)/rerun", form: ["seed": ""])
            #expect(rerun.status == .seeOther)
            let location = try #require(rerun.headers[.location])
            let rerunID = try #require(UUID(uuidString: String(location.dropFirst("/runs/".count))))
            let done = try await MatchRunWebTests().waitForRun(app, rerunID, org.manager)
            #expect(done.status == .done)
            let rerunPage = try await browser.get(location)
            #expect(rerunPage.text.contains("Re-run of <a href=\"/runs/\(run.id)\">"))
            #expect(rerunPage.text.contains("Kept as they are (locked): <strong>Caro and Dev</strong>"))
            #expect(rerunPage.text.contains("Never proposed again (broken): <strong>Ana and Ben</strong>"))
            #expect(!done.groups.contains { Set($0.members) == ["A1", "B1"] })
            #expect(done.groups.contains { Set($0.members) == ["C1", "D1"] })
        }
    }

    func api(_ app: TestApp, _ method: HTTPRequest.Method, _ path: String, token: String, body: String? = nil) async throws -> (TestResponse, [String: Any]) {
        let headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        let response = try await app.client.executeRequest(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return (response, (try? JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any]) ?? [:])
    }

    @Test("The API reads and replaces rules with their effect, refuses typos by key, edits a proposal and re-runs around it", arguments: TestBackend.all)
    func api(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.programme(app.store, org)
            let token = try await app.store.createAPIToken(named: "m", for: org.manager).secret
            let (got, rules) = try await api(app, .get, "/api/v1/programmes/\(programme.id)/rules", token: token)
            #expect(got.status == .ok && rules["default"] as? Bool == true)
            #expect((rules["effect"] as? [String: Any])?["matched"] as? Int == 6)
            #expect(((rules["rules"] as? [String: Any])?["criteria"] as? [String: Any])?.count == 6)

            let (typo, problem) = try await api(app, .put, "/api/v1/programmes/\(programme.id)/rules", token: token, body: #"{"level_windw": 2}"#)
            #expect(typo.status == .unprocessableContent && problem["field"] as? String == "level_windw")
            #expect((problem["detail"] as? String)?.contains("did you mean \"level_window\"") == true)
            let (checked, effect) = try await api(app, .post, "/api/v1/programmes/\(programme.id)/rules/effect", token: token, body: #"{"min_overlap_hours": 8}"#)
            #expect(checked.status == .ok && (effect["effect"] as? [String: Any])?["matched"] as? Int == 2)
            let (put, saved) = try await api(app, .put, "/api/v1/programmes/\(programme.id)/rules", token: token, body: #"{"reciprocity": 40}"#)
            #expect(put.status == .ok && (saved["rules"] as? [String: Any])?["reciprocity"] as? Int == 40)

            let run = try await ProgrammeSeeds.run(app.store, programme, org)
            #expect(run.rulesJSON.contains("\"reciprocity\": 40"))
            let (bad, badBody) = try await api(app, .post, "/api/v1/runs/\(run.id)/edits", token: token, body: #"{"action": "break", "people": ["A1"]}"#)
            #expect(bad.status == .unprocessableContent && badBody["field"] as? String == "people")
            let (edited, body) = try await api(app, .post, "/api/v1/runs/\(run.id)/edits", token: token, body: #"{"action": "break", "people": ["A1", "B1"], "expected_edits": 0}"#)
            #expect(edited.status == .ok)
            let edit = try #require(body["edit"] as? [String: Any])
            #expect(edit["kind"] as? String == "break" && (edit["delta"] as? Int ?? 0) < 0)
            #expect((body["broken"] as? [[String]])?.first.map(Set.init) == ["A1", "B1"])
            #expect(((body["result"] as? [String: Any])?["pairs"] as? [Any])?.count == 2)
            let (locked, _) = try await api(app, .post, "/api/v1/runs/\(run.id)/edits", token: token, body: #"{"action": "lock", "people": ["C1", "D1"]}"#)
            #expect(locked.status == .ok)
            let (list, state) = try await api(app, .get, "/api/v1/runs/\(run.id)/edits", token: token)
            #expect(list.status == .ok && (state["edits"] as? [Any])?.count == 2)

            let (rerun, started) = try await api(app, .post, "/api/v1/runs/\(run.id)/rerun", token: token, body: #"{"seed": 9}"#)
            #expect(rerun.status == .accepted && started["rerun_of"] as? String == run.id.uuidString && started["seed"] as? Int == 9)
            let id = try #require((started["id"] as? String).flatMap(UUID.init(uuidString:)))
            let done = try await MatchRunWebTests().waitForRun(app, id, org.manager)
            #expect(done.groups.contains { Set($0.members) == ["C1", "D1"] } && !done.groups.contains { Set($0.members) == ["A1", "B1"] })
        }
    }
}

/// Yui, who only speaks Japanese and pairs with Zed (see ProposalEditStoreTests).
enum ProposalEditStoreTestsYui {
    static let csv = """
        id,name,department,level,timezone,languages,strengths,wants
        Y1,Yui,Legal,3,Asia/Tokyo,ja,Japanese:4,Contract Law:1

        """
}
