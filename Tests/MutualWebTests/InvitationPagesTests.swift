import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("Inviting and accepting through the pages")
struct InvitationPagesTests {
    @Test("An admin invites by email; the link signs the new member in once", arguments: TestBackend.all)
    func inviteAndAccept(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = app.browser()
            try await admin.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            let invited = try await admin.post("/admin/members/invite", form: ["email": "Newbie@Acme.example", "role": "programme_manager"])
            #expect(invited.status == .ok)
            #expect(invited.text.contains("We emailed an invitation to newbie@acme.example"))
            // The link goes only by email to the invitee, never onto the admin's page.
            let secret = try #require(try await app.store.emailedSecret(under: "http://mutual.test/invitations/", to: "newbie@acme.example"))
            #expect(!invited.text.contains(secret))
            #expect(!invited.text.contains("id=\"invitation-link\""))
            let path = "/invitations/\(secret)"

            let newcomer = app.browser()
            let form = try await newcomer.get(path)
            #expect(form.status == .ok)
            #expect(form.text.contains("newbie@acme.example"))
            let short = try await newcomer.post(path, form: ["name": "Nia", "password": "short"])
            #expect(short.status == .unprocessableContent)
            #expect(short.text.contains("at least 10 characters"))
            let accepted = try await newcomer.post(path, form: ["name": "Nia Newbie", "password": Seeds.password])
            #expect(accepted.location == "/dashboard")
            #expect(try await newcomer.get("/dashboard").text.contains("Welcome, Nia"))

            let reused = try await app.browser().get(path)
            #expect(reused.status == .gone)
            #expect(reused.text.contains("already been used"))
            let members = try await app.store.members(of: org.admin)
            #expect(members.first { $0.email == "newbie@acme.example" }?.role == .programmeManager)
        }
    }

    @Test("Inviting an address that is already a member of this organisation is refused with a message")
    func inviteExistingAccount() async throws {
        try await withTestApp(.sqlite) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = app.browser()
            try await admin.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            let response = try await admin.post("/admin/members/invite", form: ["email": org.participantEmail, "role": "participant"])
            #expect(response.status == .conflict)
            #expect(response.text.contains("already a member of this organisation"))
        }
    }

    @Test("An unknown invitation link answers 410 with an explanation")
    func unknownLink() async throws {
        try await withTestApp(.sqlite) { app in
            _ = try await Seeds.organisation("Acme", in: app.store)
            let response = try await app.browser().get("/invitations/not-a-real-token")
            #expect(response.status == .gone)
            #expect(response.text.contains("role=\"alert\""))
        }
    }

    @Test("Admins change roles from the members page")
    func changeRole() async throws {
        try await withTestApp(.sqlite) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = app.browser()
            try await admin.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            let response = try await admin.post("/admin/members/\(org.participant.accountID)/role", form: ["role": "programme_manager"])
            #expect(response.status == .ok)
            #expect(try await app.store.member(id: org.participant.accountID, of: org.admin).role == .programmeManager)
            let last = try await admin.post("/admin/members/\(org.admin.accountID)/role", form: ["role": "participant"])
            #expect(last.status == .conflict)
            #expect(last.text.contains("only admin"))
        }
    }
}
