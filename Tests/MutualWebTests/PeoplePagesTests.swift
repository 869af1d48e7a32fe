import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

@Suite("Directory, profiles and skills pages")
struct PeoplePagesTests {
    @Test("A participant edits their own profile and finds a colleague by skill in the directory", arguments: TestBackend.all)
    func editAndSearch(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            #expect(try await browser.get("/profile").location == "/people/\(org.participant.personID)")
            let form = try await browser.get("/people/\(org.participant.personID)/edit")
            #expect(form.status == .ok)
            #expect(form.text.contains("name=\"strength_skill\""))

            let bad = try await browser.post(
                "/people/\(org.participant.personID)/edit",
                form: ["name": "Pat", "timezone": "Nowhere/Land", "level": "2"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("is not a time zone"))
            #expect(bad.text.contains("value=\"Nowhere/Land\""), "what was typed is kept")

            let saved = try await browser.send(
                "/people/\(org.participant.personID)/edit", method: .post,
                body: [
                    "csrf_token=\(browser.csrfToken!)", "name=Pat+Participant", "timezone=Europe%2FLisbon", "level=2",
                    "languages=en%2C+pt", "strength_skill=SQL", "strength_level=4", "strength_skill=Public+speaking", "strength_level=3",
                    "strength_skill=", "strength_level=3", "want_skill=negotiation", "want_level=1",
                    "availability_day=2", "availability_start=09%3A00", "availability_end=10%3A30", "meeting_frequency=fortnightly",
                    "formality=informal", "bio=Data+person.", "off_limits=salaries",
                ].joined(separator: "&"),
                contentType: "application/x-www-form-urlencoded")
            #expect(saved.location == "/people/\(org.participant.personID)?saved=1")
            let profile = try await browser.get("/people/\(org.participant.personID)?saved=1")
            #expect(profile.text.contains("Profile saved."))
            #expect(profile.text.contains("Public Speaking"), "typed names land on the taxonomy's skill")
            #expect(profile.text.contains("Tuesday 09:00–10:30"))

            let admin = app.browser()
            try await admin.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            let found = try await admin.get("/people?skill=sql&min_level=4")
            #expect(found.text.contains("Pat Participant"))
            let tooHigh = try await admin.get("/people?skill=sql&min_level=5")
            #expect(!tooHigh.text.contains("Pat Participant"))
            #expect(try await admin.get("/people?want=Negotiation&language=pt").text.contains("Pat Participant"))
        }
    }

    @Test("A participant cannot edit someone else's profile; an admin can", arguments: TestBackend.all)
    func editRights(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let participant = app.browser()
            try await participant.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            #expect(try await participant.get("/people/\(org.admin.personID)/edit").status == .forbidden)
            let attempt = try await participant.post("/people/\(org.admin.personID)/edit", form: ["name": "Hacked", "timezone": "UTC"])
            #expect(attempt.status == .forbidden)
            #expect(try await app.store.profile(personID: org.admin.personID, of: org.admin).name != "Hacked")

            let admin = app.browser()
            try await admin.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            let saved = try await admin.post(
                "/people/\(org.participant.personID)/edit", form: ["name": "Renamed", "timezone": "UTC", "manager": org.adminEmail])
            #expect(saved.status == .seeOther)
            let profile = try await app.store.profile(personID: org.participant.personID, of: org.admin)
            #expect(profile.name == "Renamed")
            #expect(profile.managerID == org.admin.personID)
        }
    }

    @Test("Admins add, alias and merge skills from the skills page; the skills map shows the gap", arguments: TestBackend.all)
    func skillAdministration(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = app.browser()
            try await admin.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            #expect(try await admin.post("/admin/skills", form: ["name": "Kubernetes", "family": "Technical"]).text.contains("Added Kubernetes"))
            let duplicate = try await admin.post("/admin/skills", form: ["name": "public-speaking", "family": "Communication"])
            #expect(duplicate.status == .conflict)
            let kubernetes = try #require(try await app.store.skills(of: org.admin).first { $0.name == "Kubernetes" })
            let devops = try #require(try await app.store.skills(of: org.admin).first { $0.name == "DevOps" })
            #expect(try await admin.post("/admin/skills/\(kubernetes.id)/aliases", form: ["alias": "k8s"]).status == .ok)
            _ = try await app.store.updateProfile(
                personID: org.participant.personID, with: ProfileUpdate(name: "P", strengths: [("k8s", 4)]), by: org.admin)
            #expect(try await admin.post("/admin/skills/\(kubernetes.id)/merge", form: ["into": devops.id.uuidString]).status == .ok)
            let profile = try await app.store.profile(personID: org.participant.personID, of: org.admin)
            #expect(profile.strengths.map(\.name) == ["DevOps"])

            _ = try await app.store.updateProfile(
                personID: org.manager.personID, with: ProfileUpdate(name: "M", wants: [("Coaching", 0)]), by: org.admin)
            let map = try await admin.get("/skills/map")
            #expect(map.status == .ok)
            #expect(map.text.contains("<svg"))
            #expect(map.text.contains("<title id=\"chart-title\">"))
            #expect(map.text.contains("<td>Coaching</td>"))
        }
    }

    @Test("The people API searches, reads and patches profiles with field-level errors", arguments: TestBackend.all)
    func peopleAPI(backend: TestBackend) async throws {
        try await withTestApp(backend, options: TestAppOptions(live: true)) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", for: org.participant).secret
            func call(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> (TestResponse, [String: Any]) {
                var headers: HTTPFields = [.authorization: "Bearer \(token)"]
                if body != nil { headers[.contentType] = "application/json" }
                let response = try await app.client.executeRequest(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
                return (response, (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [String: Any] ?? [:])
            }
            let path = "/api/v1/people/\(org.participant.personID)"
            let (patched, profile) = try await call(
                .patch, path, #"{"strengths":[{"skill":"python","level":4}],"timezone":"Asia/Singapore","availability":[{"weekday":1,"start":"08:00","end":"09:00"}]}"#)
            #expect(patched.status == .ok, "\(patched.text)")
            #expect((profile["strengths"] as? [[String: Any]])?.first?["skill"] as? String == "Python")
            #expect(profile["timezone"] as? String == "Asia/Singapore")
            #expect(profile["name"] as? String == "Acme Participant", "absent fields stay as they were")

            let (bad, problem) = try await call(.patch, path, #"{"strengths":[{"skill":"python","level":9}]}"#)
            #expect(bad.status == .unprocessableContent)
            #expect(problem["field"] as? String == "strengths[0]")
            let (typo, typoProblem) = try await call(.patch, path, #"{"time_zone":"UTC"}"#)
            #expect(typo.status == .badRequest)
            #expect(typoProblem["field"] as? String == "time_zone")
            #expect(try await call(.patch, "/api/v1/people/\(org.admin.personID)", #"{"name":"x"}"#).0.status == .forbidden)

            let (search, page) = try await call(.get, "/api/v1/people?skill=Python&min_level=4")
            #expect(search.status == .ok)
            #expect((page["items"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Acme Participant"])
            #expect(try await call(.get, "/api/v1/people?min_level=9").0.status == .unprocessableContent)
            let (skills, list) = try await call(.get, "/api/v1/skills")
            #expect(skills.status == .ok)
            #expect(((list["items"] as? [[String: Any]])?.count ?? 0) >= 40)
            #expect(try await call(.get, "/api/v1/skills/map").0.status == .forbidden, "the skills map is for programme managers")
        }
    }
}
