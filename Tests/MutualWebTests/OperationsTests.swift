import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import MutualWeb
import Testing

@Suite("OpenAPI document and operations endpoints")
struct OperationsTests {
    @Test("The OpenAPI document lists exactly the API routes the server has")
    func openAPIMatchesRoutes() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.client.executeRequest(uri: "/api/openapi.json", method: .get, headers: [:], body: nil)
            #expect(response.status == .ok)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    documented.insert("\(method.uppercased()) \(path)")
                    let role = (operations[method] as? [String: Any])?["x-mutual-role"] as? String
                    let route = app.routes.first {
                        $0.method == method.uppercased() && $0.path.replacingOccurrences(of: ":id", with: "{id}") == path
                    }
                    if let route { #expect(role == route.access.description, "\(method) \(path) documents role \(role ?? "none")") }
                    // The least token scope RouteTable lets through: admin routes need admin, other writes need write.
                    let scope = (operations[method] as? [String: Any])?["x-mutual-scope"] as? String
                    if let route, path.hasPrefix("/api/v1/") {
                        let least = route.access == .member(.admin) ? "admin" : method == "get" ? "read" : "write"
                        #expect(scope == least, "\(method) \(path) documents scope \(scope ?? "none"), the server takes \(least)")
                    }
                }
            }
            let served = Set(
                app.routes.filter { $0.path.hasPrefix("/api/v1/") }
                    .map { "\($0.method) \($0.path.replacingOccurrences(of: ":id", with: "{id}"))" })
            #expect(served.subtracting(documented).isEmpty, "routes missing from the document: \(served.subtracting(documented).sorted())")
            #expect(documented.subtracting(served).isEmpty, "documented routes that do not exist: \(documented.subtracting(served).sorted())")
        }
    }

    @Test("Health, readiness and metrics answer, and responses carry a request id", arguments: TestBackend.all)
    func operations(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let health = try await app.client.executeRequest(uri: "/healthz", method: .get, headers: [:], body: nil)
            #expect(health.status == .ok)
            #expect(health.headers[.init("X-Request-Id")!]?.isEmpty == false)
            #expect(try await app.client.executeRequest(uri: "/readyz", method: .get, headers: [:], body: nil).text == "ready\n")
            _ = try await app.client.executeRequest(uri: "/sign-in", method: .get, headers: [:], body: nil)
            let metrics = try await app.client.executeRequest(
                uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(TestAppOptions.metricsToken)"], body: nil)
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("hb_requests"))
            #expect(metrics.text.contains(#"http_route="/sign-in""#))
            #expect(metrics.text.contains("http_server_request_duration"))
        }
    }

    @Test("Readiness fails when the database is gone")
    func readinessFollowsDatabase() async throws {
        try await withTestApp(.sqlite) { app in
            await app.store.database.shutdown()
            let response = try await app.client.executeRequest(uri: "/readyz", method: .get, headers: [:], body: nil)
            #expect(response.status == .serviceUnavailable)
            #expect(try await app.client.executeRequest(uri: "/healthz", method: .get, headers: [:], body: nil).status == .ok)
        }
    }

    @Test("Unknown pages answer a 404 page, not a crash")
    func notFoundPage() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.browser().get("/no/such/page")
            #expect(response.status == .notFound)
            #expect(response.text.contains("Page not found"))
            #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
        }
    }

    @Test("Pages are usable without external resources")
    func noExternalResources() async throws {
        try await withTestApp(.sqlite) { app in
            _ = try await Seeds.organisation("Acme", in: app.store)
            let page = try await app.browser().get("/sign-in")
            #expect(page.text.contains("<main id=\"main\""))
            #expect(page.text.contains("name=\"viewport\""))
            #expect(page.text.contains("<label for=\"email\">"))
            #expect(!page.text.contains("http://") && !page.text.contains("https://"), "pages must not load anything from other hosts")
            let css = try await app.client.executeRequest(uri: "/static/app.css", method: .get, headers: [:], body: nil)
            #expect(css.status == .ok)
            #expect(!css.text.contains("@import") && !css.text.contains("url("))
        }
    }
}
