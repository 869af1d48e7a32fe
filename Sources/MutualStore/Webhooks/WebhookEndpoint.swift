import FluentKit
import Foundation

/// An address an organisation's admins subscribed to some event types. Every delivery to it is
/// signed with its secret as the Standard Webhooks specification says; after a rotation the
/// previous secret signs too, until `previousSecretExpiresAt`.
public final class WebhookEndpoint: Model, @unchecked Sendable {
    public static let schema = "webhook_endpoints"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    /// An `http` or `https` address whose host is public (unless private addresses are allowed).
    @Field(key: "url") public var url: String
    /// The event types, comma-separated, or `*` for every type.
    @Field(key: "events") public var events: String
    /// ``WebhookFormat``'s raw value.
    @Field(key: "format") public var format: String
    /// The signing secret (`whsec_…`), sealed under `MUTUAL_SECRET`.
    @Field(key: "secret") public var secret: String
    /// The secret before the last rotation, sealed, still used until its expiry.
    @OptionalField(key: "previous_secret") public var previousSecret: String?
    @OptionalField(key: "previous_secret_expires_at") public var previousSecretExpiresAt: Date?
    /// False after a `410 Gone` or a delivery whose every retry failed; nothing is sent then.
    @Field(key: "enabled") public var enabled: Bool
    /// Why it was disabled (empty while enabled).
    @Field(key: "disabled_reason") public var disabledReason: String
    @OptionalField(key: "disabled_at") public var disabledAt: Date?
    /// The admin's person.
    @OptionalField(key: "created_by") public var createdBy: UUID?
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    /// The subscribed event types; `["*"]` for all.
    public var eventTypes: [String] { events.split(separator: ",").map(String.init) }

    /// Whether an event of `type` goes to this endpoint.
    public func wants(_ type: String) -> Bool {
        events == "*" || eventTypes.contains(type)
    }
}
