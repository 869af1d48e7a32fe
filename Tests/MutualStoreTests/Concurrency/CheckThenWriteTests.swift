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

    @Test("50 parallel publishes of one run: one publishes, one set of matches, one match event each (so one email per person)", arguments: TestBackend.all)
    func publishOnce(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await ProgrammeSeeds.programme(store, org)
            let run = try await ProgrammeSeeds.run(store, programme, org)
            let groups = run.groups.count
            let successes = try await withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<50 {
                    group.addTask { try? await store.publishMatchRun(id: run.id, by: org.manager) }
                }
                return try await group.reduce(into: [Int]()) { if let count = $1 { $0.append(count) } }
            }
            #expect(successes == [groups])
            #expect(try await PublishedMatch.query(on: database.database()).filter(\.$runID == run.id).count() == groups)
            let events = try await DomainEvent.query(on: database.database()).filter(\.$type == EventType.matchPublished.rawValue).count()
            #expect(events == groups, "one event, so one email, per match")
        }
    }

    @Test("An edit racing a publish either lands before it or is refused: the published matches are the proposal", arguments: TestBackend.all)
    func editAgainstPublish(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await ProgrammeSeeds.programme(store, org)
            let run = try await ProgrammeSeeds.run(store, programme, org)
            let pair = try #require(run.groups.first { $0.members.count == 2 })
            async let edited: Void = { _ = try? await store.editProposal(runID: run.id, .breakPair(pair.members[0], pair.members[1]), by: org.manager) }()
            async let published: Void = { _ = try? await store.publishMatchRun(id: run.id, by: org.manager) }()
            _ = await (edited, published)
            let proposal = try await store.matchRun(id: run.id, of: org.manager).groups.map { Set($0.members) }
            let matches = try await PublishedMatch.query(on: database.database()).filter(\.$runID == run.id).all()
            var publishedGroups: [Set<String>] = []
            for match in matches {
                let members = try await MatchMember.query(on: database.database()).filter(\.$matchID == match.requireID()).all()
                var ids: Set<String> = []
                for member in members {
                    if let person = try await Person.find(member.personID, on: database.database()) { ids.insert(person.externalID) }
                }
                publishedGroups.append(ids)
            }
            #expect(Set(publishedGroups) == Set(proposal), "the published matches must be the run's proposal as it stands")
        }
    }
}
