import Foundation

/// An endpoint as the admin page and the API show it (never its secret).
public struct WebhookEndpointView: Sendable, Equatable {
    public let id: UUID
    public let url: String
    /// The subscribed types, or `["*"]`.
    public let events: [String]
    public let format: WebhookFormat
    public let enabled: Bool
    /// Why it was disabled (empty while enabled).
    public let disabledReason: String
    public let disabledAt: Date?
    public let createdAt: Date
    /// Until when the secret before the last rotation also signs; nil when it no longer does.
    public let previousSecretValidUntil: Date?
}

/// An endpoint just subscribed, with its secret (shown this once).
public struct CreatedWebhookEndpoint: Sendable, Equatable {
    public let endpoint: WebhookEndpointView
    public let secret: String
}

/// A new secret after a rotation, shown once, and until when the old one still signs too.
public struct RotatedWebhookSecret: Sendable, Equatable {
    public let secret: String
    public let previousSecretValidUntil: Date
}

/// One line of an endpoint's delivery log.
public struct WebhookDeliveryView: Sendable, Equatable {
    public let id: UUID
    /// The `webhook-id` header (the same on every attempt and replay).
    public let webhookID: String
    public let endpointID: UUID
    public let eventID: UUID
    public let eventType: String
    public let status: WebhookDelivery.Status
    public let attempts: Int
    public let replays: Int
    public let nextAttemptAt: Date?
    public let lastAttemptAt: Date?
    public let lastStatusCode: Int?
    /// The first characters of the last answer's body.
    public let lastResponse: String
    public let lastError: String
    public let createdAt: Date

    init(_ delivery: WebhookDelivery) throws {
        id = try delivery.requireID()
        webhookID = delivery.webhookID
        endpointID = delivery.endpointID
        eventID = delivery.eventID
        eventType = delivery.eventType
        status = delivery.status
        attempts = delivery.attempts
        replays = delivery.replays
        nextAttemptAt = delivery.status == .pending ? delivery.nextAttemptAt : nil
        lastAttemptAt = delivery.lastAttemptAt
        lastStatusCode = delivery.lastStatusCode
        lastResponse = delivery.lastResponse
        lastError = delivery.lastError
        createdAt = delivery.createdAt
    }
}
