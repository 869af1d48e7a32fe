import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import MutualWeb
import Testing

/// `/api/v1/webhooks` and the admin page `/admin/webhooks`, end to end.
@Suite("Webhooks API and admin page")
struct WebhooksWebTests {
    static let url = "https://93.184.215.14/hooks"

    /// Runs the due jobs until `condition` holds (the app's own worker may hold a job meanwhile),
    /// for up to 10 seconds; returns whether it came to hold.
    func settled(_ app: TestApp, _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            try await app.store.runDueJobs()
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    @Test("An admin subscribes, lists, rotates, reads the delivery log, replays and deletes through the API", arguments: TestBackend.all)
    func apiRoundTrip(backend: TestBackend) async throws {
        let transport = ScriptedWebhookTransport([.status(500)])
        var options = TestAppOptions()
        options.webhookTransport = transport
        try await withTestApp(backend, options: options) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", scope: .admin, for: org.admin).secret
            let (created, body) = try await app.callAPI(.post, "/api/v1/webhooks", token: token, json: #"{"url": "\#(Self.url)", "events": ["*"]}"#)
            #expect(created.status == .created)
            let id = try #require(body["id"] as? String)
            let secret = try #require(body["secret"] as? String)
            #expect(secret.hasPrefix("whsec_") && body["format"] as? String == "standard" && body["events"] as? [String] == ["*"])
            let (_, list) = try await app.callAPI(.get, "/api/v1/webhooks", token: token)
            let items = try #require(list["items"] as? [[String: Any]])
            #expect(items.count == 1 && items[0]["id"] as? String == id && items[0]["secret"] == nil)

            // Its own webhook.created is the first delivery; the first attempt fails (500).
            #expect(try await settled(app) { transport.requests.count == 1 })
            #expect(try await settled(app) {
                let (_, log) = try await app.callAPI(.get, "/api/v1/webhooks/\(id)/deliveries", token: token)
                return (log["items"] as? [[String: Any]])?.first?["last_status_code"] as? Int == 500
            })
            let (_, log) = try await app.callAPI(.get, "/api/v1/webhooks/\(id)/deliveries", token: token)
            let delivery = try #require((log["items"] as? [[String: Any]])?.first)
            #expect(delivery["status"] as? String == "pending" && delivery["last_status_code"] as? Int == 500 && delivery["event_type"] as? String == "webhook.created")
            let deliveryID = try #require(delivery["id"] as? String)
            let (early, problem) = try await app.callAPI(.post, "/api/v1/webhook-deliveries/\(deliveryID)/replay", token: token)
            #expect(early.status == .conflict && (problem["detail"] as? String)?.contains("still being sent") == true)
            app.clock.advance(by: 5)
            #expect(try await settled(app) { transport.requests.count == 2 })
            #expect(try await settled(app) { try await app.store.webhookDeliveries(endpointID: UUID(uuidString: id)!, of: org.admin).first?.status == .delivered })
            let (replayed, again) = try await app.callAPI(.post, "/api/v1/webhook-deliveries/\(deliveryID)/replay", token: token)
            #expect(replayed.status == .accepted && again["replays"] as? Int == 1 && again["webhook_id"] as? String == delivery["webhook_id"] as? String)
            #expect(try await settled(app) { transport.requests.count == 3 })
            #expect(transport.requests.count == 3 && Set(transport.requests.compactMap { $0.header("webhook-id") }).count == 1)

            let (rotated, newSecret) = try await app.callAPI(.post, "/api/v1/webhooks/\(id)/rotate-secret", token: token)
            #expect(rotated.status == .ok && (newSecret["secret"] as? String)?.hasPrefix("whsec_") == true && newSecret["secret"] as? String != secret)
            #expect(newSecret["previous_secret_valid_until"] is String)

            let (deleted, _) = try await app.callAPI(.delete, "/api/v1/webhooks/\(id)", token: token)
            #expect(deleted.status == .noContent)
            let (gone, _) = try await app.callAPI(.get, "/api/v1/webhooks/\(id)", token: token)
            #expect(gone.status == .notFound)
        }
    }

    @Test("Unknown event types, bad formats and private addresses are refused as problem+json naming what to send", arguments: TestBackend.all)
    func refusals(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", scope: .admin, for: org.admin).secret
            let (unknown, problem) = try await app.callAPI(.post, "/api/v1/webhooks", token: token, json: #"{"url": "\#(Self.url)", "events": ["match.publish"]}"#)
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            #expect(problem["field"] as? String == "events")
            #expect((problem["detail"] as? String)?.contains("match.published") == true)
            let (format, formatProblem) = try await app.callAPI(.post, "/api/v1/webhooks", token: token, json: #"{"url": "\#(Self.url)", "events": ["*"], "format": "discord"}"#)
            #expect(format.status.code >= 400 && format.status.code < 500 && (formatProblem["detail"] as? String)?.contains("slack") == true)
            let (ssrf, ssrfProblem) = try await app.callAPI(.post, "/api/v1/webhooks", token: token, json: #"{"url": "http://169.254.169.254/latest", "events": ["*"]}"#)
            #expect(ssrf.status == .unprocessableContent && ssrfProblem["field"] as? String == "url")
            // Admins only.
            let participant = try await app.store.createAPIToken(named: "p", for: org.participant).secret
            let (refused, _) = try await app.callAPI(.post, "/api/v1/webhooks", token: participant, json: #"{"url": "\#(Self.url)", "events": ["*"]}"#)
            #expect(refused.status == .forbidden)
            let (_, list) = try await app.callAPI(.get, "/api/v1/webhooks", token: token)
            #expect((list["items"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("50 subscriptions at once with one Idempotency-Key make one endpoint; 50 without make 50 with distinct secrets", arguments: TestBackend.all)
    func parallelSubscriptions(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", scope: .admin, for: org.admin).secret
            let json = #"{"url": "\#(Self.url)", "events": ["match.published"]}"#
            let keyed = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let response = try await app.client.executeRequest(
                            uri: "/api/v1/webhooks", method: .post,
                            headers: [.authorization: "Bearer \(token)", .contentType: "application/json", HTTPField.Name("Idempotency-Key")!: "one-subscription"],
                            body: ByteBuffer(string: json))
                        return Int(response.status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(keyed.allSatisfy { $0 == 201 || $0 == 409 } && keyed.contains(201))
            #expect(try await app.store.webhookEndpoints(of: org.admin).count == 1)
            let secrets = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await app.callAPI(.post, "/api/v1/webhooks", token: token, json: json).1["secret"] as? String }
                }
                return try await group.reduce(into: [String]()) { if let secret = $1 { $0.append(secret) } }
            }
            #expect(secrets.count == 50 && Set(secrets).count == 50)
            #expect(try await app.store.webhookEndpoints(of: org.admin).count == 51)
        }
    }

    @Test("The admin page subscribes with a form, shows the secret once, explains a refusal, and lists deliveries", arguments: TestBackend.all)
    func adminPage(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = try await app.signedIn(org.adminEmail)
            let empty = try await admin.get("/admin/webhooks")
            #expect(empty.status == .ok && empty.text.contains("No endpoints yet") && empty.text.contains("match.published"))
            let refused = try await admin.post("/admin/webhooks", fields: [("url", "http://127.0.0.1/x"), ("format", "slack"), ("all_events", "on")])
            #expect(refused.status == .unprocessableContent && refused.text.contains("private, loopback or link-local"))
            let none = try await admin.post("/admin/webhooks", fields: [("url", Self.url), ("format", "standard")])
            #expect(none.status == .unprocessableContent && none.text.contains("at least one event type"))
            let created = try await admin.post(
                "/admin/webhooks", fields: [("url", Self.url), ("format", "teams"), ("events", "match.published"), ("events", "relationship.paused")])
            #expect(created.status == .ok && created.text.contains("whsec_") && created.text.contains("match.published, relationship.paused"))
            let endpoint = try #require(try await app.store.webhookEndpoints(of: org.admin).first)
            #expect(endpoint.format == .teams)
            let log = try await admin.get("/admin/webhooks/\(endpoint.id.uuidString)")
            #expect(log.status == .ok && log.text.contains("Nothing has been sent"))
            let rotated = try await admin.post("/admin/webhooks/\(endpoint.id.uuidString)/rotate")
            #expect(rotated.text.contains("whsec_") && rotated.text.contains("previous secret also signs"))
            let deleted = try await admin.post("/admin/webhooks/\(endpoint.id.uuidString)/delete")
            #expect(deleted.text.contains("Deleted") && deleted.text.contains("No endpoints yet"))
            let participant = try await app.signedIn(org.participantEmail)
            #expect(try await participant.get("/admin/webhooks").status == .forbidden)
        }
    }

    @Test("MUTUAL_WEBHOOK_RETRY_SCHEDULE and MUTUAL_WEBHOOK_ALLOW_PRIVATE are read, and bad values refused at start with what to write")
    func configuration() async throws {
        let good = try await AppConfiguration.load(
            flags: [:], environment: ["MUTUAL_WEBHOOK_RETRY_SCHEDULE": "1, 2,30", "MUTUAL_WEBHOOK_ALLOW_PRIVATE": "true"], dotEnvPath: nil)
        #expect(good.webhookRetrySchedule == [1, 2, 30] && good.webhookAllowPrivate)
        let standard = try await AppConfiguration.load(flags: [:], environment: [:], dotEnvPath: nil)
        #expect(standard.webhookRetrySchedule == [5, 300, 1800, 7200, 18_000, 36_000, 36_000] && !standard.webhookAllowPrivate)
        for bad in ["5,abc", "0", "5,,6", "-5", "1.5", String(repeating: "1,", count: 21) + "1"] {
            do {
                _ = try await AppConfiguration.load(flags: [:], environment: ["MUTUAL_WEBHOOK_RETRY_SCHEDULE": bad], dotEnvPath: nil)
                Issue.record("\(bad) was accepted")
            } catch let error as ConfigurationError {
                #expect(error.message.contains("MUTUAL_WEBHOOK_RETRY_SCHEDULE") && error.message.contains("5,300,1800"), "\(bad)")
            }
        }
        await #expect(throws: ConfigurationError.self) {
            _ = try await AppConfiguration.load(flags: [:], environment: ["MUTUAL_WEBHOOK_ALLOW_PRIVATE": "maybe"], dotEnvPath: nil)
        }
    }
}
