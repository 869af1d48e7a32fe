import FluentKit
import Foundation
import Logging
import MutualTestSupport
import SQLKit
import Testing

@testable import MutualStore

/// A store with a scripted webhook transport, a movable clock and a seeded organisation.
struct WebhookFixture {
    let store: Store
    let clock: TestClock
    let transport: ScriptedWebhookTransport
    let org: SeededOrganisation
    let database: MutualDatabase

    /// A public address (no DNS needed: a literal), for endpoints the address rule accepts.
    static let publicURL = "https://93.184.215.14/mutual-hooks"

    static func make(
        _ database: MutualDatabase, transport: ScriptedWebhookTransport = ScriptedWebhookTransport(), schedule: [TimeInterval] = [5, 300],
        allowPrivate: Bool = false, clock: TestClock = TestClock(), org: SeededOrganisation? = nil
    ) async throws -> WebhookFixture {
        let store = Store(
            database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4),
            // One sealer for every store of a test, as replicas share MUTUAL_SECRET.
            sealer: SecretSealer(secret: "webhook-tests-secret-of-at-least-32-characters"),
            webhooks: WebhookSettings(transport: transport, retrySchedule: schedule, allowPrivateAddresses: allowPrivate), logger: Logger(label: "test"))
        let seeded: SeededOrganisation
        if let org { seeded = org } else { seeded = try await Seeds.organisation("Hooks", in: store) }
        return WebhookFixture(store: store, clock: clock, transport: transport, org: seeded, database: database)
    }

    /// Writes one `invitation.created` event (by inviting someone) and runs the due jobs.
    @discardableResult
    func inviteSomeone(_ local: String = "new") async throws -> UUID {
        let issued = try await store.invite(email: "\(local)-\(UUID().uuidString.prefix(6))@hooks.example", role: .participant, by: org.admin) {
            "http://mutual.test/invitations/\($0)"
        }
        try await store.runDueJobs()
        return try issued.invitation.requireID()
    }

    func deliveries() async throws -> [WebhookDelivery] {
        try await WebhookDelivery.query(on: database.database()).sort(\.$createdAt).all()
    }

    func endpoint(_ id: UUID) async throws -> WebhookEndpoint {
        try #require(try await WebhookEndpoint.find(id, on: database.database()))
    }
}

@Suite("Webhooks: signed, durable, retried deliveries")
struct WebhookStoreTests {
    @Test("The signature is the specification's test vector, and what an independent HMAC-SHA256 computes")
    func signatureMatchesSpecification() throws {
        // The Standard Webhooks specification's own example.
        let body = Data(#"{"test": 2432232314}"#.utf8)
        #expect(
            WebhookSignature.sign(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        // A fresh secret: 32 random bytes, and the tests' own HMAC agrees.
        let secret = WebhookSignature.makeSecret()
        #expect(secret.hasPrefix("whsec_") && Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
        let signed = try #require(WebhookSignature.sign(id: "msg_1", timestamp: 1_800_000_000, body: Data("{}".utf8), secret: secret))
        #expect(signed == ReferenceWebhookSignature.expected(id: "msg_1", timestamp: "1800000000", body: Data("{}".utf8), secret: secret))
        #expect(WebhookSignature.makeSecret() != secret)
    }

    @Test("A subscribed event is delivered once, signed, with the Standard Webhooks body", arguments: TestBackend.all)
    func deliveryIsSignedAndShaped(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await WebhookFixture.make(database)
            let created = try await fixture.store.subscribeWebhook(url: WebhookFixture.publicURL, events: ["invitation.created"], by: fixture.org.admin)
            #expect(created.endpoint.events == ["invitation.created"] && created.endpoint.enabled)
            let invitationID = try await fixture.inviteSomeone()
            let requests = fixture.transport.requests
            try #require(requests.count == 1)
            let request = requests[0]
            let id = try #require(request.header("webhook-id"))
            let timestamp = try #require(request.header("webhook-timestamp"))
            #expect(id.hasPrefix("msg_"))
            #expect(timestamp == String(Int(fixture.clock.now.timeIntervalSince1970)))
            #expect(request.header("content-type") == "application/json" && request.url == WebhookFixture.publicURL && request.timeout == 10)
            let signature = try #require(request.header("webhook-signature"))
            #expect(!signature.contains(" "))
            #expect(ReferenceWebhookSignature.verifies(header: signature, id: id, timestamp: timestamp, body: request.body, secret: created.secret))
            let json = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
            #expect(json["type"] as? String == "invitation.created")
            #expect(json["timestamp"] as? String != nil)
            let data = try #require(json["data"] as? [String: Any])
            #expect(data["subject_id"] as? String == invitationID.uuidString.lowercased())
            #expect(data["subject_type"] as? String == "invitation")
            #expect((data["payload"] as? [String: Any])?["role"] as? String == "participant")
            let deliveries = try await fixture.deliveries()
            #expect(deliveries.count == 1 && deliveries[0].status == .delivered && deliveries[0].attempts == 1 && deliveries[0].webhookID == id)
            // Nothing runs twice: a second pass sends nothing.
            try await fixture.store.runDueJobs()
            #expect(fixture.transport.requests.count == 1)
            // Housekeeping keeps a month of the log.
            let housekeeping = ClaimedJob(
                id: UUID(), kind: JobKind.housekeeping, payload: "{}", subject: "", organisationID: nil, attempt: 1, maxAttempts: 1)
            fixture.clock.advance(by: 29 * 86_400)
            _ = try await fixture.store.housekeeping(housekeeping)
            #expect(try await fixture.deliveries().count == 1)
            fixture.clock.advance(by: 2 * 86_400)
            _ = try await fixture.store.housekeeping(housekeeping)
            #expect(try await fixture.deliveries().isEmpty)
        }
    }

    @Test("A failed delivery is retried on the schedule with the same webhook-id and body", arguments: TestBackend.all)
    func retriesKeepTheWebhookID(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let transport = ScriptedWebhookTransport([.status(503), .noAnswer])
            let fixture = try await WebhookFixture.make(database, transport: transport, schedule: [5, 300])
            _ = try await fixture.store.subscribeWebhook(url: WebhookFixture.publicURL, events: ["*"], by: fixture.org.admin)
            // The subscription's own event (webhook.created) is the first delivery; invite after it.
            try await fixture.store.runDueJobs()
            #expect(transport.requests.count == 1)
            let first = try #require(try await fixture.deliveries().first)
            #expect(first.status == .pending && first.attempts == 1 && first.lastStatusCode == 503)
            #expect(first.nextAttemptAt == fixture.clock.now.addingTimeInterval(5))
            // Not before its time.
            fixture.clock.advance(by: 4)
            try await fixture.store.runDueJobs()
            #expect(transport.requests.count == 1)
            fixture.clock.advance(by: 1)
            try await fixture.store.runDueJobs()
            #expect(transport.requests.count == 2)
            let second = try await fixture.endpoint(first.endpointID)
            #expect(second.enabled)
            #expect(try await fixture.deliveries()[0].nextAttemptAt == fixture.clock.now.addingTimeInterval(300))
            fixture.clock.advance(by: 299)
            try await fixture.store.runDueJobs()
            #expect(transport.requests.count == 2)
            fixture.clock.advance(by: 1)
            try await fixture.store.runDueJobs()
            let requests = transport.requests
            #expect(requests.count == 3)
            #expect(Set(requests.compactMap { $0.header("webhook-id") }).count == 1)
            #expect(Set(requests.map(\.body)).count == 1)
            // Each attempt is signed afresh with its own time.
            #expect(Set(requests.compactMap { $0.header("webhook-timestamp") }).count == 3)
            let delivered = try await fixture.deliveries()[0]
            #expect(delivered.status == .delivered && delivered.attempts == 3)
        }
    }

    @Test("A 410 disables the endpoint at once, and the admins are emailed", arguments: TestBackend.all)
    func goneDisablesAndTellsAdmins(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await WebhookFixture.make(database, transport: ScriptedWebhookTransport([.status(410)]))
            let created = try await fixture.store.subscribeWebhook(url: WebhookFixture.publicURL, events: ["invitation.created"], by: fixture.org.admin)
            try await fixture.inviteSomeone()
            let endpoint = try await fixture.endpoint(created.endpoint.id)
            #expect(!endpoint.enabled && endpoint.disabledReason.contains("410"))
            #expect(try await fixture.deliveries().map(\.status) == [.failed])
            let mail = try await fixture.store.outboxAfterJobs().filter { $0.subject.contains("webhook endpoint was disabled") }
            #expect(mail.map(\.recipient) == [fixture.org.adminEmail])
            #expect(mail.first?.body.contains("410") == true && mail.first?.body.contains("/admin/webhooks/\(created.endpoint.id.uuidString)") == true)
            // Nothing more is sent; the next event writes no fan-out at all.
            try await fixture.inviteSomeone("later")
            #expect(fixture.transport.requests.count == 1)
            #expect(try await fixture.deliveries().count == 1)
            let disabledEvents = try await database.sql().select().column("id").from("domain_events").where("type", .equal, "webhook.disabled").all()
            #expect(disabledEvents.count == 1)
        }
    }

    @Test("When every attempt of the schedule fails the endpoint is disabled and the admins told", arguments: TestBackend.all)
    func exhaustedScheduleDisables(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let transport = ScriptedWebhookTransport(always: .status(500))
            let fixture = try await WebhookFixture.make(database, transport: transport, schedule: [5, 5])
            let created = try await fixture.store.subscribeWebhook(url: WebhookFixture.publicURL, events: ["invitation.created"], by: fixture.org.admin)
            try await fixture.inviteSomeone()
            for _ in 0..<4 {
                fixture.clock.advance(by: 5)
                try await fixture.store.runDueJobs()
            }
            #expect(transport.requests.count == 3)
            let endpoint = try await fixture.endpoint(created.endpoint.id)
            #expect(!endpoint.enabled && endpoint.disabledReason.contains("all 3 attempts"))
            let delivery = try #require(try await fixture.deliveries().first)
            #expect(delivery.status == .failed && delivery.attempts == 3 && delivery.lastStatusCode == 500)
            let mail = try await fixture.store.outboxAfterJobs().filter { $0.subject.contains("webhook endpoint was disabled") }
            #expect(mail.map(\.recipient) == [fixture.org.adminEmail])
            // Enabled again, a replay goes out with the same webhook-id.
            transport.answer(always: nil)
            _ = try await fixture.store.enableWebhookEndpoint(id: created.endpoint.id, by: fixture.org.admin)
            let replayed = try await fixture.store.replayWebhookDelivery(id: try delivery.requireID(), by: fixture.org.admin)
            #expect(replayed.status == .pending && replayed.replays == 1)
            await #expect(throws: StoreError.self) {
                _ = try await fixture.store.replayWebhookDelivery(id: try delivery.requireID(), by: fixture.org.admin)
            }
            try await fixture.store.runDueJobs()
            #expect(transport.requests.count == 4 && transport.requests.last?.header("webhook-id") == delivery.webhookID)
            #expect(try await fixture.deliveries().first?.status == .delivered)
        }
    }

    /// Addresses an endpoint may not have, each written as an attacker might.
    static let refusedURLs = [
        "http://127.0.0.1/hook", "http://127.8.9.10:8080/hook", "http://localhost:8080/hook", "http://10.1.2.3/hook", "http://172.16.0.1/hook",
        "http://172.31.255.254/hook", "http://192.168.1.20/hook", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/hook",
        "http://100.64.0.1/hook", "http://[::1]/hook", "http://[fc00::1]/hook", "http://[fd12:3456:789a::1]/hook", "http://[fe80::1]/hook",
        "http://[::ffff:127.0.0.1]/hook", "http://[::ffff:10.0.0.1]/hook", "http://[::ffff:169.254.169.254]/hook", "http://[::]/hook",
        "http://2130706433/hook", "http://0x7f.0.0.1/hook", "ftp://93.184.215.14/hook", "file:///etc/passwd", "javascript:alert(1)",
        "https://user:pass@93.184.215.14/hook", "https:///nohost", "not a url",
    ]

    @Test("Private, loopback and link-local addresses and other schemes are refused; public ones accepted", arguments: TestBackend.all)
    func addressRule(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await WebhookFixture.make(database)
            for url in Self.refusedURLs {
                do {
                    _ = try await fixture.store.subscribeWebhook(url: url, events: ["*"], by: fixture.org.admin)
                    Issue.record("\(url) was accepted")
                } catch let error as StoreError {
                    #expect(error.field == "url", "\(url)")
                }
            }
            #expect(try await fixture.store.webhookEndpoints(of: fixture.org.admin).isEmpty)
            _ = try await fixture.store.subscribeWebhook(url: WebhookFixture.publicURL, events: ["*"], by: fixture.org.admin)
            _ = try await fixture.store.subscribeWebhook(url: "https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/h", events: ["*"], by: fixture.org.admin)
            #expect(try await fixture.store.webhookEndpoints(of: fixture.org.admin).count == 2)
            // MUTUAL_WEBHOOK_ALLOW_PRIVATE lifts the address rule, not the scheme rule.
            let open = try await WebhookFixture.make(database, allowPrivate: true, org: fixture.org)
            _ = try await open.store.subscribeWebhook(url: "http://127.0.0.1:9/hook", events: ["*"], by: fixture.org.admin)
            await #expect(throws: StoreError.self) { _ = try await open.store.subscribeWebhook(url: "ftp://127.0.0.1/", events: ["*"], by: fixture.org.admin) }
        }
    }

    @Test("The address classification covers every private, loopback and link-local range, IPv4 inside IPv6 included")
    func addressClassification() {
        let refused: [[UInt8]] = [
            [127, 0, 0, 1], [127, 255, 255, 255], [10, 0, 0, 1], [172, 16, 0, 1], [172, 31, 255, 255], [192, 168, 0, 1], [169, 254, 169, 254],
            [0, 0, 0, 0], [100, 64, 0, 1], [224, 0, 0, 1], [255, 255, 255, 255],
            Array(repeating: 0, count: 15) + [1], Array(repeating: 0, count: 16), [0xFC] + Array(repeating: 0, count: 14) + [1],
            [0xFD, 0x12] + Array(repeating: 0, count: 13) + [1], [0xFE, 0x80] + Array(repeating: 0, count: 13) + [1],
            Array(repeating: 0, count: 10) + [0xFF, 0xFF, 127, 0, 0, 1], Array(repeating: 0, count: 10) + [0xFF, 0xFF, 192, 168, 1, 1],
            Array(repeating: 0, count: 12) + [10, 0, 0, 1], [0x00, 0x64, 0xFF, 0x9B] + Array(repeating: 0, count: 8) + [169, 254, 0, 1],
            [0x20, 0x02, 10, 0, 0, 1] + Array(repeating: 0, count: 10),
        ]
        for address in refused { #expect(!WebhookAddressPolicy.isPublic(address), "\(address)") }
        let accepted: [[UInt8]] = [
            [93, 184, 215, 14], [8, 8, 8, 8], [172, 32, 0, 1], [172, 15, 255, 255], [100, 128, 0, 1], [1, 1, 1, 1],
            [0x26, 0x06, 0x28, 0x00, 0x02, 0x1F, 0xCB, 0x07, 0x68, 0x20, 0x80, 0xDA, 0xAF, 0x6B, 0x8B, 0x2C],
            Array(repeating: 0, count: 10) + [0xFF, 0xFF, 93, 184, 215, 14],
        ]
        for address in accepted { #expect(WebhookAddressPolicy.isPublic(address), "\(address)") }
    }

    @Test("The address is checked again at delivery time: a now-private endpoint gets nothing", arguments: TestBackend.all)
    func deliveryTimeAddressCheck(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            // Subscribed while private addresses were allowed (as if its name resolved publicly then) …
            let before = try await WebhookFixture.make(database, allowPrivate: true)
            _ = try await before.store.subscribeWebhook(url: "http://127.0.0.1:9/hook", events: ["invitation.created"], by: before.org.admin)
            // … delivered by a server that refuses them.
            let after = try await WebhookFixture.make(database, allowPrivate: false, clock: before.clock, org: before.org)
            _ = try await after.store.invite(email: "x@hooks.example", role: .participant, by: after.org.admin) { "http://mutual.test/i/\($0)" }
            try await after.store.runDueJobs()
            #expect(after.transport.requests.isEmpty && before.transport.requests.isEmpty)
            let delivery = try #require(try await after.deliveries().first)
            #expect(delivery.status == .pending && delivery.attempts == 1 && delivery.lastError.contains("Not sent") && delivery.lastError.contains("127.0.0.1"))
        }
    }

    @Test("After a rotation both secrets sign during the overlap, then only the new one", arguments: TestBackend.all)
    func rotationOverlap(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await WebhookFixture.make(database)
            let created = try await fixture.store.subscribeWebhook(url: WebhookFixture.publicURL, events: ["invitation.created"], by: fixture.org.admin)
            let rotated = try await fixture.store.rotateWebhookSecret(id: created.endpoint.id, by: fixture.org.admin)
            #expect(rotated.secret != created.secret && rotated.previousSecretValidUntil == fixture.clock.now.addingTimeInterval(86_400))
            #expect(try await fixture.store.webhookEndpoint(id: created.endpoint.id, of: fixture.org.admin).previousSecretValidUntil != nil)
            try await fixture.inviteSomeone()
            func signatures(_ request: WebhookRequest) throws -> (header: String, id: String, timestamp: String) {
                (try #require(request.header("webhook-signature")), try #require(request.header("webhook-id")), try #require(request.header("webhook-timestamp")))
            }
            let during = try signatures(try #require(fixture.transport.requests.last))
            #expect(during.header.split(separator: " ").count == 2)
            #expect(ReferenceWebhookSignature.verifies(header: during.header, id: during.id, timestamp: during.timestamp, body: fixture.transport.requests[0].body, secret: rotated.secret))
            #expect(ReferenceWebhookSignature.verifies(header: during.header, id: during.id, timestamp: during.timestamp, body: fixture.transport.requests[0].body, secret: created.secret))
            fixture.clock.advance(by: 86_401)
            try await fixture.inviteSomeone("after")
            let last = try #require(fixture.transport.requests.last)
            let after = try signatures(last)
            #expect(!after.header.contains(" "))
            #expect(ReferenceWebhookSignature.verifies(header: after.header, id: after.id, timestamp: after.timestamp, body: last.body, secret: rotated.secret))
            #expect(!ReferenceWebhookSignature.verifies(header: after.header, id: after.id, timestamp: after.timestamp, body: last.body, secret: created.secret))
            #expect(try await fixture.store.webhookEndpoint(id: created.endpoint.id, of: fixture.org.admin).previousSecretValidUntil == nil)
        }
    }

    @Test("An unknown event type is refused with the list of valid ones; only admins subscribe", arguments: TestBackend.all)
    func unknownEventRefused(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await WebhookFixture.make(database)
            do {
                _ = try await fixture.store.subscribeWebhook(url: WebhookFixture.publicURL, events: ["match.publish"], by: fixture.org.admin)
                Issue.record("an unknown type was accepted")
            } catch let error as StoreError {
                #expect(error.field == "events")
                let message = error.errorDescription ?? ""
                #expect(message.contains("\"match.publish\"") && message.contains("match.published") && message.contains("concern.raised"))
            }
            await #expect(throws: StoreError.self) {
                _ = try await fixture.store.subscribeWebhook(url: WebhookFixture.publicURL, events: ["*", "match.published"], by: fixture.org.admin)
            }
            await #expect(throws: StoreError.self) { _ = try await fixture.store.subscribeWebhook(url: WebhookFixture.publicURL, events: [], by: fixture.org.admin) }
            await #expect(throws: StoreError.self) {
                _ = try await fixture.store.subscribeWebhook(url: WebhookFixture.publicURL, events: ["*"], by: fixture.org.manager)
            }
            #expect(try await fixture.store.webhookEndpoints(of: fixture.org.admin).isEmpty)
        }
    }

    @Test("A concern's webhook carries neither who raised it nor a word of it", arguments: TestBackend.all)
    func concernCarriesNothingPersonal(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            let fixture = try await WebhookFixture.make(database, clock: pair.clock, org: pair.org)
            _ = try await fixture.store.subscribeWebhook(url: WebhookFixture.publicURL, events: ["concern.raised"], by: pair.org.admin)
            _ = try await pair.store.raiseConcern(
                programmeID: pair.pool.programme.id, relationshipID: pair.relationshipID, text: "Xena keeps cancelling at the last minute", by: pair.pool.ari)
            try await fixture.store.runDueJobs()
            let request = try #require(fixture.transport.requests.first)
            let text = String(decoding: request.body, as: UTF8.self)
            #expect(!text.contains("cancelling") && !text.contains("Ari") && !text.contains("Xena"))
            #expect(!text.lowercased().contains(pair.pool.ari.personID.uuidString.lowercased()))
            #expect(!text.lowercased().contains(pair.relationshipID.uuidString.lowercased()))
            let json = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
            let data = try #require(json["data"] as? [String: Any])
            #expect(json["type"] as? String == "concern.raised" && data["actor_person_id"] == nil && data["subject_type"] as? String == "programme")
            #expect((data["payload"] as? [String: Any])?.isEmpty == true)
        }
    }

    @Test("Slack and Teams endpoints get bodies those services accept, still signed and logged", arguments: TestBackend.all)
    func chatFormats(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await WebhookFixture.make(database)
            _ = try await fixture.store.subscribeWebhook(url: WebhookFixture.publicURL + "/slack", events: ["invitation.created"], format: .slack, by: fixture.org.admin)
            _ = try await fixture.store.subscribeWebhook(url: WebhookFixture.publicURL + "/teams", events: ["invitation.created"], format: .teams, by: fixture.org.admin)
            try await fixture.inviteSomeone()
            let requests = fixture.transport.requests
            try #require(requests.count == 2)
            let slack = try #require(requests.first { $0.url.hasSuffix("/slack") })
            let slackJSON = try #require(try JSONSerialization.jsonObject(with: slack.body) as? [String: Any])
            #expect(Array(slackJSON.keys) == ["text"] && (slackJSON["text"] as? String)?.contains("invitation.created") == true)
            let teams = try #require(requests.first { $0.url.hasSuffix("/teams") })
            let teamsJSON = try #require(try JSONSerialization.jsonObject(with: teams.body) as? [String: Any])
            let attachment = try #require((teamsJSON["attachments"] as? [[String: Any]])?.first)
            #expect(teamsJSON["type"] as? String == "message" && attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
            #expect((attachment["content"] as? [String: Any])?["type"] as? String == "AdaptiveCard")
            #expect(slack.header("webhook-signature")?.hasPrefix("v1,") == true)
            // A match published reads as such, naming the programme and nobody.
            let message = WebhookChatMessage.make(type: "match.published", programmeName: "Engineering", subjectType: "match", subjectID: "x", baseURL: "https://m.example")
            #expect(message.text.contains("“Engineering”") && message.title == "New match published")
        }
    }

    @Test("Workers racing over one event's fan-out and deliveries make exactly one delivery per endpoint, each sent once", arguments: TestBackend.all)
    func racingWorkers(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await WebhookFixture.make(database)
            for index in 0..<3 {
                _ = try await fixture.store.subscribeWebhook(url: WebhookFixture.publicURL + "/\(index)", events: ["invitation.created"], by: fixture.org.admin)
            }
            try await fixture.store.runDueJobs()
            // 50 events at once, then 50 workers at once over their fan-outs and deliveries.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        _ = try await fixture.store.invite(email: "race\(index)@hooks.example", role: .participant, by: fixture.org.admin) {
                            "http://mutual.test/i/\($0)"
                        }
                    }
                }
                try await group.waitForAll()
            }
            let handlers = fixture.store.jobHandlers()
            try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<50 {
                    group.addTask {
                        var configuration = JobWorkerConfiguration()
                        configuration.workerID = "racer-\(worker)"
                        configuration.concurrency = 2
                        return try await JobWorker(store: fixture.store, handlers: handlers, configuration: configuration, logger: Logger(label: "test")).drain()
                    }
                }
                try await group.waitForAll()
            }
            // A fan-out run again (its worker died after committing) adds nothing.
            try await database.sql().update("jobs").set("status", to: SQLBind("queued")).where("kind", .equal, SQLBind(JobKind.webhookFanOut)).run()
            try await fixture.store.runDueJobs()
            let deliveries = try await fixture.deliveries().filter { $0.eventType == "invitation.created" }
            #expect(deliveries.count == 150)
            #expect(Set(deliveries.map { "\($0.endpointID)/\($0.eventID)" }).count == 150)
            #expect(deliveries.allSatisfy { $0.status == .delivered && $0.attempts == 1 })
            let sent = fixture.transport.requests.compactMap { $0.header("webhook-id") }
            #expect(sent.count == 150 && Set(sent).count == 150)
        }
    }
}
