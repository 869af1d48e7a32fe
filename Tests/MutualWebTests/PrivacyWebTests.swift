import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import MutualWeb
import Testing

/// The privacy pages and API end to end: the person's export and deletion request, the admin's
/// erasure (page with a typed confirmation, and API), retention settings and the organisation export.
@Suite("Privacy pages and API")
struct PrivacyWebTests {
    @Test("GET /api/v1/me/export answers the caller's data as a JSON attachment", arguments: TestBackend.all)
    func personalExportDownload(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", scope: .read, for: org.participant).secret
            let (response, body) = try await app.callAPI(.get, "/api/v1/me/export", token: token)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.headers[.contentDisposition]?.hasPrefix("attachment") == true)
            #expect((body["profile"] as? [[String: Any]])?.first?["email"] as? String == org.participantEmail)
            #expect((body["api_tokens"] as? [[String: Any]])?.first?["name"] as? String == "t")
            #expect(!response.text.contains("token_digest"))
        }
    }

    @Test("An admin erases a person through POST /api/v1/people/{id}/erase; a participant's admin-less token is refused", arguments: TestBackend.all)
    func eraseThroughTheAPI(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let participantToken = try await app.store.createAPIToken(named: "p", scope: .write, for: org.participant).secret
            let (refused, _) = try await app.callAPI(.post, "/api/v1/people/\(org.manager.personID)/erase", token: participantToken)
            #expect(refused.status == .forbidden)
            let token = try await app.store.createAPIToken(named: "a", scope: .admin, for: org.admin).secret
            let (erased, body) = try await app.callAPI(.post, "/api/v1/people/\(org.participant.personID)/erase", token: token)
            #expect(erased.status == .ok)
            #expect(body["person_id"] as? String == org.participant.personID.uuidString.lowercased() || body["person_id"] as? String == org.participant.personID.uuidString)
            #expect(body["accounts"] as? Int == 1)
            let (again, _) = try await app.callAPI(.post, "/api/v1/people/\(org.admin.personID)/erase", token: token)
            #expect(again.status == .conflict, "an admin cannot erase themself")
            let (unknown, _) = try await app.callAPI(.post, "/api/v1/people/\(UUID())/erase", token: token)
            #expect(unknown.status == .notFound)
            // The participant's token went with their sign-in.
            let (gone, _) = try await app.callAPI(.get, "/api/v1/me/export", token: participantToken)
            #expect(gone.status == .unauthorized)
        }
    }

    @Test("The erase page needs the person's name typed exactly, then erases them", arguments: TestBackend.all)
    func erasePageConfirms(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = try await app.signedIn(org.adminEmail)
            let profile = try await admin.get("/people/\(org.participant.personID)")
            #expect(profile.text.contains("/people/\(org.participant.personID)/erase"))
            let page = try await admin.get("/people/\(org.participant.personID)/erase")
            #expect(page.status == .ok && page.text.contains("Type their name to confirm"))
            let wrong = try await admin.post("/people/\(org.participant.personID)/erase", form: ["confirm_name": "someone"])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("exactly as shown"))
            let done = try await admin.post("/people/\(org.participant.personID)/erase", form: ["confirm_name": org.participant.name])
            #expect(done.status == .ok && done.text.contains("was erased"))
            let members = try await app.store.members(of: org.admin)
            #expect(!members.contains { $0.personID == org.participant.personID })
            try await app.store.runDueJobs()
            let audit = try await admin.get("/admin/audit")
            #expect(audit.text.contains("erased a person"))
        }
    }

    @Test("After the other member is erased, the participant's relationship page still opens and names them a former member", arguments: TestBackend.all)
    func relationshipPageAfterErasure(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (_, relationship) = try await ProgrammeSeeds.relationship(app.store, org)
            _ = try await app.store.postMessage(in: relationship, body: "Hello from \(org.manager.name)", by: org.manager)
            _ = try await app.store.erasePerson(org.manager.personID, by: org.admin)
            let participant = try await app.signedIn(org.participantEmail)
            let page = try await participant.get("/relationships/\(relationship)")
            #expect(page.status == .ok)
            #expect(page.text.contains(Store.formerMemberName))
            #expect(!page.text.contains(org.manager.name))
            #expect(page.text.contains(Store.removedMessage), "the thread keeps the erased member's message as removed")
        }
    }

    @Test("A participant asks for deletion and cancels it from their account page; the admin sees it pending in between", arguments: TestBackend.all)
    func deletionRequestPages(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let participant = try await app.signedIn(org.participantEmail)
            let unticked = try await participant.post("/account/privacy/deletion", form: [:])
            #expect(unticked.status == .unprocessableContent)
            let asked = try await participant.post("/account/privacy/deletion", form: ["confirm": "yes"])
            #expect(asked.status == .ok && asked.text.contains("will be deleted on"))
            let admin = try await app.signedIn(org.adminEmail)
            let adminPage = try await admin.get("/admin/privacy")
            #expect(adminPage.text.contains(org.participant.name))
            let cancelled = try await participant.post("/account/privacy/deletion/cancel", form: [:])
            #expect(cancelled.status == .ok && cancelled.text.contains("Deletion cancelled"))
            let download = try await participant.get("/account/privacy/export")
            #expect(download.status == .ok && download.headers[.contentDisposition]?.contains("mutual-my-data.json") == true)
        }
    }

    @Test("An admin saves retention settings (a wrong value is explained) and downloads the organisation export", arguments: TestBackend.all)
    func adminPrivacyPage(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = try await app.signedIn(org.adminEmail)
            let bad = try await admin.post("/admin/privacy", form: ["feedback_comment_months": "soon", "sent_mail_days": ""])
            #expect(bad.status == .unprocessableContent && bad.text.contains("whole number"))
            let saved = try await admin.post("/admin/privacy", form: ["feedback_comment_months": "12", "sent_mail_days": "90"])
            #expect(saved.status == .ok && saved.text.contains("Retention settings saved"))
            #expect(try await app.store.retentionSettings(organisationID: org.admin.organisationID) == RetentionSettings(feedbackCommentMonths: 12, sentMailDays: 90))
            let export = try await admin.get("/admin/privacy/export")
            #expect(export.status == .ok)
            let object = try JSONSerialization.jsonObject(with: Data(export.text.utf8)) as? [String: Any]
            #expect((object?["tables"] as? [String: Any])?["people"] != nil)
            let token = try await app.store.createAPIToken(named: "a", scope: .admin, for: org.admin).secret
            let (api, body) = try await app.callAPI(.get, "/api/v1/organisation/export", token: token)
            #expect(api.status == .ok && (body["tables"] as? [String: Any])?["programmes"] != nil)
        }
    }
}
