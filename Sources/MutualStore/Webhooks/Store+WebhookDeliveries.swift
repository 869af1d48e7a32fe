import FluentKit
import Foundation
import SQLKit

extension Store {
    /// The `event.webhooks` job for an event, written with the event only when its organisation
    /// has an enabled endpoint (so organisations without webhooks pay nothing): an
    /// `INSERT … SELECT … WHERE EXISTS`, keyed by the event like the other consumers.
    func webhookFanOutInsert(eventID: UUID, organisationID: UUID, type: EventType) throws -> SQLQueryString {
        let now = clock.now
        let key = "\(JobKind.webhookFanOut):\(eventID.uuidString.lowercased())"
        let payload = try JobCoding.encode(EventJob(eventID: eventID))
        return """
            INSERT INTO \(ident: Job.schema) (id, organisation_id, kind, payload, subject, status, attempts, max_attempts, run_at, \
            last_error, unique_key, created_at) \
            SELECT \(bind: UUID()), \(bind: organisationID), \(bind: JobKind.webhookFanOut), \(bind: payload), \
            \(bind: "event:\(type.rawValue)"), \(bind: Job.Status.queued.rawValue), 0, \(bind: RetryPolicy.standard.maxAttempts), \
            \(bind: now), '', \(bind: key), \(bind: now) \
            WHERE EXISTS (SELECT 1 FROM \(ident: WebhookEndpoint.schema) WHERE organisation_id = \(bind: organisationID) AND enabled = \(bind: true)) \
            ON CONFLICT (unique_key) DO NOTHING
            """
    }

    /// The webhook consumer (`event.webhooks`): one delivery per enabled endpoint subscribed to
    /// the event's type, each with its `webhook.deliver` job, written in one transaction.
    /// Idempotent: a delivery is unique per endpoint and event, and its job per delivery, so a
    /// fan-out that runs twice (its worker died after committing) creates nothing more.
    func fanOutWebhooks(_ job: ClaimedJob) async throws -> JobOutcome {
        let input = try job.decode(EventJob.self)
        guard let event = try await event(id: input.eventID) else { return .finished }
        // Endpoints subscribed after the event happened do not get it.
        let endpoints = try await WebhookEndpoint.query(on: try db()).filter(\.$organisationID == event.organisationID)
            .filter(\.$enabled == true).filter(\.$createdAt <= event.occurredAt).all()
            .filter { $0.wants(event.type) }
        guard !endpoints.isEmpty else { return .finished }
        let standard = try WebhookMessageBody.encode(event)
        var chat: WebhookChatMessage?
        if endpoints.contains(where: { $0.format != WebhookFormat.standard.rawValue }) {
            chat = WebhookChatMessage.make(
                type: event.type, programmeName: try await programmeName(of: event), subjectType: event.subjectType,
                subjectID: event.subjectID, baseURL: mailSettings.baseURL)
        }
        var bodies: [UUID: String] = [:]
        for endpoint in endpoints {
            let body: Data
            switch WebhookFormat(rawValue: endpoint.format) ?? .standard {
            case .standard: body = standard
            case .slack: body = try chat?.slackBody() ?? standard
            case .teams: body = try chat?.teamsBody() ?? standard
            }
            bodies[try endpoint.requireID()] = String(decoding: body, as: UTF8.self)
        }
        let now = clock.now
        let eventID = try event.requireID()
        let bodiesByEndpoint = bodies
        try await transaction { database in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            for endpoint in endpoints {
                let endpointID = try endpoint.requireID()
                try await sql.insert(into: WebhookDelivery.schema)
                    .columns(
                        "id", "organisation_id", "endpoint_id", "event_id", "event_type", "body", "status", "attempts", "replays", "next_attempt_at",
                        "last_response", "last_error", "created_at"
                    )
                    .values(
                        SQLBind(UUID()), SQLBind(event.organisationID), SQLBind(endpointID), SQLBind(eventID), SQLBind(event.type),
                        SQLBind(bodiesByEndpoint[endpointID] ?? ""), SQLBind(WebhookDelivery.Status.pending.rawValue), SQLLiteral.numeric("0"),
                        SQLLiteral.numeric("0"), SQLBind(now), SQLBind(""), SQLBind(""), SQLBind(now)
                    )
                    .ignoringConflicts(with: ["endpoint_id", "event_id"]).run()
                guard let delivery = try await WebhookDelivery.query(on: database).filter(\.$endpointID == endpointID)
                    .filter(\.$eventID == eventID).first()
                else { continue }
                let deliveryID = try delivery.requireID()
                try await self.enqueue(
                    try NewJob(
                        kind: JobKind.webhookDelivery, payload: WebhookDeliveryJob(deliveryID: deliveryID), subject: "webhook:\(event.type)",
                        organisationID: event.organisationID, uniqueKey: "webhook:\(deliveryID.uuidString.lowercased()):0"), on: database)
            }
        }
        return .finished
    }

    /// The programme an event is about, when it is about one (for the chat formats' words).
    private func programmeName(of event: DomainEvent) async throws -> String? {
        let payload = (try? JobCoding.decode([String: EventValue].self, from: event.payload)) ?? [:]
        var programmeID: UUID?
        if event.subjectType == "programme" {
            programmeID = UUID(uuidString: event.subjectID)
        } else if case .string(let id)? = payload["programme_id"] {
            programmeID = UUID(uuidString: id)
        } else if event.subjectType == "relationship", let id = UUID(uuidString: event.subjectID) {
            programmeID = try await Relationship.find(id, on: try db())?.programmeID
        }
        guard let programmeID else { return nil }
        return try await Programme.query(on: try db()).filter(\.$id == programmeID).filter(\.$organisationID == event.organisationID)
            .first()?.name
    }

    /// How one attempt ended.
    enum WebhookAttempt {
        case delivered(status: Int, excerpt: String)
        /// 410 Gone: the receiver says it will never want another message.
        case gone(excerpt: String)
        case failed(status: Int?, excerpt: String, error: String)
    }

    /// The delivery consumer (`webhook.deliver`): signs and sends one delivery, then records
    /// the attempt. A failure waits for the retry schedule's next step (`.later`, so the job's
    /// own attempt count stays for crashes); after the last step, or on a 410, the endpoint is
    /// disabled and the organisation's admins are emailed.
    func deliverWebhook(_ job: ClaimedJob) async throws -> JobOutcome {
        let input = try job.decode(WebhookDeliveryJob.self)
        guard let delivery = try await WebhookDelivery.find(input.deliveryID, on: try db()), delivery.status == .pending else { return .finished }
        guard let endpoint = try await WebhookEndpoint.find(delivery.endpointID, on: try db()) else { return .finished }
        guard endpoint.enabled else {
            try await WebhookDelivery.query(on: try db()).filter(\.$id == input.deliveryID).filter(\.$status == .pending)
                .set(\.$status, to: .failed).set(\.$lastError, to: "Not sent: the endpoint was disabled (\(endpoint.disabledReason)).")
                .update()
            return .finished
        }
        let attempt: WebhookAttempt
        if let refusal = await webhooks.addressPolicy.refusal(of: endpoint.url) {
            attempt = .failed(status: nil, excerpt: "", error: "Not sent: \(refusal)")
        } else {
            attempt = await send(delivery, to: endpoint)
        }
        return try await settle(delivery, endpoint: endpoint, attempt: attempt)
    }

    /// The request for one attempt: the stored body, signed now with the current secret (and
    /// the previous one during a rotation's overlap).
    func webhookRequest(for delivery: WebhookDelivery, to endpoint: WebhookEndpoint) throws -> WebhookRequest {
        let now = clock.now
        var secrets = [try sealer.open(endpoint.secret)]
        if let previous = endpoint.previousSecret, let until = endpoint.previousSecretExpiresAt, until > now {
            secrets.append(try sealer.open(previous))
        }
        let timestamp = Int(now.timeIntervalSince1970)
        let body = Data(delivery.body.utf8)
        return WebhookRequest(
            url: endpoint.url,
            headers: [
                ("content-type", "application/json"), ("user-agent", "Mutual-Webhooks/1.0"), ("webhook-id", delivery.webhookID),
                ("webhook-timestamp", String(timestamp)),
                ("webhook-signature", WebhookSignature.header(id: delivery.webhookID, timestamp: timestamp, body: body, secrets: secrets)),
            ],
            body: body, timeout: webhooks.timeout)
    }

    private func send(_ delivery: WebhookDelivery, to endpoint: WebhookEndpoint) async -> WebhookAttempt {
        let request: WebhookRequest
        do {
            request = try webhookRequest(for: delivery, to: endpoint)
        } catch {
            return .failed(status: nil, excerpt: "", error: "Not sent: the signing secret could not be read (\(Store.describe(error))). Was MUTUAL_SECRET changed? Rotate the secret.")
        }
        do {
            let response = try await webhooks.transport.send(request)
            let excerpt = String(response.bodyExcerpt.prefix(200))
            switch response.status {
            case 200..<300: return .delivered(status: response.status, excerpt: excerpt)
            case 410: return .gone(excerpt: excerpt)
            default: return .failed(status: response.status, excerpt: excerpt, error: "The endpoint answered \(response.status).")
            }
        } catch {
            return .failed(status: nil, excerpt: "", error: "No answer: \(String(Store.describe(error).prefix(300)))")
        }
    }

    /// Records an attempt, and what follows from it.
    private func settle(_ delivery: WebhookDelivery, endpoint: WebhookEndpoint, attempt: WebhookAttempt) async throws -> JobOutcome {
        let now = clock.now
        let schedule = webhooks.retrySchedule
        let attempts = delivery.attempts + 1
        var next: Date?
        var disableReason: String?
        delivery.attempts = attempts
        delivery.lastAttemptAt = now
        switch attempt {
        case .delivered(let status, let excerpt):
            delivery.status = .delivered
            delivery.lastStatusCode = status
            delivery.lastResponse = excerpt
            delivery.lastError = ""
            delivery.nextAttemptAt = nil
        case .gone(let excerpt):
            delivery.status = .failed
            delivery.lastStatusCode = 410
            delivery.lastResponse = excerpt
            delivery.lastError = "The endpoint answered 410 Gone, so it was disabled."
            delivery.nextAttemptAt = nil
            disableReason = "it answered 410 Gone"
        case .failed(let status, let excerpt, let error):
            delivery.lastStatusCode = status
            delivery.lastResponse = excerpt
            if attempts > schedule.count {
                delivery.status = .failed
                delivery.lastError = error + " Every attempt of the retry schedule failed, so the endpoint was disabled."
                delivery.nextAttemptAt = nil
                disableReason = "all \(attempts) attempts to deliver a message failed (last: \(error))"
            } else {
                let wait = schedule[attempts - 1]
                next = now.addingTimeInterval(wait)
                delivery.lastError = error
                delivery.nextAttemptAt = next
            }
        }
        let reasonToDisable = disableReason
        try await transaction { database in
            try await delivery.save(on: database)
            if let reasonToDisable { try await self.disable(endpoint, reason: reasonToDisable, on: database) }
        }
        if let next {
            return .later(next, reason: "Webhook attempt \(attempts) failed (\(delivery.lastError)); next attempt at \(ISO8601DateFormatter().string(from: next)).")
        }
        return .finished
    }

    /// Disables an endpoint (once: the update is conditional on it being enabled), records
    /// `webhook.disabled` and emails the organisation's admins why and where to turn it back on.
    private func disable(_ endpoint: WebhookEndpoint, reason: String, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        let id = try endpoint.requireID()
        let now = clock.now
        let changed = try await sql.update(WebhookEndpoint.schema).set("enabled", to: SQLBind(false))
            .set("disabled_reason", to: SQLBind(String(reason.prefix(500)))).set("disabled_at", to: SQLBind(now))
            .where("id", .equal, SQLBind(id)).where("enabled", .equal, SQLBind(true)).returning("id").all()
        guard !changed.isEmpty else { return }
        try await record(
            NewEvent(.webhookDisabled, organisationID: endpoint.organisationID, actor: nil, subject: id, payload: ["gone": .bool(reason.contains("410"))]),
            on: database)
        let host = URLComponents(string: endpoint.url)?.host ?? "the endpoint"
        let admins = try await Account.query(on: database).filter(\.$organisationID == endpoint.organisationID).filter(\.$role == .admin).all()
        for account in admins {
            guard let login = try await Login.find(account.loginID, on: database) else { continue }
            _ = try await queueEmail(
                template: "webhook-disabled", category: .essential, to: EmailRecipient(personID: account.personID, email: login.email, name: account.name),
                organisationID: endpoint.organisationID,
                values: [
                    "name": account.name, "host": host, "reason": reason, "link": "\(mailSettings.baseURL)/admin/webhooks/\(id.uuidString)",
                    "action": "Open the endpoint",
                ],
                uniqueKey: "email:webhook-disabled:\(id.uuidString.lowercased()):\(Int(now.timeIntervalSince1970)):\(account.personID.uuidString.lowercased())",
                on: database)
        }
    }
}
