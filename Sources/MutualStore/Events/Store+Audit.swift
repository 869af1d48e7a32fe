import FluentKit
import Foundation
import SQLKit

/// Which audit entries to show.
public struct AuditQuery: Sendable, Equatable {
    /// Only what this person did.
    public var actorPersonID: UUID?
    /// Only events of this type.
    public var type: EventType?
    /// From this time (inclusive) …
    public var from: Date?
    /// … up to this time (exclusive).
    public var until: Date?
    public var page = 1
    public var perPage = 50

    public init(actorPersonID: UUID? = nil, type: EventType? = nil, from: Date? = nil, until: Date? = nil, page: Int = 1, perPage: Int = 50) {
        self.actorPersonID = actorPersonID
        self.type = type
        self.from = from
        self.until = until
        self.page = page
        self.perPage = perPage
    }
}

/// An audit entry as the page, the API and the CSV export show it.
public struct AuditLine: Sendable, Equatable {
    public let id: UUID
    public let eventID: UUID
    public let type: String
    public let occurredAt: Date
    public let actorPersonID: UUID?
    /// The actor's current name; "Mutual" for the system, "a removed person" once erased.
    public let actorName: String
    public let subjectType: String
    public let subjectID: String
    /// "Ana Silva published a match".
    public let sentence: String
    public let payloadJSON: String
}

extension Store {
    /// The audit consumer: copies an event into the audit log. Idempotent: an event already in the
    /// log (the job ran before and its worker died before recording so) is not copied twice.
    func consumeForAudit(_ job: ClaimedJob) async throws -> JobOutcome {
        let payload = try job.decode(EventJob.self)
        guard let event = try await event(id: payload.eventID) else { return .finished }
        try await transaction { database in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            try await sql.insert(into: AuditEntry.schema)
                .columns("id", "event_id", "organisation_id", "type", "actor_person_id", "subject_type", "subject_id", "occurred_at", "payload")
                .values(
                    SQLBind(UUID()), SQLBind(payload.eventID), SQLBind(event.organisationID), SQLBind(event.type),
                    SQLBind(event.actorPersonID), SQLBind(event.subjectType), SQLBind(event.subjectID), SQLBind(event.occurredAt),
                    SQLBind(event.payload)
                )
                .ignoringConflicts(with: ["event_id"])
                .run()
        }
        return .finished
    }

    /// A page of the organisation's audit log, newest first, with the total that matches.
    public func auditLog(_ query: AuditQuery, of identity: Identity) async throws -> (lines: [AuditLine], total: Int) {
        try requireRole(.admin, identity)
        let page = max(1, query.page)
        let perPage = min(max(1, query.perPage), 10_000)
        func filtered() throws -> QueryBuilder<AuditEntry> {
            var builder = AuditEntry.query(on: try db()).filter(\.$organisationID == identity.organisationID)
            if let actor = query.actorPersonID { builder = builder.filter(\.$actorPersonID == actor) }
            if let type = query.type { builder = builder.filter(\.$type == type.rawValue) }
            if let from = query.from { builder = builder.filter(\.$occurredAt >= from) }
            if let until = query.until { builder = builder.filter(\.$occurredAt < until) }
            return builder
        }
        let total = try await filtered().count()
        let entries = try await filtered().sort(\.$occurredAt, .descending).sort(\.$id, .descending)
            .range(((page - 1) * perPage)..<(page * perPage)).all()
        return (try await auditLines(entries), total)
    }

    /// Every matching entry, oldest first, a page at a time (for the CSV export).
    public func auditLogPages(_ query: AuditQuery, of identity: Identity, pageSize: Int = 1000) -> AsyncThrowingStream<[AuditLine], any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var page = 1
                    while true {
                        var paged = query
                        paged.page = page
                        paged.perPage = pageSize
                        let (lines, _) = try await auditLog(paged, of: identity)
                        if lines.isEmpty { break }
                        continuation.yield(lines)
                        if lines.count < pageSize { break }
                        page += 1
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func auditLines(_ entries: [AuditEntry]) async throws -> [AuditLine] {
        let actorIDs = Array(Set(entries.compactMap(\.actorPersonID)))
        var names: [UUID: String] = [:]
        for slice in actorIDs.queryBatches() {
            for person in try await Person.query(on: try db()).filter(\.$id ~~ Array(slice)).all() {
                if let id = person.id { names[id] = person.name }
            }
        }
        return entries.map { entry in
            let actor: String
            if let id = entry.actorPersonID {
                actor = names[id] ?? "A removed person"
            } else {
                actor = "Mutual"
            }
            let words = EventType(rawValue: entry.type)?.pastTense ?? entry.type
            return AuditLine(
                id: entry.id ?? UUID(), eventID: entry.eventID, type: entry.type, occurredAt: entry.occurredAt,
                actorPersonID: entry.actorPersonID, actorName: actor, subjectType: entry.subjectType, subjectID: entry.subjectID,
                sentence: "\(actor) \(words)", payloadJSON: entry.payload)
        }
    }
}
