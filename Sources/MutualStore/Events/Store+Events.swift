import FluentKit
import Foundation
import SQLKit

/// An event about to be recorded.
public struct NewEvent: Sendable {
    public var type: EventType
    public var organisationID: UUID
    public var actorPersonID: UUID?
    public var subjectID: String
    /// Ids, counts and settings; never text a person wrote.
    public var payload: [String: EventValue]

    public init(_ type: EventType, organisationID: UUID, actor: UUID?, subject: UUID, payload: [String: EventValue] = [:]) {
        self.init(type, organisationID: organisationID, actor: actor, subjectID: subject.uuidString.lowercased(), payload: payload)
    }

    public init(_ type: EventType, organisationID: UUID, actor: UUID?, subjectID: String, payload: [String: EventValue] = [:]) {
        self.type = type
        self.organisationID = organisationID
        self.actorPersonID = actor
        self.subjectID = subjectID
        self.payload = payload
    }
}

/// A value in an event's payload: ids, numbers, flags, enumerated settings, lists of ids.
public enum EventValue: Sendable, Equatable, Codable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case ids([UUID])

    public static func id(_ id: UUID) -> EventValue { .string(id.uuidString.lowercased()) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .ids(let value): try container.encode(value.map { $0.uuidString.lowercased() })
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            self = .ids(try container.decode([String].self).compactMap(UUID.init(uuidString:)))
        }
    }
}

extension Store {
    /// The consumers every event is delivered to, each through a job of its own (so one
    /// failing consumer never holds up another).
    static let eventConsumers = [JobKind.audit, JobKind.notify]

    /// Records `event` on `database`, which must be the transaction of the change it describes,
    /// with one job per consumer. Returns the event's id.
    @discardableResult
    public func record(_ event: NewEvent, on database: any Database) async throws -> UUID {
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        let id = UUID()
        let key = id.uuidString.lowercased()
        let jobs = try Self.eventConsumers.map { consumer in
            try NewJob(
                kind: consumer, payload: EventJob(eventID: id), subject: "event:\(event.type.rawValue)",
                organisationID: event.organisationID, uniqueKey: "\(consumer):\(key)")
        }
        let insertEvent: SQLQueryString = """
            INSERT INTO \(ident: DomainEvent.schema) (id, organisation_id, type, actor_person_id, subject_type, subject_id, occurred_at, payload) \
            VALUES (\(bind: id), \(bind: event.organisationID), \(bind: event.type.rawValue), \(bind: event.actorPersonID), \
            \(bind: event.type.subjectType), \(bind: event.subjectID), \(bind: clock.now), \(bind: try JobCoding.encode(event.payload)))
            """
        // The webhook consumer's job is written only when the organisation has an enabled endpoint.
        let webhookInsert = try webhookFanOutInsert(eventID: id, organisationID: event.organisationID, type: event.type)
        if self.database.location.isPostgres {
            // One round trip for the event and its consumers' jobs: the append is on the path of
            // every write that matters, so it is kept to what one more statement costs.
            try await sql.raw("WITH event AS (" + insertEvent + "), consumers AS (" + jobInsert(jobs) + ") " + webhookInsert).run()
        } else {
            try await sql.raw(insertEvent).run()
            try await sql.raw(jobInsert(jobs)).run()
            try await sql.raw(webhookInsert).run()
        }
        return id
    }

    /// Records several events in the transaction of their change.
    public func record(_ events: [NewEvent], on database: any Database) async throws {
        for event in events { try await record(event, on: database) }
    }

    /// One event by id.
    func event(id: UUID) async throws -> DomainEvent? {
        try await DomainEvent.find(id, on: try db())
    }
}
