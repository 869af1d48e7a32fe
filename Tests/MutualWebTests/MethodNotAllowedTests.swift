import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// A wrong method on an address that exists answers 405 with `Allow`, on every route.
@Suite("Wrong methods")
struct MethodNotAllowedTests {
    static let methods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    @Test("Every route answers a method it does not take with 405 and an Allow header listing the ones it does")
    func everyRoute() async throws {
        try await withTestApp(.sqlite) { app in
            let id = UUID().uuidString
            // Each address with its parameters filled in, and the methods registered for it.
            var addresses: [String: Set<String>] = [:]
            for route in app.routes {
                let path = route.path.split(separator: "/").map { $0.hasPrefix(":") ? Substring(id) : $0 }.joined(separator: "/")
                addresses["/" + path, default: []].insert(route.method)
            }
            #expect(addresses.count > 40)
            for (path, registered) in addresses.sorted(by: { $0.key < $1.key }) {
                guard let wrong = Self.methods.first(where: { !registered.contains($0.rawValue) }) else { continue }
                let response = try await app.client.executeRequest(uri: path, method: wrong, headers: [:], body: nil)
                #expect(response.status == .methodNotAllowed, "\(wrong) \(path) answered \(response.status)")
                let allow = Set((response.headers[.allow] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                let expected = registered.union(registered.contains("GET") ? ["HEAD"] : [])
                #expect(allow == expected, "\(wrong) \(path): Allow \(allow) instead of \(expected)")
            }
        }
    }

    @Test("The API's 405 is problem+json that names the methods; a page's is the error page; an unknown address is still 404")
    func answers() async throws {
        try await withTestApp(.sqlite) { app in
            let api = try await app.client.executeRequest(uri: "/api/v1/me", method: .delete, headers: [:], body: nil)
            #expect(api.status == .methodNotAllowed)
            #expect(api.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            #expect(api.text.contains("GET"))
            let page = try await app.client.executeRequest(uri: "/sign-in", method: .delete, headers: [:], body: nil)
            #expect(page.status == .methodNotAllowed)
            #expect(page.headers[.allow] == "GET, HEAD, POST")
            #expect(page.text.contains("<html"))
            let unknown = try await app.client.executeRequest(uri: "/no/such/address", method: .get, headers: [:], body: nil)
            #expect(unknown.status == .notFound, "Allow: \(unknown.headers[.allow] ?? "none")")
            let head = try await app.client.executeRequest(uri: "/healthz", method: .head, headers: [:], body: nil)
            #expect(head.status == .ok, "HEAD /healthz answered \(head.status): \(head.text.prefix(300))")
        }
    }
}
