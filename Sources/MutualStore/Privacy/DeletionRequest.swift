import FluentKit
import Foundation

/// A person's request to delete their account: carried out by the `privacy.erase` job at
/// `dueAt` (14 days after the request) unless it was cancelled first, or earlier when an admin
/// confirms it. At most one open request per person (a partial unique index).
public final class DeletionRequest: Model, @unchecked Sendable {
    public static let schema = "deletion_requests"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "person_id") public var personID: UUID
    /// The person who asked (themself); kept by id only.
    @OptionalField(key: "requested_by") public var requestedBy: UUID?
    @Field(key: "requested_at") public var requestedAt: Date
    @Field(key: "due_at") public var dueAt: Date
    @OptionalField(key: "cancelled_at") public var cancelledAt: Date?
    /// The admin who confirmed it before it was due.
    @OptionalField(key: "confirmed_by") public var confirmedBy: UUID?
    @OptionalField(key: "executed_at") public var executedAt: Date?

    public init() {}

    /// Whether it still waits: neither cancelled nor carried out.
    public var isOpen: Bool { cancelledAt == nil && executedAt == nil }
}

/// The payload of a `privacy.erase` job.
struct DeletionRequestJob: Codable, Sendable {
    var requestID: UUID
}
