import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// One login in several organisations, through the pages and the API.
@Suite("Choosing and switching organisation")
struct OrganisationSwitchWebTests {
    /// Acme and Bolt, with Acme's participant also a programme manager of Bolt.
    static func twoOrganisations(_ app: TestApp) async throws -> (SeededOrganisation, SeededOrganisation, UUID) {
        let a = try await Seeds.organisation("Acme", in: app.store)
        let b = try await Seeds.organisation("Bolt", in: app.store)
        let issued = try await app.store.invite(email: a.participantEmail, role: .programmeManager, by: b.admin) {
            "http://mutual.test/invitations/\($0)"
        }
        let inBolt = try await app.store.acceptInvitation(token: issued.token, name: "Acme Participant", password: Seeds.password)
        return (a, b, try inBolt.requireID())
    }

    @Test("A login with two memberships chooses after sign-in and switches from the menu", arguments: TestBackend.all)
    func chooseAndSwitch(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let (a, _, boltID) = try await Self.twoOrganisations(app)
            let browser = app.browser()
            let signedIn = try await browser.post("/sign-in", form: ["email": a.participantEmail, "password": Seeds.password, "next": "/programmes"])
            #expect(signedIn.status == .seeOther || signedIn.status == .found)
            #expect(signedIn.location == "/organisations?next=%2Fprogrammes")
            let choose = try await browser.get(try #require(signedIn.location))
            #expect(choose.status == .ok)
            #expect(choose.text.contains("Choose an organisation") && choose.text.contains("Acme") && choose.text.contains("Bolt"))
            #expect(choose.text.contains(boltID.uuidString))

            let chosen = try await browser.post("/organisations/switch", form: ["account_id": boltID.uuidString, "next": "/programmes"])
            #expect(chosen.location == "/programmes")
            let dashboard = try await browser.get("/dashboard")
            #expect(dashboard.text.contains("Bolt") && dashboard.text.contains("Switch organisation"))
            // Manager pages of Bolt now open (the Acme membership is a participant).
            #expect(try await browser.get("/skills/map").status == .ok)

            let back = try await browser.post("/organisations/switch", form: ["account_id": a.participant.accountID.uuidString])
            #expect(back.location == "/dashboard")
            #expect(try await browser.get("/skills/map").status == .forbidden)
        }
    }

    @Test("Switching to a membership of another login is refused and changes nothing", arguments: TestBackend.all)
    func switchToOtherLoginRefused(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let (a, b, _) = try await Self.twoOrganisations(app)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": a.participantEmail, "password": Seeds.password])
            for other in [b.admin.accountID, a.admin.accountID, UUID()] {
                let refused = try await browser.post("/organisations/switch", form: ["account_id": other.uuidString])
                #expect(refused.status == .notFound)
                #expect(refused.location == nil)
            }
            let garbage = try await browser.post("/organisations/switch", form: ["account_id": "not-an-id"])
            #expect(garbage.status == .unprocessableContent)
            // Still the participant's own membership, not an admin's.
            #expect(try await browser.get("/admin/members").status == .forbidden)
            // Without the CSRF token the switch does not happen at all.
            #expect(try await browser.post("/organisations/switch", form: ["account_id": a.participant.accountID.uuidString], csrf: false).status == .forbidden)
        }
    }

    @Test("A login with one membership signs straight in; the menu offers no switch", arguments: TestBackend.all)
    func singleMembership(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            let signedIn = try await browser.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            #expect(signedIn.location == "/dashboard")
            #expect(!(try await browser.get("/dashboard").text.contains("Switch organisation")))
        }
    }

    @Test("Inviting an address with a login elsewhere answers exactly as for a fresh address", arguments: TestBackend.all)
    func inviteAnswersTheSame(backend: TestBackend) async throws {
        try await withTestApp(backend, options: TestAppOptions(live: true)) { app in
            let a = try await Seeds.organisation("Acme", in: app.store)
            let b = try await Seeds.organisation("Bolt", in: app.store)
            let token = try await app.store.createAPIToken(named: "script", for: b.admin).secret
            func invite(_ email: String) async throws -> (HTTPResponse.Status, [String]) {
                let response = try await app.client.executeRequest(
                    uri: "/api/v1/invitations", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(string: #"{"email":"\#(email)","role":"participant"}"#))
                let object = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
                return (response.status, object.keys.sorted())
            }
            let existing = try await invite(a.participantEmail)
            let fresh = try await invite("nobody-yet@elsewhere.example")
            #expect(existing.0 == .created)
            #expect(existing.0 == fresh.0 && existing.1 == fresh.1)
            // The page answers the same too.
            let admin = app.browser()
            try await admin.post("/sign-in", form: ["email": b.adminEmail, "password": Seeds.password])
            let page = try await admin.post("/admin/members/invite", form: ["email": a.managerEmail, "role": "participant"])
            #expect(page.status == .ok && page.text.contains("We emailed an invitation to \(a.managerEmail)"))
        }
    }

    @Test("An invitee signed in with the invited login accepts with one click and lands in the new organisation", arguments: TestBackend.all)
    func acceptWhileSignedIn(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let a = try await Seeds.organisation("Acme", in: app.store)
            let b = try await Seeds.organisation("Bolt", in: app.store)
            let issued = try await app.store.invite(email: a.participantEmail, role: .participant, by: b.admin) {
                "http://mutual.test/invitations/\($0)"
            }
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": a.participantEmail, "password": Seeds.password])
            let page = try await browser.get("/invitations/\(issued.token)")
            #expect(page.text.contains("the one you are signed in with"))
            #expect(!page.text.contains("name=\"password\""))
            let accepted = try await browser.post("/invitations/\(issued.token)")
            #expect(accepted.location == "/dashboard")
            #expect(try await browser.get("/dashboard").text.contains("Bolt"))

            // Someone else signed in cannot accept another address's invitation without its password.
            let other = try await app.store.invite(email: "someone@bolt.example", role: .participant, by: b.admin) {
                "http://mutual.test/invitations/\($0)"
            }
            let intruder = app.browser()
            try await intruder.post("/sign-in", form: ["email": b.participantEmail, "password": Seeds.password])
            #expect(try await intruder.get("/invitations/\(other.token)").text.contains("name=\"password\""))
        }
    }
}
