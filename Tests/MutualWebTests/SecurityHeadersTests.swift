import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

@Suite("Security headers")
struct SecurityHeadersTests {
    static let csp = HTTPField.Name("Content-Security-Policy")!
    static let hsts = HTTPField.Name("Strict-Transport-Security")!

    @Test("Pages, API answers, error pages and 404s carry the CSP, no framing, nosniff, same-origin referrer and no-store")
    func everyResponse() async throws {
        try await withTestApp(.sqlite) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", for: org.admin).secret
            let answers = [
                try await app.client.executeRequest(uri: "/sign-in", method: .get, headers: [:], body: nil),
                try await app.client.executeRequest(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"], body: nil),
                try await app.client.executeRequest(uri: "/api/v1/me", method: .get, headers: [:], body: nil),
                try await app.client.executeRequest(uri: "/no/such/page", method: .get, headers: [:], body: nil),
                try await app.client.executeRequest(uri: "/api/v1/tokens", method: .put, headers: [:], body: nil),
            ]
            for answer in answers {
                let csp = try #require(answer.headers[Self.csp], "status \(answer.status) has no CSP")
                #expect(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"))
                #expect(answer.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(answer.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(answer.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                #expect(answer.headers[.cacheControl] == "no-store", "status \(answer.status) may be cached")
                #expect(answer.headers[Self.hsts] == nil, "HSTS over plain http would lock people out of a test server")
            }
            let css = try await app.client.executeRequest(uri: "/static/app.css", method: .get, headers: [:], body: nil)
            #expect(css.status == .ok)
            #expect(css.headers[.cacheControl]?.hasPrefix("public") == true, "the stylesheet keeps its own caching")
        }
    }

    @Test("HSTS is sent when the base URL is https")
    func hstsOverHTTPS() async throws {
        try await withTestApp(.sqlite, options: TestAppOptions(baseURL: "https://mentoring.example.org")) { app in
            let answer = try await app.client.executeRequest(uri: "/sign-in", method: .get, headers: [:], body: nil)
            #expect(answer.headers[Self.hsts] == "max-age=31536000; includeSubDomains")
        }
    }
}
