import Foundation
import Hummingbird
import MutualStore

/// Admin → Webhooks (`/admin/webhooks`): subscribe an endpoint, see each endpoint's state,
/// rotate its secret, enable or delete it; `/admin/webhooks/:id` is its delivery log with replay.
/// The same store calls as ``WebhooksAPI``.
struct WebhookPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/admin/webhooks", role: .admin, show)
        routes.member(.post, "/admin/webhooks", role: .admin, create)
        routes.member(.get, "/admin/webhooks/:id", role: .admin, showEndpoint)
        routes.member(.post, "/admin/webhooks/:id/rotate", role: .admin, rotate)
        routes.member(.post, "/admin/webhooks/:id/enable", role: .admin, enable)
        routes.member(.post, "/admin/webhooks/:id/delete", role: .admin, delete)
        routes.member(.post, "/admin/webhook-deliveries/:id/replay", role: .admin, replay)
    }

    struct Choice { let value: String, label: String, selected: Bool }
    struct EndpointRow {
        let id: String, url: String, events: String, format: String, enabled: Bool, disabledReason: String, created: String
        let overlap: String
    }
    struct ListPage {
        let page: PageChrome
        let endpoints: [EndpointRow], hasEndpoints: Bool
        let formats: [Choice]
        let eventTypes: [Choice]
        var url = "", allEvents = true
        var newSecret = "", status = "", error = ""
    }
    struct DeliveryRow {
        let id: String, webhookID: String, eventType: String, status: String, statusClass: String, attempts: String, when: String
        let lastStatus: String, lastError: String, lastResponse: String, canReplay: Bool
    }
    struct EndpointPage {
        let page: PageChrome
        let endpoint: EndpointRow
        let deliveries: [DeliveryRow], hasDeliveries: Bool
        var status = "", error = ""
    }

    // MARK: The list

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("webhooks", try await listPage(context))
    }

    @Sendable func create(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let url = context.form["url"] ?? ""
        let all = context.form["all_events"] == "on"
        let chosen = context.form.all("events")
        let formatText = context.form["format"] ?? WebhookFormat.standard.rawValue
        do {
            guard let format = WebhookFormat(rawValue: formatText) else {
                throw StoreError.invalid(field: "format", message: "Choose a format: standard, slack or teams.")
            }
            let created = try await store.subscribeWebhook(url: url, events: all ? ["*"] : chosen, format: format, by: context.identity)
            var model = try await listPage(context)
            model.newSecret = created.secret
            model.status = "Subscribed \(created.endpoint.url). Copy its signing secret now: it is shown only once."
            return try pages.render("webhooks", model)
        } catch let error as StoreError where error.isInputProblem {
            var model = try await listPage(context, chosen: Set(chosen), format: formatText)
            model.url = url
            model.allEvents = all
            model.error = error.errorDescription ?? ""
            return try pages.render("webhooks", model, status: .unprocessableContent)
        }
    }

    @Sendable func rotate(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try WebhooksAPI.id(context)
        let rotated = try await store.rotateWebhookSecret(id: id, by: context.identity)
        var model = try await listPage(context)
        model.newSecret = rotated.secret
        model.status = "The endpoint has a new signing secret; copy it now. Until \(MemberPages.dateFormatter.string(from: rotated.previousSecretValidUntil)) every delivery is signed with both the new and the old secret, so switch the receiver to the new one before then."
        return try pages.render("webhooks", model)
    }

    @Sendable func enable(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try WebhooksAPI.id(context)
        do {
            let endpoint = try await store.enableWebhookEndpoint(id: id, by: context.identity)
            var model = try await listPage(context)
            model.status = "\(endpoint.url) is enabled again. Replay the deliveries that failed meanwhile from its delivery log."
            return try pages.render("webhooks", model)
        } catch let error as StoreError where error.isInputProblem {
            var model = try await listPage(context)
            model.error = error.errorDescription ?? ""
            return try pages.render("webhooks", model, status: .conflict)
        }
    }

    @Sendable func delete(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try WebhooksAPI.id(context)
        let endpoint = try await store.webhookEndpoint(id: id, of: context.identity)
        try await store.deleteWebhookEndpoint(id: id, by: context.identity)
        var model = try await listPage(context)
        model.status = "Deleted \(endpoint.url) and its delivery log. Nothing more is sent to it."
        return try pages.render("webhooks", model)
    }

    private func listPage(_ context: SignedInContext, chosen: Set<String> = [], format: String = WebhookFormat.standard.rawValue) async throws
        -> ListPage
    {
        let endpoints = try await store.webhookEndpoints(of: context.identity)
        return ListPage(
            page: pages.chrome(title: "Webhooks", context: context, current: "webhooks"),
            endpoints: endpoints.map(Self.row), hasEndpoints: !endpoints.isEmpty,
            formats: WebhookFormat.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == format) },
            eventTypes: Store.webhookEventTypes.map { Choice(value: $0, label: $0, selected: chosen.contains($0)) })
    }

    static func row(_ endpoint: WebhookEndpointView) -> EndpointRow {
        EndpointRow(
            id: endpoint.id.uuidString, url: endpoint.url,
            events: endpoint.events == ["*"] ? "All events" : endpoint.events.joined(separator: ", "), format: endpoint.format.label,
            enabled: endpoint.enabled, disabledReason: endpoint.disabledReason, created: MemberPages.dateFormatter.string(from: endpoint.createdAt),
            overlap: endpoint.previousSecretValidUntil.map { "The previous secret also signs until \(MemberPages.dateFormatter.string(from: $0))." } ?? "")
    }

    // MARK: One endpoint's delivery log

    @Sendable func showEndpoint(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("webhook", try await endpointPage(try WebhooksAPI.id(context), context))
    }

    @Sendable func replay(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let deliveryID = try MemberPages.uuid(context.parameters.get("id"), what: "webhook delivery")
        do {
            let delivery = try await store.replayWebhookDelivery(id: deliveryID, by: context.identity)
            var model = try await endpointPage(delivery.endpointID, context)
            model.status = "Replaying \(delivery.webhookID) (\(delivery.eventType)) with the same webhook-id; it is sent within a few seconds."
            return try pages.render("webhook", model)
        } catch let error as StoreError where error.isInputProblem {
            // The delivery exists (a conflict, not a 404): show its endpoint's log with the reason.
            guard let endpointID = try await store.webhookDeliveryEndpoint(id: deliveryID, of: context.identity) else { throw error }
            var model = try await endpointPage(endpointID, context)
            model.error = error.errorDescription ?? ""
            return try pages.render("webhook", model, status: .conflict)
        }
    }

    private func endpointPage(_ id: UUID, _ context: SignedInContext) async throws -> EndpointPage {
        let endpoint = try await store.webhookEndpoint(id: id, of: context.identity)
        let deliveries = try await store.webhookDeliveries(endpointID: id, of: context.identity)
        let rows = deliveries.map { delivery -> DeliveryRow in
            let when: String
            switch delivery.status {
            case .pending: when = delivery.nextAttemptAt.map { "next attempt \(JobsPages.time($0))" } ?? "waiting"
            case .delivered, .failed: when = delivery.lastAttemptAt.map(JobsPages.time) ?? JobsPages.time(delivery.createdAt)
            }
            return DeliveryRow(
                id: delivery.id.uuidString, webhookID: delivery.webhookID, eventType: delivery.eventType, status: delivery.status.rawValue.capitalized,
                statusClass: delivery.status.rawValue, attempts: "\(delivery.attempts)" + (delivery.replays > 0 ? " (replayed \(delivery.replays)×)" : ""),
                when: when, lastStatus: delivery.lastStatusCode.map(String.init) ?? "", lastError: delivery.lastError,
                lastResponse: delivery.lastResponse, canReplay: delivery.status != .pending && endpoint.enabled)
        }
        return EndpointPage(
            page: pages.chrome(title: "Webhook deliveries", context: context, current: "webhooks"), endpoint: Self.row(endpoint), deliveries: rows,
            hasDeliveries: !rows.isEmpty)
    }
}
