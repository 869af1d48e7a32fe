import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// The same input rules on both databases: a control character anywhere a request carries text
/// (JSON strings, form fields, the query) is a 422 naming the field, and every text field has a
/// length limit checked before the database. On PostgreSQL these were 500s (`invalid byte
/// sequence 0x00`, `index row requires … bytes`) where SQLite stored the text.
@Suite("Input rules")
struct InputRulesWebTests {
    @Test("A NUL byte in a JSON string is a 422 naming the field, nested paths included, and nothing changes", arguments: TestBackend.all)
    func nulInJSON(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "script", for: org.admin).secret
            let person = org.participant.personID.uuidString
            let (patched, problem) = try await app.callAPI(.patch, "/api/v1/people/\(person)", token: token, json: #"{"department":"Da\u0000ta"}"#)
            #expect(patched.status == .unprocessableContent)
            #expect(problem["field"] as? String == "department")
            #expect((problem["detail"] as? String)?.contains("U+0000") == true)
            #expect(try await app.store.profile(personID: org.participant.personID, of: org.admin).department == "")

            let programme = #"""
                {"name":"Peers","model":"pairs","structure":"informal","cycle_start":"2027-01-01","cycle_end":"2027-06-30",
                 "objectives":[{"goal":"Retain\u0000","kpis":[{"name":"Retention","target":85,"unit":"%"}]}]}
                """#
            let (created, nested) = try await app.callAPI(.post, "/api/v1/programmes", token: token, json: programme)
            #expect(created.status == .unprocessableContent, "\(created.text)")
            #expect(nested["field"] as? String == "objectives[0].goal")
            let (list, body) = try await app.callAPI(.get, "/api/v1/programmes", token: token)
            #expect(list.status == .ok)
            #expect((body["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("Over-long and multi-line values of single-line fields are 422s naming the field, before the database", arguments: TestBackend.all)
    func lengthsAndLineBreaks(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "script", for: org.admin).secret
            let person = "/api/v1/people/\(org.participant.personID.uuidString)"
            let cases: [(json: String, field: String)] = [
                (#"{"department":"\#(String(repeating: "d", count: 3_000))"}"#, "department"),
                (#"{"name":"\#(String(repeating: "n", count: 201))"}"#, "name"),
                (#"{"name":"Two\nlines"}"#, "name"),
                (#"{"company":"Tab\tbed"}"#, "company"),
                (#"{"languages":["\#(String(repeating: "l", count: 81))"]}"#, "languages[0]"),
                (#"{"strengths":[{"skill":"\#(String(repeating: "s", count: 3_000))","level":3}]}"#, "strengths[0]"),
            ]
            for (json, field) in cases {
                let (answer, problem) = try await app.callAPI(.patch, person, token: token, json: json)
                #expect(answer.status == .unprocessableContent, "\(field): \(answer.status) \(answer.text.prefix(200))")
                #expect(problem["field"] as? String == field)
            }
            // A multi-line field keeps its line breaks.
            let (bio, _) = try await app.callAPI(.patch, person, token: token, json: #"{"bio":"First line\nSecond line"}"#)
            #expect(bio.status == .ok)
            #expect(try await app.store.profile(personID: org.participant.personID, of: org.admin).bio == "First line\nSecond line")
        }
    }

    @Test("A control character in the query or the path is refused on pages and in the API", arguments: TestBackend.all)
    func queryAndPath(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "script", for: org.admin).secret
            let (api, problem) = try await app.callAPI(.get, "/api/v1/people?skill=S%00QL", token: token)
            #expect(api.status == .unprocessableContent)
            #expect(problem["field"] as? String == "skill")
            let (path, _) = try await app.callAPI(.get, "/api/v1/programmes/abc%00def", token: token)
            #expect(path.status == .notFound)

            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            let page = try await browser.get("/people?department=R%00D")
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains("invisible control character"))
            let fine = try await browser.get("/people?department=R%26D")
            #expect(fine.status == .ok)
        }
    }

    @Test("A form field with a NUL byte is refused before the handler; a clean one is saved", arguments: TestBackend.all)
    func nulInForm(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            let skill = try await browser.post("/admin/skills", form: ["name": "Win\u{0}dows", "family": "Technical"])
            #expect(skill.status == .unprocessableContent)
            #expect(skill.text.contains("U+0000"))
            #expect(try await app.store.skills(of: org.admin).contains { $0.name.hasPrefix("Win") } == false)
        }
    }

    @Test("A directory page number near Int.max is a 422, not an overflow that stops the server")
    func hugePageNumber() async throws {
        try await withTestApp(.sqlite) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "script", for: org.admin).secret
            let (huge, problem) = try await app.callAPI(.get, "/api/v1/people?page=9223372036854775806", token: token)
            #expect(huge.status == .unprocessableContent)
            #expect(problem["field"] as? String == "page")
            let (last, _) = try await app.callAPI(.get, "/api/v1/people?page=1000000", token: token)
            #expect(last.status == .ok)
        }
    }
}
