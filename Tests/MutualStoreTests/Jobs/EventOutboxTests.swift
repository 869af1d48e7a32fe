import FluentKit
import Foundation
import Logging
import MutualTestSupport
import SQLKit
import Testing

@testable import MutualStore

/// Domain events as a transactional outbox: an event exists exactly when its change does, and
/// its consumers are idempotent.
@Suite("Domain events and the audit log")
struct EventOutboxTests {
    struct Rollback: Error {}

    @Test("An event rolls back with its change, and commits with its consumers' jobs", arguments: TestBackend.all)
    func eventFollowsItsTransaction(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: Logger(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            try await store.runDueJobs()
            let eventsBefore = try await DomainEvent.query(on: try store.db()).count()
            let jobsBefore = try await Job.query(on: try store.db()).count()
            let event = NewEvent(.programmeChanged, organisationID: org.admin.organisationID, actor: org.admin.personID, subject: UUID())

            await #expect(throws: Rollback.self) {
                try await store.transaction { database in
                    try await store.record(event, on: database)
                    throw Rollback()
                }
            }
            #expect(try await DomainEvent.query(on: try store.db()).count() == eventsBefore)
            #expect(try await Job.query(on: try store.db()).count() == jobsBefore)

            let id = try await store.transaction { try await store.record(event, on: $0) }
            let jobs = try await Job.query(on: try store.db()).filter(\.$uniqueKey ~~ ["event.audit:\(id.uuidString.lowercased())", "event.notify:\(id.uuidString.lowercased())"]).all()
            #expect(jobs.count == 2)
            let row = try #require(try await DomainEvent.find(id, on: try store.db()))
            #expect(row.type == "programme.changed")
            #expect(row.actorPersonID == org.admin.personID)
        }
    }

    @Test("The audit consumer copies an event once even when its job runs twice, and the log filters by actor and type", arguments: TestBackend.all)
    func auditIsIdempotent(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Store(database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4), logger: Logger(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            let subject = UUID()
            let id = try await store.transaction { database in
                try await store.record(
                    NewEvent(.programmeCreated, organisationID: org.admin.organisationID, actor: org.manager.personID, subject: subject,
                        payload: ["kind": .string("mentoring")]),
                    on: database)
            }
            try await store.runDueJobs()
            // As if the worker died after copying the entry but before recording the job as done.
            guard let sql = try store.db() as? any SQLDatabase else { throw StoreError.unavailable }
            try await sql.update(Job.schema).set("status", to: SQLBind(Job.Status.queued.rawValue))
                .where("unique_key", .equal, SQLBind("event.audit:\(id.uuidString.lowercased())")).run()
            #expect(try await store.runDueJobs() == 1)
            #expect(try await AuditEntry.query(on: try store.db()).filter(\.$eventID == id).count() == 1)

            let byManager = try await store.auditLog(AuditQuery(actorPersonID: org.manager.personID), of: org.admin)
            #expect(byManager.lines.map(\.eventID).contains(id))
            #expect(byManager.lines.allSatisfy { $0.actorPersonID == org.manager.personID })
            let byType = try await store.auditLog(AuditQuery(type: .programmeCreated), of: org.admin)
            #expect(byType.lines.map(\.eventID) == [id])
            let later = try await store.auditLog(AuditQuery(from: clock.now.addingTimeInterval(60)), of: org.admin)
            #expect(later.lines.isEmpty)
            await #expect(throws: StoreError.self) { _ = try await store.auditLog(AuditQuery(), of: org.participant) }
        }
    }
}
