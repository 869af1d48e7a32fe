import FluentKit
import Foundation

/// One event's message to one endpoint. Its id is the `webhook-id` of every attempt (and of a
/// replay), so a receiver can tell a retry from a new message.
public final class WebhookDelivery: Model, @unchecked Sendable {
    public static let schema = "webhook_deliveries"

    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Waiting for its next attempt.
        case pending
        /// The endpoint answered 2xx.
        case delivered
        /// Given up: the endpoint answered 410, or every attempt of the retry schedule failed, or
        /// the endpoint was disabled meanwhile.
        case failed
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "endpoint_id") public var endpointID: UUID
    @Field(key: "event_id") public var eventID: UUID
    @Field(key: "event_type") public var eventType: String
    /// The exact bytes sent (as UTF-8), so every attempt signs and sends the same body.
    @Field(key: "body") public var body: String
    @Field(key: "status") public var status: Status
    /// Attempts made since it was created or last replayed.
    @Field(key: "attempts") public var attempts: Int
    /// How often an admin replayed it (each replay is a job of its own).
    @Field(key: "replays") public var replays: Int
    @OptionalField(key: "next_attempt_at") public var nextAttemptAt: Date?
    @OptionalField(key: "last_attempt_at") public var lastAttemptAt: Date?
    @OptionalField(key: "last_status_code") public var lastStatusCode: Int?
    /// The first characters of the last answer's body, no more (it may hold anything).
    @Field(key: "last_response") public var lastResponse: String
    /// Why the last attempt failed (empty when it did not).
    @Field(key: "last_error") public var lastError: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    /// The `webhook-id` header: the same on every attempt and replay.
    public var webhookID: String {
        "msg_" + (id?.uuidString ?? "").replacingOccurrences(of: "-", with: "").lowercased()
    }
}
