import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// The Impact page, its API, and the HR outcomes import (page and API).
@Suite("Impact and HR outcomes over the web")
struct ImpactWebTests {
    static let pastCycle = "Leadership mentoring, 2025 cycle"

    func api(
        _ app: TestApp, _ method: HTTPRequest.Method, _ path: String, token: String, csv: String? = nil, contentType: String = "text/csv"
    ) async throws -> (TestResponse, [String: Any]) {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if csv != nil { headers[.contentType] = contentType }
        let response = try await app.client.executeRequest(uri: path, method: method, headers: headers, body: csv.map { ByteBuffer(string: $0) })
        let object = (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [String: Any] ?? [:]
        return (response, object)
    }

    @Test("The demo's finished cycle has an Impact page with charts and their tables, linked from the programme, and the same report in the API", arguments: TestBackend.all)
    func impactPageAndAPI(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            _ = try await app.store.loadDemo()
            let admin = try await Seeds.signedIn(email: DemoOrganisation.adminEmail, password: DemoOrganisation.adminPassword, in: app.store)
            let programme = try #require(try await app.store.programmes(of: admin).first { $0.name == Self.pastCycle })
            let browser = try await app.signedIn(DemoOrganisation.adminEmail, password: DemoOrganisation.adminPassword)

            let show = try await browser.get("/programmes/\(programme.id.uuidString)")
            #expect(show.text.contains(#"href="/programmes/\#(programme.id.uuidString)/impact""#))

            let page = try await browser.get("/programmes/\(programme.id.uuidString)/impact")
            #expect(page.status == .ok)
            for needle in [
                "Impact: \(Self.pastCycle)", "retained_12m", "promoted_12m", "<svg", #"id="outcome-1-effects""#, #"id="outcome-1-balance""#,
                "Raw difference (no matching)", "intention-to-treat", "Matched effect: completers", "SMD before", "What these figures cannot show",
                "self-selection",
            ] {
                #expect(page.text.contains(needle), "missing \(needle)")
            }
            #expect(!page.text.contains("<script"), "charts are server-rendered SVG without script")

            let token = try await app.store.createAPIToken(named: "analyst", for: admin).secret
            let (answer, body) = try await api(app, .get, "/api/v1/programmes/\(programme.id.uuidString)/impact", token: token)
            #expect(answer.status == .ok)
            #expect(body["programme_name"] as? String == Self.pastCycle)
            let outcomes = try #require(body["outcomes"] as? [[String: Any]])
            #expect(outcomes.map { $0["outcome"] as? String } == ["promoted_12m", "retained_12m"])
            let retained = outcomes[1]
            for key in ["participants", "controls", "raw_difference", "effect", "ci_low", "ci_high", "balance", "completers", "summary", "caveats"] {
                #expect(retained[key] != nil, "missing \(key)")
            }
            let balance = try #require(retained["balance"] as? [[String: Any]])
            #expect(balance.contains { $0["covariate"] as? String == "level" && $0["smd_before"] is Double && $0["smd_after"] is Double })

            let (missing, _) = try await api(app, .get, "/api/v1/programmes/\(UUID().uuidString)/impact", token: token)
            #expect(missing.status == .notFound)

            let participant = try await app.signedIn(DemoOrganisation.participantEmail, password: DemoOrganisation.participantPassword)
            #expect(try await participant.get("/programmes/\(programme.id.uuidString)/impact").status == .forbidden)
        }
    }

    @Test("An admin imports HR outcomes through the page and sees what was created and which rows were refused", arguments: TestBackend.all)
    func outcomesImportPage(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            _ = try await app.store.importPeople(into: org.admin.organisationID, csv: PeopleImportWebTests.good, options: PeopleImportOptions(mode: .allOrNothing))
            let browser = try await app.signedIn(org.adminEmail)
            let form = try await browser.get("/admin/outcomes/import")
            #expect(form.status == .ok)
            #expect(form.text.contains(#"enctype="multipart/form-data""#))
            #expect(try await browser.get("/admin/people/import").text.contains(#"href="/admin/outcomes/import""#))

            let refused = try await browser.postMultipart(
                "/admin/outcomes/import", fields: ["mode": "all_or_nothing"], fileField: "file", filename: "outcomes.csv",
                fileContents: Array("id,outcome,value\nW1,retained_12m,1\nW7,retained_12m,1\n".utf8))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("<td>3</td><td>W7</td><td>id</td>"))

            let imported = try await browser.postMultipart(
                "/admin/outcomes/import", fields: ["mode": "all_or_nothing"], fileField: "file", filename: "outcomes.csv",
                fileContents: Array("id,outcome,value\nW1,retained_12m,1\nW2,retained_12m,0\n".utf8))
            #expect(imported.status == .ok)
            #expect(imported.text.contains(#"<dd id="created-count">2</dd>"#))
            #expect(imported.text.contains("retained_12m"))

            let manager = try await app.signedIn(org.managerEmail)
            #expect(try await manager.get("/admin/outcomes/import").status == .forbidden)
        }
    }

    @Test("The API imports outcomes as text/csv with a mode and dry run, refuses other bodies, and is for admins", arguments: TestBackend.all)
    func outcomesImportAPI(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            _ = try await app.store.importPeople(into: org.admin.organisationID, csv: PeopleImportWebTests.good, options: PeopleImportOptions(mode: .allOrNothing))
            let token = try await app.store.createAPIToken(named: "hr sync", scope: .admin, for: org.admin).secret
            let csv = "id,outcome,value\nW1,promoted_12m,1\nW2,promoted_12m,0\nW2,promoted_12m,x\n"

            let (dry, dryBody) = try await api(app, .post, "/api/v1/outcomes?dry_run=true&mode=valid_rows", token: token, csv: csv)
            #expect(dry.status == .ok)
            #expect(dryBody["outcome"] as? String == "dry_run")
            let (refused, refusedBody) = try await api(app, .post, "/api/v1/outcomes", token: token, csv: csv)
            #expect(refused.status == .unprocessableContent)
            let rejected = try #require((refusedBody["rejected"] as? [[String: Any]])?.first)
            #expect(rejected["line"] as? Int == 4)
            let (partial, partialBody) = try await api(app, .post, "/api/v1/outcomes?mode=valid_rows", token: token, csv: csv)
            #expect(partial.status == .ok)
            #expect(partialBody["created"] as? Int == 2)
            let (again, againBody) = try await api(app, .post, "/api/v1/outcomes?mode=valid_rows", token: token, csv: csv)
            #expect(again.status == .ok)
            #expect(againBody["unchanged"] as? Int == 2)

            #expect(try await api(app, .post, "/api/v1/outcomes", token: token, csv: "{}", contentType: "application/json").0.status == .unsupportedMediaType)
            let (badMode, badModeBody) = try await api(app, .post, "/api/v1/outcomes?mode=most", token: token, csv: csv)
            #expect(badMode.status == .badRequest)
            #expect(badModeBody["field"] as? String == "mode")
            let participantToken = try await app.store.createAPIToken(named: "mine", for: org.participant).secret
            #expect(try await api(app, .post, "/api/v1/outcomes", token: participantToken, csv: csv).0.status == .forbidden)
        }
    }
}
