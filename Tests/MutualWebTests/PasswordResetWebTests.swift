import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// "Forgot your password?", the emailed link, and the admin's "Send a password reset link".
@Suite("Password reset through the pages and the API")
struct PasswordResetWebTests {
    /// The page with the parts that differ per request (CSRF tokens) taken out.
    static func comparable(_ html: String) -> String {
        html.replacing(/value="[A-Za-z0-9_.\-]{20,}"/, with: "value=\"…\"")
    }

    @Test("Forgot your password? answers the same for any address; the emailed link sets a new password and signs the old sessions out", arguments: TestBackend.all)
    func endToEnd(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let signedInElsewhere = app.browser()
            try await signedInElsewhere.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            #expect(try await signedInElsewhere.get("/dashboard").status == .ok)

            let browser = app.browser()
            #expect(try await browser.get("/sign-in").text.contains("href=\"/forgot-password\""))
            let known = try await browser.post("/forgot-password", form: ["email": org.participantEmail])
            let unknown = try await app.browser().post("/forgot-password", form: ["email": "nobody@acme.example"])
            #expect(known.status == .ok && unknown.status == .ok)
            #expect(known.text.contains("If an account uses that address, we have sent a link"))
            #expect(Self.comparable(known.text) == Self.comparable(unknown.text))
            let token = try #require(try await app.store.emailedSecret(under: "/password-reset/", to: org.participantEmail))
            // By now every queued email has gone out, and none to the unknown address.
            #expect(try await app.store.emailedSecret(under: "/password-reset/", to: "nobody@acme.example", wait: 0) == nil)
            #expect(try await app.store.outbox().contains { $0.body.contains("http://mutual.test/password-reset/\(token)") })

            let form = try await browser.get("/password-reset/\(token)")
            #expect(form.status == .ok && form.text.contains(org.participantEmail))
            let short = try await browser.post("/password-reset/\(token)", form: ["password": "short"])
            #expect(short.status == .unprocessableContent && short.text.contains("at least 10 characters"))
            let saved = try await browser.post("/password-reset/\(token)", form: ["password": "my-new-password-1"])
            #expect(saved.location == "/sign-in?reset=done")
            #expect(try await browser.get("/sign-in?reset=done").text.contains("Your new password is saved"))

            // The browser signed in before the reset is signed out.
            #expect(try await signedInElsewhere.get("/dashboard").location?.hasPrefix("/sign-in") == true)
            let again = try await browser.post("/sign-in", form: ["email": org.participantEmail, "password": "my-new-password-1"])
            #expect(again.location == "/dashboard")
            // The link works once.
            let reused = try await app.browser().get("/password-reset/\(token)")
            #expect(reused.status == .gone && reused.text.contains("already been used"))
            #expect(try await app.browser().post("/password-reset/\(token)", form: ["password": "another-password-2"]).status == .gone)
        }
    }

    @Test("An admin sends a member a reset link from the members page and through the API", arguments: TestBackend.all)
    func adminSendsLink(backend: TestBackend) async throws {
        try await withTestApp(backend, options: TestAppOptions(live: true)) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = app.browser()
            try await admin.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            #expect(try await admin.get("/admin/members").text.contains("/admin/members/\(org.participant.accountID)/password-reset"))
            let sent = try await admin.post("/admin/members/\(org.participant.accountID)/password-reset")
            #expect(sent.status == .ok && sent.text.contains("A password reset link was sent to \(org.participantEmail)"))
            #expect(try await app.store.emailedSecret(under: "/password-reset/", to: org.participantEmail) != nil)

            let token = try await app.store.createAPIToken(named: "script", for: org.admin).secret
            let response = try await app.client.executeRequest(
                uri: "/api/v1/members/\(org.manager.accountID)/password-reset", method: .post,
                headers: [.authorization: "Bearer \(token)"], body: nil)
            #expect(response.status == .accepted)
            let body = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
            #expect(body["email"] as? String == org.managerEmail && body["member_id"] as? String == org.manager.accountID.uuidString)
            #expect(!response.text.contains("password-reset/"), "the link is for the member's inbox only")
            #expect(try await app.store.emailedSecret(under: "/password-reset/", to: org.managerEmail) != nil)

            let participantToken = try await app.store.createAPIToken(named: "mine", for: org.participant).secret
            let refused = try await app.client.executeRequest(
                uri: "/api/v1/members/\(org.manager.accountID)/password-reset", method: .post,
                headers: [.authorization: "Bearer \(participantToken)"], body: nil)
            #expect(refused.status == .forbidden)
        }
    }
}
