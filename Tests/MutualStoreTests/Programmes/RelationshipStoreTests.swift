import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("Relationships and their agreements")
struct RelationshipStoreTests {
    /// The relationship from the accounts programme, checking on the way that a match has no
    /// relationship until everyone accepted.
    static func acceptedRelationship(_ store: Store, _ org: SeededOrganisation) async throws -> (ProgrammeDetail, UUID) {
        let (programme, id) = try await ProgrammeSeeds.relationship(store, org)
        #expect(try await store.myMatches(of: org.participant).first?.status == .accepted)
        return (programme, id)
    }

    @Test("An accepted match becomes a relationship its members and the manager can open, nobody else", arguments: TestBackend.all)
    func acceptedMatchBecomesRelationship(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let (programme, id) = try await Self.acceptedRelationship(store, org)
            let view = try await store.relationship(id: id, of: org.participant)
            #expect(view.status == .active && view.programmeID == programme.id)
            #expect(view.members.map(\.name) == ["Pia Participant", "Max Manager"] || view.members.map(\.name) == ["Max Manager", "Pia Participant"])
            #expect(view.members.filter(\.isViewer).map(\.name) == ["Pia Participant"])
            // What each can teach the other, in the engine's words, both ways.
            #expect(view.teaching.contains { $0.hasPrefix("Pia Participant (Statistics 4)") })
            #expect(view.teaching.contains { $0.hasPrefix("Max Manager (Hiring 4)") })
            #expect(view.reasons.contains { $0.contains("Statistics") })
            #expect(!view.isSigned && view.agreementVersion == 1)
            #expect(try await store.myRelationships(of: org.manager).map(\.id) == [id])
            #expect(try await store.relationships(in: programme.id, by: org.manager).map(\.memberNames.count) == [2])

            // The admin manages programmes too, so may read it; another participant or
            // another organisation gets "not found".
            _ = try await store.relationship(id: id, of: org.admin)
            let other = try await Seeds.participant("Olga", in: org, store: store, strengths: [], wants: [])
            await #expect(throws: StoreError.notFound(what: "relationship")) { _ = try await store.relationship(id: id, of: other) }
            let globex = try await Seeds.organisation("Globex", in: store)
            await #expect(throws: StoreError.notFound(what: "relationship")) { _ = try await store.relationship(id: id, of: globex.manager) }
            await #expect(throws: StoreError.notFound(what: "relationship")) {
                try await store.changeRelationship(id: id, to: .dissolved, by: globex.admin)
            }
        }
    }

    @Test("Members fill in the agreement together and each signs the version they read", arguments: TestBackend.all)
    func agreementAndSignatures(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await Self.acceptedRelationship(store, org)
            // Nothing to sign before the vision is written.
            await #expect(throws: StoreError.self) { try await store.signAgreement(relationshipID: id, version: 1, by: org.participant) }

            let draft = AgreementDraft(
                vision: "Both of us hire and analyse with confidence by July.", goals: "Run my first structured interview",
                boundaries: "No salary talk", confidentiality: "What we discuss stays between us", cadence: "Every two weeks, 45 minutes",
                structure: .formal)
            try await store.updateAgreement(relationshipID: id, draft, by: org.participant)
            var view = try await store.relationship(id: id, of: org.manager)
            #expect(view.agreementVersion == 2 && view.vision == draft.vision && view.structure == .formal && view.boundaries == "No salary talk")
            #expect(view.members.first { $0.name == "Pia Participant" }?.goals == "Run my first structured interview")
            // Saving the same words again is not a new version.
            try await store.updateAgreement(relationshipID: id, draft, by: org.participant)
            #expect(try await store.relationship(id: id, of: org.participant).agreementVersion == 2)

            // Signing an old version is refused; the current one is accepted.
            await #expect(throws: StoreError.self) { try await store.signAgreement(relationshipID: id, version: 1, by: org.participant) }
            try await store.signAgreement(relationshipID: id, version: 2, by: org.participant)
            view = try await store.relationship(id: id, of: org.participant)
            #expect(view.viewerSigned && !view.isSigned)

            // The other member adds their goals: a new version, so the first signature lapses.
            var theirs = draft
            theirs.goals = "Read a regression output without help"
            try await store.updateAgreement(relationshipID: id, theirs, by: org.manager)
            view = try await store.relationship(id: id, of: org.participant)
            #expect(view.agreementVersion == 3 && !view.viewerSigned)
            #expect(view.members.map(\.goals).sorted() == ["Read a regression output without help", "Run my first structured interview"])
            try await store.signAgreement(relationshipID: id, version: 3, by: org.participant)
            try await store.signAgreement(relationshipID: id, version: 3, by: org.manager)
            #expect(try await store.relationship(id: id, of: org.participant).isSigned)
            #expect(try await store.myRelationships(of: org.participant).first?.isSigned == true)

            // Too long a field is refused with the field named, and nothing changes.
            var long = draft
            long.boundaries = String(repeating: "x", count: Store.agreementFieldLimit + 1)
            await #expect(throws: StoreError.invalid(field: "boundaries", message: "Shorten the boundaries to at most 4,000 characters; it has 4,001.")) {
                try await store.updateAgreement(relationshipID: id, long, by: org.participant)
            }
            #expect(try await store.relationship(id: id, of: org.participant).agreementVersion == 3)
        }
    }

    @Test("The admin (not a member) reads the agreement but cannot write or sign it", arguments: TestBackend.all)
    func onlyMembersWrite(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await Self.acceptedRelationship(store, org)
            let draft = AgreementDraft(vision: "v", goals: "", boundaries: "", confidentiality: "", cadence: "monthly", structure: .informal)
            await #expect(throws: StoreError.self) { try await store.updateAgreement(relationshipID: id, draft, by: org.admin) }
            await #expect(throws: StoreError.self) { try await store.signAgreement(relationshipID: id, version: 1, by: org.admin) }
            #expect(try await store.relationship(id: id, of: org.admin).agreementVersion == 1)
        }
    }

    @Test("Pause and resume keep the place; dissolving returns both to the pool and keeps them apart", arguments: TestBackend.all)
    func statusAndUnwinding(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let (programme, id) = try await Self.acceptedRelationship(store, org)
            try await store.changeRelationship(id: id, to: .paused, by: org.participant)
            await #expect(throws: StoreError.self) { try await store.changeRelationship(id: id, to: .paused, by: org.participant) }
            // Paused people are still taken: C1 and D1 have a pending match, so nobody is free.
            #expect(try await ProgrammeSeeds.run(store, programme, org).participants == 0)
            try await store.changeRelationship(id: id, to: .active, by: org.manager)

            try await store.changeRelationship(id: id, to: .dissolved, reason: "We never found a time", by: org.participant)
            let view = try await store.relationship(id: id, of: org.manager)
            #expect(view.status == .dissolved && view.endReason == "We never found a time" && view.endedAt != nil)
            // Ended is final; the agreement is frozen.
            await #expect(throws: StoreError.self) { try await store.changeRelationship(id: id, to: .active, by: org.manager) }
            let draft = AgreementDraft(vision: "v", goals: "", boundaries: "", confidentiality: "", cadence: "monthly", structure: .informal)
            await #expect(throws: StoreError.self) { try await store.updateAgreement(relationshipID: id, draft, by: org.participant) }

            // Back in the pool, with the history kept: the re-run has both, and pairs them with nobody.
            let rerun = try await ProgrammeSeeds.run(store, programme, org)
            #expect(rerun.participants == 2 && rerun.matched == 0)
        }
    }

    @Test("A programme manager can unwind a relationship; a completed one frees its members too", arguments: TestBackend.all)
    func managerUnwindsAndCompletion(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let (programme, id) = try await Self.acceptedRelationship(store, org)
            await #expect(throws: StoreError.self) {
                try await store.changeRelationship(id: id, to: .completed, reason: String(repeating: "r", count: 1_001), by: org.manager)
            }
            try await store.changeRelationship(id: id, to: .completed, by: org.manager)
            #expect(try await store.relationship(id: id, of: org.participant).status == .completed)
            #expect(try await store.relationships(in: programme.id, by: org.manager).first?.status == .completed)
            let rerun = try await ProgrammeSeeds.run(store, programme, org)
            #expect(rerun.participants == 2 && rerun.matched == 0)
        }
    }
}
