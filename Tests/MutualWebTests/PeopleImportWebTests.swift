import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// The upload page, the CSV download and the import/export API.
@Suite("People import and export over the web")
struct PeopleImportWebTests {
    static let header = "id,name,email,department,company,level,manager_id,timezone,languages,strengths,wants,interests,exclude"
    static let good = """
        \(header)
        W1,Wanjiru Kimani,wanjiru@acme.example,Engineering,Acme,4,,Africa/Nairobi,en;sw,Kubernetes:4;SQL:3,,,
        W2,"Okafor, Kemi",kemi@acme.example,Engineering,Acme,2,W1,Europe/London,en,,Kubernetes:1,,

        """
    static let withBadRow = good + "W3,Bad Zone,,Ops,Acme,2,,Mars/Olympus,,,,,\n"

    func signedInAdmin(_ app: TestApp) async throws -> (SeededOrganisation, BrowserSession) {
        let org = try await Seeds.organisation("Acme", in: app.store)
        return (org, try await app.signedIn(org.adminEmail))
    }

    func externalIDs(_ app: TestApp, _ org: SeededOrganisation) async throws -> Set<String> {
        let csv = try await app.store.exportPeopleCSV(from: org.admin.organisationID)
        return Set(csv.split(separator: "\n").dropFirst().map { String($0.split(separator: ",")[0]) })
    }

    @Test("An admin uploads a CSV through the page and sees what was created", arguments: TestBackend.all)
    func uploadPage(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let (org, browser) = try await signedInAdmin(app)
            let form = try await browser.get("/admin/people/import")
            #expect(form.status == .ok)
            #expect(form.text.contains(#"enctype="multipart/form-data""#))

            let dry = try await browser.postMultipart(
                "/admin/people/import", fields: ["mode": "all_or_nothing", "dry_run": "on"], fileField: "file",
                filename: "people.csv", fileContents: Array(Self.good.utf8))
            #expect(dry.status == .ok)
            #expect(dry.text.contains("Dry run, nothing written"))
            #expect(try await externalIDs(app, org).isDisjoint(with: ["W1", "W2"]))

            let imported = try await browser.postMultipart(
                "/admin/people/import", fields: ["mode": "all_or_nothing"], fileField: "file", filename: "people.csv",
                fileContents: Array(Self.good.utf8))
            #expect(imported.status == .ok)
            #expect(imported.text.contains(#"<dd id="created-count">2</dd>"#))
            #expect(imported.text.contains("W1, W2"))
            #expect(try await externalIDs(app, org).isSuperset(of: ["W1", "W2"]))

            // The imported people are in the directory, findable by skill.
            let found = try await browser.get("/people?skill=kubernetes&min_level=3")
            #expect(found.status == .ok)
            #expect(found.text.contains("Wanjiru Kimani"))
            #expect(!found.text.contains("Okafor"))
        }
    }

    @Test("Rejected rows are listed with line, column and reason, and the mode decides what is written", arguments: TestBackend.all)
    func uploadWithBadRows(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let (org, browser) = try await signedInAdmin(app)
            let refused = try await browser.postMultipart(
                "/admin/people/import", fields: ["mode": "all_or_nothing"], fileField: "file", filename: "people.csv",
                fileContents: Array(Self.withBadRow.utf8))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Nothing was imported"))
            #expect(refused.text.contains("<td>4</td><td>W3</td>"))
            #expect(refused.text.contains("<td>timezone</td>"))
            #expect(refused.text.contains("Mars"))
            #expect(try await externalIDs(app, org).isDisjoint(with: ["W1", "W2", "W3"]))

            let partial = try await browser.postMultipart(
                "/admin/people/import", fields: ["mode": "valid_rows"], fileField: "file", filename: "people.csv",
                fileContents: Array(Self.withBadRow.utf8))
            #expect(partial.status == .ok)
            #expect(partial.text.contains("Imported the valid rows only"))
            let ids = try await externalIDs(app, org)
            #expect(ids.isSuperset(of: ["W1", "W2"]) && !ids.contains("W3"))
        }
    }

    @Test("The upload takes files over the 1 MB form limit, still needs the CSRF token, and needs a file", arguments: TestBackend.all)
    func uploadLimitsAndCSRF(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let (org, browser) = try await signedInAdmin(app)
            let padding = String(repeating: "x", count: 1_500_000)
            let large = "id,name,notes\nBIG1,Big File,\(padding)\n"
            let accepted = try await browser.postMultipart(
                "/admin/people/import", fields: ["mode": "valid_rows"], fileField: "file", filename: "big.csv", fileContents: Array(large.utf8))
            #expect(accepted.status == .ok)
            #expect(accepted.text.contains("ignored unknown column: notes"))
            #expect(try await externalIDs(app, org).contains("BIG1"))

            let forged = try await browser.postMultipart(
                "/admin/people/import", fields: ["csrf_token": "forged.0000"], fileField: "file", filename: "people.csv",
                fileContents: Array(Self.good.utf8))
            #expect(forged.status == .forbidden)
            let missing = try await browser.postMultipart(
                "/admin/people/import", fileField: "file", filename: "people.csv", fileContents: Array(Self.good.utf8), csrf: false)
            #expect(missing.status == .forbidden)
            #expect(try await !externalIDs(app, org).contains("W1"))

            let empty = try await browser.postMultipart(
                "/admin/people/import", fileField: "file", filename: "empty.csv", fileContents: [])
            #expect(empty.status == .unprocessableContent)
            #expect(empty.text.contains("Choose a CSV file"))

            // Every other form keeps the 1 MB limit.
            let huge = try await browser.post("/admin/members/invite", form: ["email": padding])
            #expect(huge.status == .contentTooLarge)
        }
    }

    @Test("The upload streams: a cut-off upload imports nothing, and options after the file still count", arguments: TestBackend.all)
    func streamedUpload(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let (org, browser) = try await signedInAdmin(app)
            _ = try await browser.get("/admin/people/import")
            let token = try #require(browser.csrfToken)
            let boundary = "----MutualStreamTest"
            func body(_ file: String, closed: Bool, dryRun: Bool = false) -> [UInt8] {
                var text = "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n\(token)\r\n"
                text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\nContent-Type: text/csv\r\n\r\n\(file)"
                // The dry-run box comes after the file, as in a form that lists it below the file input.
                if closed { text += "\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\n\(dryRun ? "on" : "")\r\n--\(boundary)--\r\n" }
                return Array(text.utf8)
            }
            let contentType = "multipart/form-data; boundary=\(boundary)"
            let cut = try await browser.send("/admin/people/import", method: .post, bytes: body(Self.good, closed: false), contentType: contentType)
            #expect(cut.status == .badRequest)
            #expect(cut.text.contains("Nothing was imported"))
            #expect(try await !externalIDs(app, org).contains("W1"))

            let dry = try await browser.send("/admin/people/import", method: .post, bytes: body(Self.good, closed: true, dryRun: true), contentType: contentType)
            #expect(dry.status == .ok)
            #expect(try await !externalIDs(app, org).contains("W1"))

            let whole = try await browser.send("/admin/people/import", method: .post, bytes: body(Self.good, closed: true), contentType: contentType)
            #expect(whole.status == .ok)
            #expect(whole.text.contains(#"<dd id="created-count">2</dd>"#))
            #expect(try await externalIDs(app, org).isSuperset(of: ["W1", "W2"]))
        }
    }

    @Test("The CSV download is the store's export", arguments: TestBackend.all)
    func download(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let (org, browser) = try await signedInAdmin(app)
            _ = try await app.store.importPeople(into: org.admin.organisationID, csv: Self.good, options: .init(mode: .allOrNothing))
            let response = try await browser.get("/admin/people/export.csv")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(response.text == (try await app.store.exportPeopleCSV(from: org.admin.organisationID)))
            #expect(response.text.contains("W2,\"Okafor, Kemi\",kemi@acme.example,Engineering,Acme,2,W1,Europe/London,en,,Kubernetes:1,,\n"))
        }
    }

    func api(
        _ app: TestApp, _ method: HTTPRequest.Method, _ path: String, token: String, csv: String? = nil, contentType: String = "text/csv"
    ) async throws -> (TestResponse, [String: Any]) {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if csv != nil { headers[.contentType] = contentType }
        let response = try await app.client.executeRequest(uri: path, method: method, headers: headers, body: csv.map { ByteBuffer(string: $0) })
        let object = (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [String: Any] ?? [:]
        return (response, object)
    }

    @Test("The API imports CSV with an explicit mode and dry run, and exports CSV", arguments: TestBackend.all)
    func apiImportExport(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "hr sync", for: org.admin).secret

            let (dry, dryBody) = try await api(app, .post, "/api/v1/people/import?dry_run=true", token: token, csv: Self.good)
            #expect(dry.status == .ok)
            #expect(dryBody["outcome"] as? String == "dry_run")
            #expect(dryBody["created"] as? Int == 2)

            let (refused, refusedBody) = try await api(app, .post, "/api/v1/people/import?mode=all_or_nothing", token: token, csv: Self.withBadRow)
            #expect(refused.status == .unprocessableContent)
            #expect(refusedBody["outcome"] as? String == "nothing_written")
            let rejected = try #require((refusedBody["rejected"] as? [[String: Any]])?.first)
            #expect(rejected["line"] as? Int == 4)
            #expect(rejected["id"] as? String == "W3")
            #expect(((rejected["problems"] as? [[String: Any]])?.first)?["column"] as? String == "timezone")

            let (partial, partialBody) = try await api(app, .post, "/api/v1/people/import?mode=valid_rows", token: token, csv: Self.withBadRow)
            #expect(partial.status == .ok)
            #expect(partialBody["outcome"] as? String == "imported")
            #expect(partialBody["created"] as? Int == 2)
            #expect(partialBody["rejected_count"] as? Int == 1)

            let (export, _) = try await api(app, .get, "/api/v1/people/export", token: token)
            #expect(export.status == .ok)
            #expect(export.headers[.contentType]?.hasPrefix("text/csv") == true)
            let (again, againBody) = try await api(app, .post, "/api/v1/people/import?mode=all_or_nothing", token: token, csv: export.text)
            #expect(again.status == .ok)
            #expect(againBody["created"] as? Int == 0)
            #expect(againBody["changed"] as? Int == 0)

            #expect(try await api(app, .post, "/api/v1/people/import", token: token, csv: "{}", contentType: "application/json").0.status == .unsupportedMediaType)
            let (badMode, badModeBody) = try await api(app, .post, "/api/v1/people/import?mode=some", token: token, csv: Self.good)
            #expect(badMode.status == .badRequest)
            #expect(badModeBody["field"] as? String == "mode")

            let participantToken = try await app.store.createAPIToken(named: "mine", for: org.participant).secret
            #expect(try await api(app, .post, "/api/v1/people/import", token: participantToken, csv: Self.good).0.status == .forbidden)
            #expect(try await api(app, .get, "/api/v1/people/export", token: participantToken).0.status == .forbidden)
        }
    }

    @Test("An import through the API touches only the token's organisation", arguments: TestBackend.all)
    func apiTenantIsolation(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let acme = try await Seeds.organisation("Acme", in: app.store)
            let globex = try await Seeds.organisation("Globex", in: app.store)
            _ = try await app.store.importPeople(into: globex.admin.organisationID, csv: Self.good, options: .init(mode: .allOrNothing))
            let before = try await app.store.exportPeopleCSV(from: globex.admin.organisationID)
            let token = try await app.store.createAPIToken(named: "acme", for: acme.admin).secret
            let changed = Self.good.replacingOccurrences(of: "Wanjiru Kimani", with: "Someone Else")
            let (response, body) = try await api(app, .post, "/api/v1/people/import?mode=all_or_nothing", token: token, csv: changed)
            #expect(response.status == .ok)
            #expect(body["created"] as? Int == 2)
            #expect(try await app.store.exportPeopleCSV(from: globex.admin.organisationID) == before)
            let (export, _) = try await api(app, .get, "/api/v1/people/export", token: token)
            #expect(export.text.contains("Someone Else"))
            #expect(!export.text.contains("Wanjiru Kimani"))
        }
    }
}
