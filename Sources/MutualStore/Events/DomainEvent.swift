import FluentKit
import Foundation

/// Something that happened, written in the same transaction as the change itself (a
/// transactional outbox): if the change commits, so does its event, and the jobs that carry it
/// to its consumers (the audit log, notifications). Events name people by id and hold no text
/// a person wrote, so erasing a person never means rewriting history.
public final class DomainEvent: Model, @unchecked Sendable {
    public static let schema = "domain_events"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    /// `noun.past_participle`, one of ``EventType``.
    @Field(key: "type") public var type: String
    /// The person who did it; `nil` for the system (a job, the demo loader).
    @OptionalField(key: "actor_person_id") public var actorPersonID: UUID?
    /// What kind of thing it happened to (`invitation`, `programme`, `match`, …).
    @Field(key: "subject_type") public var subjectType: String
    @Field(key: "subject_id") public var subjectID: String
    @Field(key: "occurred_at") public var occurredAt: Date
    /// Ids and settings only, as JSON (documented per type in docs/events.md).
    @Field(key: "payload") public var payload: String

    public init() {}
}

extension DomainEvent {
    /// The payload's text value under `key` (an id is stored as its string), or nil.
    func payloadValue(_ key: String) -> String? {
        guard let payload = try? JobCoding.decode([String: EventValue].self, from: payload), case .string(let value)? = payload[key] else {
            return nil
        }
        return value
    }
}
