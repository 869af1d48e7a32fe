import Foundation
import Hummingbird
import MutualStore

/// Webhooks for integrators, admins only: subscribe an endpoint (`POST /api/v1/webhooks`,
/// answered 201 with the signing secret, shown once), list, read and delete endpoints, rotate
/// a secret, enable a disabled endpoint, read an endpoint's delivery log and replay a delivery
/// (`POST /api/v1/webhook-deliveries/:id/replay`: a delivery's id names its endpoint).
struct WebhooksAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/webhooks", role: .admin, list)
        routes.api(.post, "/api/v1/webhooks", role: .admin, reads: WebhookRequest.self, status: .created, create)
        routes.api(.get, "/api/v1/webhooks/:id", role: .admin, show)
        routes.api(.delete, "/api/v1/webhooks/:id", role: .admin, delete)
        routes.api(.post, "/api/v1/webhooks/:id/rotate-secret", role: .admin, rotate)
        routes.api(.post, "/api/v1/webhooks/:id/enable", role: .admin, enable)
        routes.api(.get, "/api/v1/webhooks/:id/deliveries", role: .admin, deliveries)
        routes.api(.post, "/api/v1/webhook-deliveries/:id/replay", role: .admin, status: .accepted, replay)
    }

    // MARK: Shapes

    /// What `POST /api/v1/webhooks` reads.
    struct WebhookRequest: APIBody {
        /// An `http` or `https` address on a public host.
        let url: String
        /// Event types from docs/events.md, or `["*"]` for every type.
        let events: [String]
        /// `standard` (default), `slack` or `teams`.
        let format: WebhookFormat?
        static var example: WebhookRequest {
            WebhookRequest(url: "https://hooks.example.org/mutual", events: ["match.published"], format: .standard)
        }
    }

    /// An endpoint, without its secret.
    struct WebhookBody: APIBody {
        let id: UUID
        let url: String
        let events: [String]
        let format: WebhookFormat
        let enabled: Bool
        /// Why it was disabled; empty while enabled.
        let disabledReason: String
        let disabledAt: Date?
        let createdAt: Date
        /// Until when the secret before the last rotation also signs (absent when it no longer does).
        let previousSecretValidUntil: Date?
        static var example: WebhookBody {
            WebhookBody(
                id: UUID(), url: "https://hooks.example.org/mutual", events: ["match.published"], format: .standard, enabled: true,
                disabledReason: "", disabledAt: Date(), createdAt: Date(), previousSecretValidUntil: Date())
        }
    }

    /// A new endpoint with its signing secret (`whsec_…`), which is not shown again.
    struct CreatedWebhookBody: APIBody {
        let id: UUID
        let url: String
        let events: [String]
        let format: WebhookFormat
        let enabled: Bool
        let createdAt: Date
        let secret: String
        static var example: CreatedWebhookBody {
            CreatedWebhookBody(
                id: UUID(), url: "https://hooks.example.org/mutual", events: ["*"], format: .standard, enabled: true, createdAt: Date(),
                secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        }
    }

    /// The new secret after a rotation, and until when the previous one still signs.
    struct WebhookSecretBody: APIBody {
        let id: UUID
        let secret: String
        let previousSecretValidUntil: Date
        static var example: WebhookSecretBody {
            WebhookSecretBody(id: UUID(), secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", previousSecretValidUntil: Date())
        }
    }

    /// One line of the delivery log.
    struct WebhookDeliveryBody: APIBody {
        let id: UUID
        /// The `webhook-id` header, the same on every attempt and replay.
        let webhookId: String
        let endpointId: UUID
        let eventId: UUID
        let eventType: String
        let status: WebhookDelivery.Status
        let attempts: Int
        let replays: Int
        let nextAttemptAt: Date?
        let lastAttemptAt: Date?
        let lastStatusCode: Int?
        /// The first characters of the receiver's last answer.
        let lastResponse: String
        let lastError: String
        let createdAt: Date
        static var example: WebhookDeliveryBody {
            WebhookDeliveryBody(
                id: UUID(), webhookId: "msg_0c9d3f8e2b1a4c5d9e8f7a6b5c4d3e2f", endpointId: UUID(), eventId: UUID(), eventType: "match.published", status: .pending,
                attempts: 1, replays: 0, nextAttemptAt: Date(), lastAttemptAt: Date(), lastStatusCode: 503, lastResponse: "busy",
                lastError: "The endpoint answered 503.", createdAt: Date())
        }
    }

    // MARK: Handlers

    @Sendable func list(_ request: Request, _ context: SignedInContext) async throws -> ItemList<WebhookBody> {
        ItemList(items: try await store.webhookEndpoints(of: context.identity).map(WebhookBody.init))
    }

    @Sendable func create(_ request: Request, _ context: SignedInContext, _ input: APIInput<WebhookRequest>) async throws -> CreatedWebhookBody {
        let body = try await input.read()
        let created = try await store.subscribeWebhook(url: body.url, events: body.events, format: body.format ?? .standard, by: context.identity)
        let endpoint = created.endpoint
        return CreatedWebhookBody(
            id: endpoint.id, url: endpoint.url, events: endpoint.events, format: endpoint.format, enabled: endpoint.enabled,
            createdAt: endpoint.createdAt, secret: created.secret)
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> WebhookBody {
        WebhookBody(try await store.webhookEndpoint(id: try Self.id(context), of: context.identity))
    }

    @Sendable func delete(_ request: Request, _ context: SignedInContext) async throws -> NoContent {
        try await store.deleteWebhookEndpoint(id: try Self.id(context), by: context.identity)
        return NoContent()
    }

    @Sendable func rotate(_ request: Request, _ context: SignedInContext) async throws -> WebhookSecretBody {
        let id = try Self.id(context)
        let rotated = try await store.rotateWebhookSecret(id: id, by: context.identity)
        return WebhookSecretBody(id: id, secret: rotated.secret, previousSecretValidUntil: rotated.previousSecretValidUntil)
    }

    @Sendable func enable(_ request: Request, _ context: SignedInContext) async throws -> WebhookBody {
        WebhookBody(try await store.enableWebhookEndpoint(id: try Self.id(context), by: context.identity))
    }

    @Sendable func deliveries(_ request: Request, _ context: SignedInContext) async throws -> ItemList<WebhookDeliveryBody> {
        ItemList(items: try await store.webhookDeliveries(endpointID: try Self.id(context), of: context.identity).map(WebhookDeliveryBody.init))
    }

    @Sendable func replay(_ request: Request, _ context: SignedInContext) async throws -> WebhookDeliveryBody {
        let deliveryID = try MemberPages.uuid(context.parameters.get("id"), what: "webhook delivery")
        return WebhookDeliveryBody(try await store.replayWebhookDelivery(id: deliveryID, by: context.identity))
    }

    static func id(_ context: SignedInContext) throws -> UUID {
        try MemberPages.uuid(context.parameters.get("id"), what: "webhook endpoint")
    }
}

extension WebhooksAPI.WebhookBody {
    init(_ view: WebhookEndpointView) {
        self.init(
            id: view.id, url: view.url, events: view.events, format: view.format, enabled: view.enabled, disabledReason: view.disabledReason,
            disabledAt: view.disabledAt, createdAt: view.createdAt, previousSecretValidUntil: view.previousSecretValidUntil)
    }
}

extension WebhooksAPI.WebhookDeliveryBody {
    init(_ view: WebhookDeliveryView) {
        self.init(
            id: view.id, webhookId: view.webhookID, endpointId: view.endpointID, eventId: view.eventID, eventType: view.eventType, status: view.status, attempts: view.attempts,
            replays: view.replays, nextAttemptAt: view.nextAttemptAt, lastAttemptAt: view.lastAttemptAt, lastStatusCode: view.lastStatusCode,
            lastResponse: view.lastResponse, lastError: view.lastError, createdAt: view.createdAt)
    }
}
