import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualTestSupport
import MutualWeb
import Testing

/// `/metrics` is served only behind `MUTUAL_METRICS_TOKEN` or on `MUTUAL_METRICS_PORT`.
@Suite("Metrics access")
struct MetricsAccessTests {
    static func scrape(_ app: TestApp, authorization: String?) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let authorization { headers[.authorization] = authorization }
        return try await app.client.executeRequest(uri: "/metrics", method: .get, headers: headers, body: nil)
    }

    @Test("With neither a token nor a port, /metrics answers 404 and the start-up log names both settings")
    func offByDefault() async throws {
        let log = CapturedLog()
        var options = TestAppOptions()
        options.metricsToken = nil
        options.logger = log.logger
        try await withTestApp(.sqlite, options: options) { app in
            let plain = try await Self.scrape(app, authorization: nil)
            #expect(plain.status == .notFound)
            let withToken = try await Self.scrape(app, authorization: "Bearer \(TestAppOptions.metricsToken)")
            #expect(withToken.status == .notFound)
        }
        let text = log.text
        #expect(text.contains("MUTUAL_METRICS_TOKEN") && text.contains("MUTUAL_METRICS_PORT"), "the start-up log says how to turn metrics on")
    }

    @Test("With a token, /metrics answers 401 without it or with a wrong one, and 200 with it")
    func tokenGuardsTheMainPort() async throws {
        var options = TestAppOptions()
        options.metricsToken = "s3cret-metrics-token-for-this-test"
        try await withTestApp(.sqlite, options: options) { app in
            for wrong in [nil, "Bearer nope", "Bearer s3cret-metrics-token-for-this-tes", "Bearer s3cret-metrics-token-for-this-testX", "Basic czNjcmV0", "s3cret-metrics-token-for-this-test"] {
                let answer = try await Self.scrape(app, authorization: wrong)
                #expect(answer.status == .unauthorized, "\(wrong ?? "no header") was let in")
                #expect(answer.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                #expect(!answer.text.contains("hb_requests"))
            }
            let answer = try await Self.scrape(app, authorization: "Bearer s3cret-metrics-token-for-this-test")
            #expect(answer.status == .ok)
            #expect(answer.text.contains("mutual_jobs_queued"))
            #expect(try await Self.scrape(app, authorization: "bearer s3cret-metrics-token-for-this-test").status == .ok)
        }
    }

    @Test("With a port, metrics are served by a real listener on it (no token), and not on the main port")
    func separatePort() async throws {
        var options = TestAppOptions()
        options.metricsToken = nil
        options.metricsPort = 0
        try await withTestApp(.sqlite, options: options) { app in
            #expect(try await Self.scrape(app, authorization: nil).status == .notFound)
            let listener = try #require(app.metricsListener)
            let port = try await listener.port()
            let (scrape, elsewhere) = try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                (try await client.get("/metrics"), try await client.get("/dashboard"))
            }
            #expect(scrape.status == .ok)
            #expect(String(buffer: scrape.body ?? ByteBuffer()).contains("mutual_jobs_queued"))
            #expect(elsewhere.status == .notFound, "the metrics listener serves nothing but /metrics")
        }
    }

    @Test("With a port and a token, the separate listener asks for the token too")
    func separatePortWithToken() async throws {
        var options = TestAppOptions()
        options.metricsToken = "another-metrics-token-0001"
        options.metricsPort = 0
        try await withTestApp(.sqlite, options: options) { app in
            #expect(try await Self.scrape(app, authorization: "Bearer another-metrics-token-0001").status == .notFound)
            let port = try await #require(app.metricsListener).port()
            let (without, with) = try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                (try await client.get("/metrics"), try await client.get("/metrics", headers: [.authorization: "Bearer another-metrics-token-0001"]))
            }
            #expect(without.status == .unauthorized)
            #expect(with.status == .ok)
        }
    }

    @Test("MUTUAL_METRICS_TOKEN and MUTUAL_METRICS_PORT are read from the environment and checked")
    func configuration() async throws {
        let configuration = try await AppConfiguration.load(
            flags: [:], environment: ["MUTUAL_METRICS_TOKEN": "0123456789abcdef0123", "MUTUAL_METRICS_PORT": "9464"], dotEnvPath: nil)
        #expect(configuration.metricsToken == "0123456789abcdef0123")
        #expect(configuration.metricsPort == 9464)
        for bad in [["MUTUAL_METRICS_TOKEN": "short"], ["MUTUAL_METRICS_PORT": "metrics"], ["MUTUAL_METRICS_PORT": "8080"], ["MUTUAL_METRICS_PORT": "70000"]] {
            await #expect(throws: ConfigurationError.self, "\(bad)") {
                _ = try await AppConfiguration.load(flags: [:], environment: bad, dotEnvPath: nil)
            }
        }
    }
}
