import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Every event type an endpoint may subscribe to (docs/events.md), in declaration order.
    public static var webhookEventTypes: [String] { EventType.allCases.map(\.rawValue) }

    /// The longest endpoint address accepted.
    public static let webhookURLLimit = 2000

    /// Subscribes `url` to `events` (event types, or `["*"]` for all) for the admin's
    /// organisation. The address must pass the address rule (``WebhookAddressPolicy``); an
    /// unknown event type is refused with the list of known ones. Returns the endpoint and its
    /// new signing secret, which is not shown again.
    public func subscribeWebhook(url: String, events: [String], format: WebhookFormat = .standard, by identity: Identity) async throws
        -> CreatedWebhookEndpoint
    {
        try requireRole(.admin, identity)
        let url = url.trimmingCharacters(in: .whitespaces)
        guard !url.isEmpty else {
            throw StoreError.invalid(field: "url", message: "Give the address that receives the webhooks, e.g. https://hooks.example.org/mutual.")
        }
        guard url.count <= Self.webhookURLLimit, !url.contains(where: { $0.isWhitespace }) else {
            throw StoreError.invalid(
                field: "url", message: "The address must be one URL of at most \(Self.webhookURLLimit) characters without spaces.")
        }
        let events = try Self.checkedEventTypes(events)
        if let refusal = await webhooks.addressPolicy.refusal(of: url) {
            throw StoreError.invalid(field: "url", message: refusal)
        }
        let secret = WebhookSignature.makeSecret()
        let endpoint = WebhookEndpoint()
        endpoint.id = UUID()
        endpoint.organisationID = identity.organisationID
        endpoint.url = url
        endpoint.events = events.joined(separator: ",")
        endpoint.format = format.rawValue
        endpoint.secret = try sealer.seal(secret)
        endpoint.enabled = true
        endpoint.disabledReason = ""
        endpoint.createdBy = identity.personID
        endpoint.createdAt = clock.now
        try await transaction { database in
            try await endpoint.create(on: database)
            try await self.record(
                NewEvent(
                    .webhookCreated, organisationID: identity.organisationID, actor: identity.personID, subject: try endpoint.requireID(),
                    payload: ["format": .string(format.rawValue), "events": .string(endpoint.events)]), on: database)
        }
        return CreatedWebhookEndpoint(endpoint: try view(endpoint), secret: secret)
    }

    /// The event types as given, checked: `*` alone, or known types (duplicates dropped).
    static func checkedEventTypes(_ events: [String]) throws -> [String] {
        let known = Set(webhookEventTypes)
        let trimmed = events.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let all = webhookEventTypes.joined(separator: ", ")
        guard !trimmed.isEmpty else {
            throw StoreError.invalid(
                field: "events", message: "Name at least one event type, or [\"*\"] for every type. The types are: \(all).")
        }
        if trimmed.contains("*") {
            guard trimmed.allSatisfy({ $0 == "*" }) else {
                throw StoreError.invalid(field: "events", message: "\"*\" already means every event type; send it alone, or list the types you want.")
            }
            return ["*"]
        }
        let unknown = trimmed.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            let names = unknown.map { "\"\($0)\"" }.joined(separator: ", ")
            throw StoreError.invalid(
                field: "events",
                message: "Unknown event type\(unknown.count == 1 ? "" : "s") \(names). Use [\"*\"] for every type, or some of: \(all) (docs/events.md describes them).")
        }
        var seen: Set<String> = []
        return trimmed.filter { seen.insert($0).inserted }
    }

    /// The organisation's endpoints, oldest first.
    public func webhookEndpoints(of identity: Identity) async throws -> [WebhookEndpointView] {
        try requireRole(.admin, identity)
        return try await WebhookEndpoint.query(on: try db()).filter(\.$organisationID == identity.organisationID)
            .sort(\.$createdAt).sort(\.$id).all().map(view)
    }

    /// One endpoint of the organisation.
    public func webhookEndpoint(id: UUID, of identity: Identity) async throws -> WebhookEndpointView {
        try requireRole(.admin, identity)
        return try view(try await endpoint(id: id, organisationID: identity.organisationID, on: try db()))
    }

    /// Deletes an endpoint and its delivery log; nothing more is sent to it.
    public func deleteWebhookEndpoint(id: UUID, by identity: Identity) async throws {
        try requireRole(.admin, identity)
        try await transaction { database in
            let endpoint = try await self.endpoint(id: id, organisationID: identity.organisationID, on: database)
            try await WebhookDelivery.query(on: database).filter(\.$endpointID == id).delete()
            try await endpoint.delete(on: database)
            try await self.record(
                NewEvent(.webhookDeleted, organisationID: identity.organisationID, actor: identity.personID, subject: id), on: database)
        }
    }

    /// Gives an endpoint a new secret. The previous one keeps signing (a second signature in
    /// `webhook-signature`) for ``WebhookSettings/rotationOverlap`` (24 hours), so the receiver
    /// can switch without a message failing; a second rotation within that time drops the oldest.
    public func rotateWebhookSecret(id: UUID, by identity: Identity) async throws -> RotatedWebhookSecret {
        try requireRole(.admin, identity)
        let secret = WebhookSignature.makeSecret()
        let sealed = try sealer.seal(secret)
        let until = clock.now.addingTimeInterval(webhooks.rotationOverlap)
        try await transaction { database in
            let endpoint = try await self.endpoint(id: id, organisationID: identity.organisationID, on: database)
            endpoint.previousSecret = endpoint.secret
            endpoint.previousSecretExpiresAt = until
            endpoint.secret = sealed
            try await endpoint.save(on: database)
            try await self.record(
                NewEvent(
                    .webhookSecretRotated, organisationID: identity.organisationID, actor: identity.personID, subject: id,
                    payload: ["overlap_hours": .int(Int(self.webhooks.rotationOverlap / 3600))]), on: database)
        }
        return RotatedWebhookSecret(secret: secret, previousSecretValidUntil: until)
    }

    /// Turns a disabled endpoint back on (after its receiver was fixed). Deliveries that failed
    /// meanwhile stay failed; replay the ones that matter.
    public func enableWebhookEndpoint(id: UUID, by identity: Identity) async throws -> WebhookEndpointView {
        try requireRole(.admin, identity)
        // The address is checked before the transaction: resolving a name can take seconds.
        let current = try await endpoint(id: id, organisationID: identity.organisationID, on: try db())
        if let refusal = await webhooks.addressPolicy.refusal(of: current.url) {
            throw StoreError.conflict(field: "url", message: refusal + " Delete this endpoint and subscribe a permitted address.")
        }
        return try await transaction { database in
            let endpoint = try await self.endpoint(id: id, organisationID: identity.organisationID, on: database)
            guard !endpoint.enabled else { return try self.view(endpoint) }
            endpoint.enabled = true
            endpoint.disabledReason = ""
            endpoint.disabledAt = nil
            try await endpoint.save(on: database)
            try await self.record(
                NewEvent(.webhookEnabled, organisationID: identity.organisationID, actor: identity.personID, subject: id), on: database)
            return try self.view(endpoint)
        }
    }

    /// An endpoint's delivery log, newest first (at most `limit` lines).
    public func webhookDeliveries(endpointID: UUID, limit: Int = 100, of identity: Identity) async throws -> [WebhookDeliveryView] {
        try requireRole(.admin, identity)
        let database = try db()
        _ = try await endpoint(id: endpointID, organisationID: identity.organisationID, on: database)
        return try await WebhookDelivery.query(on: database).filter(\.$endpointID == endpointID)
            .sort(\.$createdAt, .descending).sort(\.$id, .descending).limit(min(max(1, limit), 500)).all()
            .map(WebhookDeliveryView.init)
    }

    /// Sends a delivery again, with the same `webhook-id` and body (signed afresh), through a job
    /// of its own and the whole retry schedule. Refused while it is still pending or while its
    /// endpoint is disabled.
    public func replayWebhookDelivery(id: UUID, by identity: Identity) async throws -> WebhookDeliveryView {
        try requireRole(.admin, identity)
        let now = clock.now
        return try await transaction { database in
            guard let delivery = try await WebhookDelivery.query(on: database).filter(\.$id == id)
                .filter(\.$organisationID == identity.organisationID).first()
            else { throw StoreError.notFound(what: "webhook delivery") }
            let endpoint = try await self.endpoint(id: delivery.endpointID, organisationID: identity.organisationID, on: database)
            guard endpoint.enabled else {
                throw StoreError.conflict(
                    field: nil, message: "This endpoint is disabled (\(endpoint.disabledReason)). Enable it again first, then replay the delivery.")
            }
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            // Conditional, so of two replays at once only one finds it settled and queues a job.
            let claimed = try await sql.update(WebhookDelivery.schema)
                .set("status", to: SQLBind(WebhookDelivery.Status.pending.rawValue)).set("attempts", to: SQLLiteral.numeric("0"))
                .set("replays", to: SQLRaw("replays + 1")).set("next_attempt_at", to: SQLBind(now)).set("last_error", to: SQLBind(""))
                .where("id", .equal, SQLBind(id)).where("status", .notEqual, SQLBind(WebhookDelivery.Status.pending.rawValue))
                .returning("replays").all()
            guard let row = claimed.first else {
                throw StoreError.conflict(
                    field: nil, message: "This delivery is still being sent (it is waiting for its next attempt). Replay it once it has been delivered or has failed.")
            }
            let replays = try row.decode(column: "replays", as: Int.self)
            try await self.enqueue(
                try NewJob(
                    kind: JobKind.webhookDelivery, payload: WebhookDeliveryJob(deliveryID: id), subject: "webhook:\(delivery.eventType)",
                    organisationID: identity.organisationID, uniqueKey: "webhook:\(id.uuidString.lowercased()):\(replays)"), on: database)
            guard let fresh = try await WebhookDelivery.find(id, on: database) else { throw StoreError.notFound(what: "webhook delivery") }
            return try WebhookDeliveryView(fresh)
        }
    }

    /// The endpoint a delivery of the organisation belongs to (nil when there is no such delivery).
    public func webhookDeliveryEndpoint(id: UUID, of identity: Identity) async throws -> UUID? {
        try requireRole(.admin, identity)
        return try await WebhookDelivery.query(on: try db()).filter(\.$id == id).filter(\.$organisationID == identity.organisationID).first()?.endpointID
    }

    func endpoint(id: UUID, organisationID: UUID, on database: any Database) async throws -> WebhookEndpoint {
        guard let endpoint = try await WebhookEndpoint.query(on: database).filter(\.$id == id).filter(\.$organisationID == organisationID).first()
        else { throw StoreError.notFound(what: "webhook endpoint") }
        return endpoint
    }

    func view(_ endpoint: WebhookEndpoint) throws -> WebhookEndpointView {
        let now = clock.now
        return WebhookEndpointView(
            id: try endpoint.requireID(), url: endpoint.url, events: endpoint.eventTypes, format: WebhookFormat(rawValue: endpoint.format) ?? .standard,
            enabled: endpoint.enabled, disabledReason: endpoint.disabledReason, disabledAt: endpoint.disabledAt, createdAt: endpoint.createdAt,
            previousSecretValidUntil: endpoint.previousSecret != nil ? endpoint.previousSecretExpiresAt.flatMap { $0 > now ? $0 : nil } : nil)
    }
}
