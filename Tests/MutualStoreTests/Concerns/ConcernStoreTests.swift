import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import SQLKit
import Testing

@Suite("Ethics: confidential concerns and leaving without fault")
struct ConcernStoreTests {
    @Test("A concern reaches only the programme's support contact; its event and email carry neither the person nor the words", arguments: TestBackend.all)
    func concernIsConfidential(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            let store = pair.store, org = pair.org, pool = pair.pool
            let programmeID = pool.programme.id
            // A participant cannot be the contact; a manager can.
            await #expect(throws: StoreError.self) {
                try await store.setSupportContact(programmeID: programmeID, personID: pool.bo.personID, by: org.manager)
            }
            try await store.setSupportContact(programmeID: programmeID, personID: org.manager.personID, by: org.manager)
            #expect(try await store.supportContact(programmeID: programmeID, of: pool.ari)?.personID == org.manager.personID)

            let words = "Xena keeps cancelling at the last minute"
            let readers = try await store.raiseConcern(programmeID: programmeID, relationshipID: pair.relationshipID, text: words, by: pool.ari)
            #expect(readers == "Acme Manager")
            let read = try await store.concerns(of: org.manager)
            #expect(read.count == 1 && read[0].body == words && read[0].raisedByName == "Ari" && read[0].relationshipID == pair.relationshipID)
            // Nobody else reads it: not the admin (a contact is named), not the other member.
            #expect(try await store.concerns(of: org.admin).isEmpty)
            await #expect(throws: StoreError.self) { _ = try await store.concerns(of: pool.xena) }
            // Someone not taking part cannot raise one; an empty one is refused with what to do.
            await #expect(throws: StoreError.self) { _ = try await store.raiseConcern(programmeID: programmeID, relationshipID: nil, text: "x", by: org.admin) }
            await #expect(throws: StoreError.self) { _ = try await store.raiseConcern(programmeID: programmeID, relationshipID: nil, text: "  ", by: pool.ari) }

            let sql = try database.sql()
            let events = try await sql.select().columns("actor_person_id", "subject_id", "payload").from("domain_events")
                .where("type", .equal, "concern.raised").all()
            #expect(events.count == 1)
            let payload = try events[0].decode(column: "payload", as: String.self)
            #expect(try events[0].decode(column: "actor_person_id", as: UUID?.self) == nil)
            #expect(try events[0].decode(column: "subject_id", as: String.self) == programmeID.uuidString.lowercased())
            #expect(!payload.contains("cancelling") && !payload.lowercased().contains(pool.ari.personID.uuidString.lowercased()))
            let mail = try await store.outboxAfterJobs().filter { $0.subject.contains("A concern was raised") }
            #expect(mail.count == 1 && mail[0].recipient == org.managerEmail)
            #expect(!mail[0].body.contains("cancelling") && !mail[0].body.contains("Ari"))

            try await store.resolveConcern(id: read[0].id, by: org.manager)
            #expect(try await store.concerns(of: org.manager).first?.resolvedAt != nil)
            await #expect(throws: StoreError.self) { try await store.resolveConcern(id: read[0].id, by: org.admin) }
        }
    }

    @Test("Without a named contact the organisation's admins read concerns", arguments: TestBackend.all)
    func adminsReadWithoutContact(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            let readers = try await pair.store.raiseConcern(programmeID: pair.pool.programme.id, relationshipID: nil, text: "The agenda never fits", by: pair.pool.xena)
            #expect(readers == "Acme Admin")
            #expect(try await pair.store.concerns(of: pair.org.admin).map(\.body) == ["The agenda never fits"])
            #expect(try await pair.store.concerns(of: pair.org.manager).isEmpty)
        }
    }

    @Test("A member who leaves is not blamed: the other member does not see the reason; the leaver and managers do", arguments: TestBackend.all)
    func leavingWithoutFault(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            let store = pair.store, id = pair.relationshipID
            try await store.changeRelationship(id: id, to: .dissolved, reason: "Our styles did not fit", by: pair.pool.ari)
            #expect(try await store.relationship(id: id, of: pair.pool.xena).endReason == "")
            #expect(try await store.relationship(id: id, of: pair.pool.xena).status == .dissolved)
            #expect(try await store.relationship(id: id, of: pair.pool.ari).endReason == "Our styles did not fit")
            #expect(try await store.relationship(id: id, of: pair.org.manager).endReason == "Our styles did not fit")
        }
    }
}
