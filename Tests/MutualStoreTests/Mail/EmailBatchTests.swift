import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

/// `Store.queueEmails`: the batch the nudge scan queues its emails with, and what every single
/// `queueEmail` now goes through.
@Suite("Queueing many emails at once")
struct EmailBatchTests {
    @Test("A batch keeps each recipient's opt-outs, each organisation's name and each unique key, in order", arguments: TestBackend.all)
    func batchKeepsTheRules(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let acme = try await Seeds.organisation("Acme", in: store)
            let globex = try await Seeds.organisation("Globex", in: store)
            // Acme's participant turns nudges off; everything else stays on.
            try await store.setEmailPreferences(Set(EmailCategory.allCases).subtracting([.nudges]), of: acme.participant)
            func nudge(_ identity: Identity, _ email: String, key: String) -> PendingEmail {
                PendingEmail(
                    template: "nudge", category: .nudges, to: EmailRecipient(personID: identity.personID, email: email, name: "N"),
                    organisationID: identity.organisationID,
                    values: ["name": "N", "reasons": [["line": "a reason", "link": "https://x.example"]], "several": false, "link": "", "action": ""],
                    uniqueKey: key)
            }
            func invitation(_ identity: Identity, to email: String) -> PendingEmail {
                PendingEmail(
                    template: "invitation", category: .essential, to: EmailRecipient(personID: nil, email: email, name: nil),
                    organisationID: identity.organisationID,
                    values: ["inviter": "Someone", "role": "participant", "link": "https://x.example/i", "expires": "in 7 days"])
            }
            let queued = try await store.queueEmails(
                [
                    nudge(acme.participant, acme.participantEmail, key: "k1"),
                    nudge(acme.manager, acme.managerEmail, key: "k2"),
                    invitation(acme.admin, to: "new-acme@acme.example"),
                    invitation(globex.admin, to: "new-globex@globex.example"),
                    nudge(globex.participant, globex.participantEmail, key: "k2"),
                ], on: try database.database())
            #expect(queued == [false, true, true, true, true], "only the opted-out recipient is skipped")
            try await store.runDueJobs()
            // Seeding sent its own emails; a nudge starts "Good morning", the invitations go to new addresses.
            let outbox = try await store.outbox()
            let sent = outbox.filter { $0.body.hasPrefix("Good morning") || $0.recipient.hasPrefix("new-") }
            #expect(sent.count == 3, "two invitations and one nudge: \(sent.map(\.recipient))")
            #expect(!sent.contains { $0.recipient == acme.participantEmail }, "the opted-out participant got a nudge")
            #expect(sent.filter { $0.recipient == acme.managerEmail }.count == 1)
            #expect(!sent.contains { $0.recipient == globex.participantEmail }, "a second message with a unique key already taken is skipped")
            let acmeInvitation = try #require(sent.first { $0.recipient == "new-acme@acme.example" })
            let globexInvitation = try #require(sent.first { $0.recipient == "new-globex@globex.example" })
            #expect(acmeInvitation.body.contains("join Acme on Mutual"))
            #expect(globexInvitation.body.contains("join Globex on Mutual"), "each message names its own organisation")
        }
    }
}
