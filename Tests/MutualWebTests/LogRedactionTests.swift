import Foundation
import Logging
import MutualStore
import MutualTestSupport
import Synchronization
import Testing

@testable import MutualWeb

/// Every line the application logs, kept for the test to read.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])
    var text: String { lines.withLock { $0.joined(separator: "\n") } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var logger: Logger {
        Logger(label: "captured") { _ in CapturingHandler(log: self) }
    }

    struct CapturingHandler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            log.append("\(event.level) \(event.message) \(all.map { "\($0)=\($1)" }.sorted().joined(separator: " "))")
        }
    }
}

@Suite("Secrets stay out of the logs")
struct LogRedactionTests {
    @Test("An invitation's token, used in the path to accept it, never appears in the log; the request line still does")
    func invitationTokenIsNotLogged() async throws {
        let log = CapturedLog()
        var options = TestAppOptions()
        options.logger = log.logger
        try await withTestApp(.sqlite, options: options) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let issued = try await app.store.invite(email: "newbie@acme.example", role: .participant, by: org.admin) { "http://mutual.test/invitations/\($0)" }
            let browser = app.browser()
            #expect(try await browser.get("/invitations/\(issued.token)").status == .ok)
            _ = try await browser.post("/invitations/\(issued.token)", form: ["name": "New Bie", "password": "a-long-enough-password"])
            let api = try await app.store.createAPIToken(named: "t", for: org.admin).secret
            _ = try await app.client.executeRequest(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(api)"], body: nil)
            let text = log.text
            #expect(text.contains("hb.request.path=/invitations/…"), "the request is logged, without its token")
            #expect(!text.contains(issued.token), "the invitation token is in the log")
            #expect(!text.contains(api), "an API token is in the log")
        }
    }

    @Test("A calendar feed's secret, used in the path, never appears in the log")
    func calendarFeedSecretIsNotLogged() async throws {
        let log = CapturedLog()
        var options = TestAppOptions()
        options.logger = log.logger
        try await withTestApp(.sqlite, options: options) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let url = try await app.store.calendarFeedURL(of: org.participant)
            let path = String(url.dropFirst("http://mutual.test".count))
            let secret = String(path.dropFirst("/calendar/".count).dropLast(".ics".count))
            #expect(try await app.client.executeRequest(uri: path, method: .get, headers: [:], body: nil).status == .ok)
            #expect(try await app.client.executeRequest(uri: "/calendar/unknown-\(secret).ics", method: .get, headers: [:], body: nil).status == .notFound)
            let text = log.text
            #expect(text.contains("hb.request.path=/calendar/…"), "the request is logged, without its secret")
            #expect(!text.contains(secret), "the feed's secret is in the log")
        }
    }

    @Test("A password reset link's secret, used in the path, never appears in the log")
    func resetTokenIsNotLogged() async throws {
        let log = CapturedLog()
        var options = TestAppOptions()
        options.logger = log.logger
        try await withTestApp(.sqlite, options: options) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            _ = try await browser.post("/forgot-password", form: ["email": org.participantEmail])
            let token = try #require(try await app.store.emailedSecret(under: "/password-reset/", to: org.participantEmail))
            #expect(try await browser.get("/password-reset/\(token)").status == .ok)
            _ = try await browser.post("/password-reset/\(token)", form: ["password": "a-long-enough-password"])
            let text = log.text
            #expect(text.contains("hb.request.path=/password-reset/…"), "the request is logged, without its secret")
            #expect(!text.contains(token), "the reset secret is in the log")
        }
    }

    @Test("Paths that carry secrets are cut at their prefix; others are logged whole")
    func loggedPaths() {
        #expect(RequestLogMiddleware<AppRequestContext>.loggedPath("/invitations/abc123") == "/invitations/…")
        #expect(RequestLogMiddleware<AppRequestContext>.loggedPath("/email/unsubscribe/p/c/sig") == "/email/unsubscribe/…")
        #expect(RequestLogMiddleware<AppRequestContext>.loggedPath("/password-reset/abc123") == "/password-reset/…")
        #expect(RequestLogMiddleware<AppRequestContext>.loggedPath("/unlock/abc123") == "/unlock/…")
        #expect(RequestLogMiddleware<AppRequestContext>.loggedPath("/programmes/42") == "/programmes/42")
    }
}
