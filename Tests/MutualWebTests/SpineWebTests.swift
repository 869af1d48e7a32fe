import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualTestSupport
import Testing

@testable import MutualStore

/// The pages and API of the spine: email choices and one-click unsubscribe, the jobs page and
/// API, the audit log and its CSV.
@Suite("Email choices, jobs and the audit log over the web")
struct SpineWebTests {
    func api(_ app: TestApp, _ method: HTTPRequest.Method, _ path: String, token: String, json: String? = nil) async throws -> (TestResponse, [String: Any]) {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await app.client.executeRequest(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return (response, (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [String: Any] ?? [:])
    }

    @Test("A participant chooses what email they get, on the page and through the API; unknown fields are refused", arguments: TestBackend.all)
    func emailPreferences(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            let page = try await browser.get("/profile/email")
            #expect(page.status == .ok)
            #expect(page.text.components(separatedBy: "checked").count - 1 == 6, "every category a participant gets starts on")
            #expect(!page.text.contains("Programmes I manage"), "a participant is not asked about programme email")

            let saved = try await browser.post("/profile/email", form: ["matches": "on"])
            #expect(saved.status == .ok)
            #expect(saved.text.contains("Saved."))
            let preferences = try await app.store.emailPreferences(of: org.participant)
            #expect(
                preferences == [.matches: true, .relationships: false, .meetings: false, .messages: false, .nudges: false, .feedback: false, .programmes: true],
                "the category not offered keeps its setting")

            let token = try await app.store.createAPIToken(named: "phone", for: org.participant).secret
            let (read, body) = try await api(app, .get, "/api/v1/me/email-preferences", token: token)
            #expect(read.status == .ok)
            #expect(body["matches"] as? Bool == true)
            #expect(body["relationships"] as? Bool == false)
            #expect(body["programmes"] as? Bool == true)
            #expect(body["meetings"] as? Bool == false)
            let (bad, problem) = try await api(
                app, .put, "/api/v1/me/email-preferences", token: token, json: #"{"matches":true,"relationships":true,"programmes":true,"spam":true}"#)
            #expect(bad.status.code >= 400 && bad.status.code < 500)
            #expect((problem["detail"] as? String)?.contains("spam") == true)
            #expect(try await app.store.emailPreferences(of: org.participant)[.relationships] == false, "a refused body changes nothing")
            let (put, _) = try await api(
                app, .put, "/api/v1/me/email-preferences", token: token, json: #"{"matches":false,"relationships":true,"programmes":true}"#)
            #expect(put.status == .ok)
            // Meetings, messages, nudges and feedback, left out of the body, keep their setting (off, from the page above).
            #expect(
                try await app.store.emailPreferences(of: org.participant)
                    == [.matches: false, .relationships: true, .meetings: false, .messages: false, .nudges: false, .feedback: false, .programmes: true])
            let (meetings, answer) = try await api(
                app, .put, "/api/v1/me/email-preferences", token: token, json: #"{"matches":false,"relationships":true,"programmes":true,"meetings":true}"#)
            #expect(meetings.status == .ok && answer["meetings"] as? Bool == true)
            #expect(try await app.store.emailPreferences(of: org.participant)[.meetings] == true)
        }
    }

    @Test("An unsubscribe link asks first, turns its category off in one click without signing in, and a forged one is refused", arguments: TestBackend.all)
    func oneClickUnsubscribe(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let link = app.store.unsubscribeURL(personID: org.participant.personID, category: .matches)
            let path = String(link.dropFirst("http://mutual.test".count))
            let stranger = app.browser()

            let ask = try await stranger.get(path)
            #expect(ask.status == .ok)
            #expect(ask.text.contains(EmailCategory.matches.label))
            #expect(try await app.store.emailPreferences(of: org.participant)[.matches] == true, "opening the link changes nothing")

            // What a mail client sends for RFC 8058 one-click: a form post, no cookies, no token.
            let click = try await app.client.executeRequest(
                uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
            #expect(click.status == .ok)
            #expect(try await app.store.emailPreferences(of: org.participant)[.matches] == false)

            // Now a match email to this person is not even queued; an essential one still is.
            let recipient = EmailRecipient(personID: org.participant.personID, email: org.participantEmail, name: "Pat")
            let queued = try await app.store.transaction { database in
                [
                    try await app.store.queueEmail(
                        template: "match-declined", category: .matches, to: recipient, organisationID: org.admin.organisationID,
                        values: ["name": "Pat", "programme": "Peers", "decliner": "Ana", "link": "http://mutual.test/matches"], on: database),
                    try await app.store.queueEmail(
                        template: "invitation", category: .essential, to: recipient, organisationID: org.admin.organisationID,
                        values: ["link": "http://mutual.test/invitations/x", "role": "participant", "inviter": "Ada", "expires": "in 7 days"],
                        on: database),
                ]
            }
            #expect(queued == [false, true])

            let forged = path.dropLast(4) + "AAAA"
            let refused = try await stranger.post(String(forged), form: [:], csrf: false)
            #expect(refused.status == .gone)
            #expect(refused.text.contains("not valid"))
            let essential = path.replacingOccurrences(of: "/matches/", with: "/essential/")
            #expect(try await stranger.get(essential).status == .gone)
        }
    }

    @Test("Jobs: the admin sees failed work with its reason and retries it; the API lists by status; others are refused", arguments: TestBackend.all)
    func jobsPageAndAPI(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let failed = Job()
            failed.id = UUID()
            failed.organisationID = org.admin.organisationID
            // A kind no worker handles, so the retried job stays queued for the test to see.
            failed.kind = "test.unhandled"
            failed.payload = "{}"
            failed.subject = "email:invitation"
            failed.status = .failed
            failed.attempts = 30
            failed.maxAttempts = 30
            failed.runAt = app.clock.now
            failed.lastError = "The mail server smtp.acme.example:587 refused the connection."
            failed.createdAt = app.clock.now
            failed.finishedAt = app.clock.now
            try await failed.create(on: try app.store.db())
            let id = try failed.requireID()

            let token = try await app.store.createAPIToken(named: "ops", for: org.admin).secret
            let (list, body) = try await api(app, .get, "/api/v1/jobs?status=failed", token: token)
            #expect(list.status == .ok)
            let items = try #require(body["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["id"] as? String == id.uuidString)
            #expect(items.first?["last_error"] as? String == failed.lastError)
            let (badStatus, problem) = try await api(app, .get, "/api/v1/jobs?status=broken", token: token)
            #expect(badStatus.status == .badRequest || badStatus.status == .unprocessableContent)
            #expect((problem["detail"] as? String)?.contains("queued") == true, "the message lists the statuses there are")

            let admin = app.browser()
            try await admin.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            let page = try await admin.get("/admin/jobs?status=failed")
            #expect(page.status == .ok)
            #expect(page.text.contains("refused the connection"))
            let retried = try await admin.post("/admin/jobs/\(id.uuidString)/retry")
            #expect(retried.status == .ok)
            let row = try #require(try await Job.find(id, on: try app.store.db()))
            #expect(row.status == .queued)
            #expect(row.attempts == 0)
            #expect(try await admin.post("/admin/jobs/\(id.uuidString)/retry").status == .conflict, "a queued job cannot be retried")

            let participant = try await app.store.createAPIToken(named: "mine", for: org.participant).secret
            #expect(try await api(app, .get, "/api/v1/jobs", token: participant).0.status == .forbidden)
        }
    }

    @Test("The audit log shows who did what, filters by type, exports the same lines as CSV, and is the admin's alone", arguments: TestBackend.all)
    func auditLog(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await app.store.createProgramme(
                ProgrammeDraft(name: "Peer circle", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: org.manager)
            _ = programme
            try await app.store.runDueJobs()

            let admin = app.browser()
            try await admin.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            let page = try await admin.get("/admin/audit?type=programme.created")
            #expect(page.status == .ok)
            #expect(page.text.contains("created a programme") || page.text.contains("created the programme"))
            let csv = try await admin.get("/admin/audit.csv?type=programme.created")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = csv.text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
            #expect(lines.count == 2, "a header and the one event")
            #expect(lines.first?.hasPrefix("occurred_at,type,actor_person_id") == true)
            #expect(lines.last?.contains("programme.created") == true)

            let token = try await app.store.createAPIToken(named: "audit", for: org.admin).secret
            let (list, body) = try await api(app, .get, "/api/v1/audit?type=programme.created&person=\(org.manager.personID.uuidString)", token: token)
            #expect(list.status == .ok)
            let items = try #require(body["items"] as? [[String: Any]])
            #expect(items.count == 1)
            #expect(items.first?["actor_person_id"] as? String == org.manager.personID.uuidString)
            #expect((items.first?["payload"] as? [String: Any]) != nil)
            let (badDay, _) = try await api(app, .get, "/api/v1/audit?from=yesterday", token: token)
            #expect(badDay.status.code >= 400 && badDay.status.code < 500)
            // A day the calendar does not have is refused, not rolled over into the next month or year.
            for impossible in ["2026-13-01", "2026-02-30"] {
                let (response, problem) = try await api(app, .get, "/api/v1/audit?from=\(impossible)", token: token)
                #expect(response.status.code >= 400 && response.status.code < 500, "\(impossible) answered \(response.status)")
                #expect((problem["detail"] as? String)?.contains("is not a date") == true)
            }

            let manager = app.browser()
            try await manager.post("/sign-in", form: ["email": org.managerEmail, "password": Seeds.password])
            #expect(try await manager.get("/admin/audit").status == .forbidden)
        }
    }
}
