import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import SQLKit
import Testing

@Suite("Bulk invitations, reminders and who can sign in")
struct BulkInvitationStoreTests {
    static let link: @Sendable (String) -> String = { "http://mutual.test/invitations/\($0)" }

    /// Six people: four in Data (one without an address), two in Sales.
    static let people = """
        id,name,email,department,level,timezone,languages,strengths,wants
        P1,Ada Lovelace,ada@acme.example,Data,3,Europe/Lisbon,en,SQL:4,Python:1
        P2,Bea Brown,bea@acme.example,Data,2,Europe/Lisbon,en,Python:4,SQL:1
        P3,Cal Chen,cal@acme.example,Data,3,Europe/Lisbon,en,SQL:2,
        P4,Dot Diaz,,Data,3,Europe/Lisbon,en,SQL:3,
        P5,Eve Evans,eve@acme.example,Sales,3,Europe/Lisbon,en,Negotiation:4,
        P6,Fin Ford,fin@acme.example,Sales,4,Europe/Lisbon,en,Negotiation:2,

        """

    static func store(_ database: MutualDatabase, clock: TestClock) -> Store {
        Store(database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
    }

    @Test("Inviting everyone without an account: one invitation per address, none twice, the filters and the pasted list hold", arguments: TestBackend.all)
    func bulkInvitation(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            _ = try await store.importPeople(into: org.admin.organisationID, csv: Self.people, options: .init(mode: .allOrNothing))
            // Cal was invited one by one before.
            _ = try await store.invite(email: "cal@acme.example", role: .participant, by: org.admin, acceptURL: Self.link)

            let data = try await store.inviteInBulk(InvitationAudience(department: "Data"), by: org.admin, acceptURL: Self.link)
            #expect(data.invited == 2)  // Ada, Bea
            #expect(data.alreadyInvited == 1)  // Cal
            #expect(data.withoutEmail == 1)  // Dot
            #expect(data.alreadyMembers == 0)

            // The pasted list narrows to the people it names and reports what it could not find.
            let pasted = try await store.inviteInBulk(
                InvitationAudience(pastedList: "P5\nada@acme.example, nobody@acme.example; P99"), by: org.admin, acceptURL: Self.link)
            #expect(pasted.invited == 1)  // Eve
            #expect(pasted.alreadyInvited == 1)  // Ada
            #expect(pasted.unknownEntries == ["nobody@acme.example", "P99"])

            // Everyone: only Fin is left; the seeded members have accounts.
            let everyone = try await store.inviteInBulk(InvitationAudience(), by: org.admin, acceptURL: Self.link)
            #expect(everyone.invited == 1)
            #expect(everyone.alreadyMembers == 3)

            // One pending invitation per address, each naming its directory person, each emailed once.
            let invitations = try await Invitation.query(on: database.database()).filter(\.$organisationID == org.admin.organisationID).all()
            let pending = invitations.filter { $0.status(at: clock.now) == .pending }
            #expect(Set(pending.map(\.email)) == ["ada@acme.example", "bea@acme.example", "cal@acme.example", "eve@acme.example", "fin@acme.example"])
            #expect(pending.count == 5)
            #expect(pending.filter { $0.email != "cal@acme.example" }.allSatisfy { $0.personID != nil && $0.expiresAt == $0.createdAt.addingTimeInterval(14 * 86_400) })
            let outbox = try await store.outboxAfterJobs()
            for email in ["ada@acme.example", "bea@acme.example", "eve@acme.example", "fin@acme.example"] {
                let messages = outbox.filter { $0.recipient == email }
                #expect(messages.count == 1, "\(email) got \(messages.count) emails")
                #expect(messages.first?.body.contains("for 14 days") == true)
            }
            // A filter naming a skill nobody has selects nobody, and the answer says why.
            let typo = try await store.inviteInBulk(InvitationAudience(skill: "Pyhton"), by: org.admin, acceptURL: Self.link)
            #expect(typo.invited == 0)
            #expect(typo.notes.first?.contains("No skill called \"Pyhton\"") == true)
            // Only admins invite.
            await #expect(throws: StoreError.self) {
                _ = try await store.inviteInBulk(InvitationAudience(), by: org.manager, acceptURL: Self.link)
            }
            let bulkEvents = try await database.sql().select().column("payload").from("domain_events")
                .where("type", .equal, "invitations.sent_in_bulk").all()
            #expect(bulkEvents.count == 3)
        }
    }

    @Test("After 7 days a pending invitation is reminded once with the same link; an accepted one is not", arguments: TestBackend.all)
    func reminder(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            _ = try await store.importPeople(into: org.admin.organisationID, csv: Self.people, options: .init(mode: .allOrNothing))
            _ = try await store.inviteInBulk(InvitationAudience(pastedList: "P1,P2"), by: org.admin, acceptURL: Self.link)
            let adaToken = try #require(try await store.emailedSecret(under: "/invitations/", to: "ada@acme.example"))
            let beaToken = try #require(try await store.emailedSecret(under: "/invitations/", to: "bea@acme.example"))
            _ = try await store.acceptInvitation(token: beaToken, name: "Bea Brown", password: Seeds.password)

            clock.advance(by: 6 * 86_400)
            try await store.runDueJobs()
            #expect(try await store.outbox().filter { $0.subject.hasPrefix("Reminder") }.isEmpty)
            clock.advance(by: 86_400 + 60)
            try await store.runDueJobs()
            clock.advance(by: 86_400)
            try await store.runDueJobs()
            let reminders = try await store.outbox().filter { $0.subject.hasPrefix("Reminder") }
            #expect(reminders.map(\.recipient) == ["ada@acme.example"])
            // The reminder's link is the first email's: the same token, still working.
            #expect(reminders.first?.body.contains("/invitations/\(adaToken)") == true)
            let account = try await store.acceptInvitation(token: adaToken, name: "Ada Lovelace", password: Seeds.password)
            let ada = try await Person.query(on: database.database()).filter(\.$externalID == "P1").first()
            #expect(account.personID == ada?.id)
        }
    }

    @Test("A published match reaches someone without an account as an invitation link, which joins them as that person", arguments: TestBackend.all)
    func matchEmailInvites(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await ProgrammeSeeds.accountsProgramme(store, org)
            // C1 and D1 have no account; give them addresses.
            let sql = try database.sql()
            try await sql.update("people").set("email", to: SQLBind("caro@acme.example")).where("external_id", .equal, SQLBind("C1")).run()
            try await sql.update("people").set("email", to: SQLBind("dev@acme.example")).where("external_id", .equal, SQLBind("D1")).run()
            let run = try await ProgrammeSeeds.run(store, programme, org)
            _ = try await store.publishMatchRun(id: run.id, by: org.manager)
            let outbox = try await store.outboxAfterJobs()
            let caro = try #require(outbox.first { $0.recipient == "caro@acme.example" && $0.subject.hasPrefix("Your match") })
            #expect(caro.body.contains("You do not have a Mutual account yet"))
            #expect(caro.body.contains("/invitations/"))
            // The participant, who has an account, gets the ordinary link.
            let pia = try #require(outbox.first { $0.recipient == org.participantEmail && $0.subject.hasPrefix("Your match") })
            #expect(pia.body.contains("/matches") && !pia.body.contains("/invitations/"))
            // Re-running the consumer (at-least-once delivery) makes no second invitation.
            #expect(try await Invitation.query(on: database.database()).filter(\.$email == "caro@acme.example").count() == 1)
            let token = try #require(try await store.emailedSecret(under: "/invitations/", to: "caro@acme.example"))
            let account = try await store.acceptInvitation(token: token, name: "Caro", password: Seeds.password)
            let person = try await Person.query(on: database.database()).filter(\.$externalID == "C1").first()
            #expect(account.personID == person?.id)
            let identity = try await Seeds.identity(for: account, in: store)
            #expect(try await store.myMatches(of: identity).count == 1)
        }
    }

    @Test("Who can sign in: each status counted, and 130 people paged by name with no one missed or repeated", arguments: TestBackend.all)
    func memberAccess(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            var csv = "id,name,email,department,level,timezone,languages,strengths,wants\n"
            for index in 0..<126 {
                // Repeated names, so the cursor's tie-break on id is exercised.
                csv += "X\(index),Person \(index % 40),\(index == 0 ? "" : "p\(index)@acme.example"),Data,3,Europe/Lisbon,en,SQL:3,\n"
            }
            _ = try await store.importPeople(into: org.admin.organisationID, csv: csv, options: .init(mode: .allOrNothing))
            _ = try await store.inviteInBulk(InvitationAudience(pastedList: "X1,X2"), by: org.admin, acceptURL: Self.link)
            _ = try await store.invite(email: "p3@acme.example", role: .participant, by: org.admin, acceptURL: Self.link)
            // X3's one-by-one invitation lasts 7 days; after 8 it has expired.
            clock.advance(by: 8 * 86_400)
            // The admin signs in; the two other members joined without a session since.
            _ = try await store.startSession(for: try #require(try await Account.find(org.admin.accountID, on: database.database())))
            let first = try await store.memberAccess(limit: 50, of: org.admin)
            #expect(first.total == 129)
            #expect(first.counts[.signedIn] == 1)
            #expect(first.counts[.neverSignedIn] == 2)
            #expect(first.counts[.invited] == 2)
            #expect(first.counts[.invitationExpired] == 1)
            #expect(first.counts[.noEmail] == 1)
            #expect(first.counts[.noAccount] == 122)
            var seen: [UUID] = []
            var page = first
            while true {
                seen += page.lines.map(\.personID)
                guard let next = page.next else { break }
                page = try await store.memberAccess(after: next, limit: 50, of: org.admin)
            }
            #expect(seen.count == 129)
            #expect(Set(seen).count == 129)
            let invited = try await store.memberAccess(status: .invited, of: org.admin)
            #expect(invited.lines.map(\.email) == ["p1@acme.example", "p2@acme.example"])
            #expect(invited.lines.allSatisfy { $0.invitedAt != nil && $0.invitationExpiresAt != nil })
            let search = try await store.memberAccess(text: "PERSON 39", of: org.admin)
            #expect(search.lines.count == 3)  // 39, 79, 119
            await #expect(throws: StoreError.self) { _ = try await store.memberAccess(after: "not-a-cursor", of: org.admin) }
            await #expect(throws: StoreError.self) { _ = try await store.memberAccess(of: org.manager) }
            // An expired invitation gives way to a new one for the same address.
            let again = try await store.inviteInBulk(InvitationAudience(pastedList: "X3"), by: org.admin, acceptURL: Self.link)
            #expect(again.invited == 1)
        }
    }
}
