import FluentKit
import Foundation

/// One line of the audit log: who did what to what, when. Append-only, written by the audit
/// consumer from a ``DomainEvent`` (at most once per event, however often the job runs).
public final class AuditEntry: Model, @unchecked Sendable {
    public static let schema = "audit_entries"

    @ID(key: .id) public var id: UUID?
    @Field(key: "event_id") public var eventID: UUID
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "type") public var type: String
    @OptionalField(key: "actor_person_id") public var actorPersonID: UUID?
    @Field(key: "subject_type") public var subjectType: String
    @Field(key: "subject_id") public var subjectID: String
    @Field(key: "occurred_at") public var occurredAt: Date
    @Field(key: "payload") public var payload: String

    public init() {}
}
