import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

/// 50 requests at once at each path that checks and then writes, and the invariant it must keep.
@Suite("Checks and writes under concurrency")
struct CheckThenWriteTests {
    static func store(_ database: MutualDatabase) -> Store {
        Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
    }

    @Test("50 parallel agreement edits give 50 versions, contiguous, each with its own text", arguments: TestBackend.all)
    func agreementVersions(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await ProgrammeSeeds.relationship(store, org)
            let before = try await store.relationship(id: id, of: org.participant).agreementVersion
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let draft = AgreementDraft(
                            vision: "Vision number \(index)", goals: "", boundaries: "", confidentiality: "", cadence: "fortnightly",
                            structure: .informal)
                        try await store.updateAgreement(relationshipID: id, draft, by: index.isMultiple(of: 2) ? org.participant : org.manager)
                    }
                }
                try await group.waitForAll()
            }
            let after = try await store.relationship(id: id, of: org.participant)
            #expect(after.agreementVersion == before + 50, "50 different texts must be 50 versions")
            let versions = try await DomainEvent.query(on: database.database()).filter(\.$type == EventType.agreementChanged.rawValue).all()
                .compactMap { event -> Int? in
                    (try? JSONDecoder().decode([String: Int].self, from: Data(event.payload.utf8)))?["version"]
                }
            #expect(versions.sorted() == Array((before + 1)...(before + 50)), "each version is recorded once")
        }
    }

    @Test("Two admins demoting each other, 25 times each at once, leave the organisation an admin", arguments: TestBackend.all)
    func lastAdmin(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            _ = try await store.changeRole(ofMember: org.manager.accountID, to: .admin, by: org.admin)
            let second = try await Seeds.identity(for: try #require(try await Account.find(org.manager.accountID, on: database.database())), in: store)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let (target, by) = index.isMultiple(of: 2) ? (org.manager.accountID, org.admin) : (org.admin.accountID, second)
                        _ = try? await store.changeRole(ofMember: target, to: .participant, by: by)
                    }
                }
                try await group.waitForAll()
            }
            let admins = try await store.members(of: org.admin).filter { $0.role == .admin }
            #expect(admins.count == 1, "\(admins.count) admins left")
        }
    }

    @Test("50 parallel self-enrolments by one person: one succeeds, 49 are told they are enrolled, one row", arguments: TestBackend.all)
    func selfEnrolment(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await store.createProgramme(
                ProgrammeDraft(name: "Open", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31", selfEnrolment: true),
                objectives: [], by: org.manager)
            let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<50 {
                    group.addTask { (try? await store.enrolSelf(in: programme.id, role: nil, goals: "", by: org.participant)) != nil }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            #expect(try await store.enrolments(in: programme.id, by: org.manager).filter { $0.personID == org.participant.personID }.count == 1)
        }
    }
}
