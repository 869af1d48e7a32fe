import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// API tokens' scopes and expiry, checked where RouteTable checks roles, and tokens that cannot
/// make tokens.
@Suite("API token scopes and expiry")
struct APITokenScopeTests {
    static func concrete(_ path: String) -> String {
        path.replacingOccurrences(of: ":id", with: UUID().uuidString)
    }

    static let anyBody = #"{"email":"x@acme.example","role":"admin","name":"X","family":"Data"}"#

    @Test("Every API route that is not a GET refuses a read token with 403, before it acts", arguments: TestBackend.all)
    func readTokensOnlyRead(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let read = try await app.store.createAPIToken(named: "r", scope: .read, for: org.admin).secret
            let writing = app.routes.filter { $0.path.hasPrefix("/api/v1/") && $0.method != "GET" && $0.method != "HEAD" }
            #expect(writing.count >= 20, "the route table lists the API's writing routes")
            for route in writing {
                let (response, problem) = try await app.callAPI(
                    HTTPRequest.Method(route.method)!, Self.concrete(route.path), token: read, json: Self.anyBody)
                #expect(response.status == .forbidden, "\(route.method) \(route.path) answered \(response.status) to a read token")
                #expect((problem["detail"] as? String)?.contains("read scope") == true, "\(route.method) \(route.path): \(problem)")
            }
            #expect(try await app.store.invitations(of: org.admin).allSatisfy { $0.email != "x@acme.example" }, "nothing was written")
            #expect(try await app.store.skills(of: org.admin).allSatisfy { $0.name != "X" })
            // Reading works, admin routes included (a read token of an admin may not read them: they need admin scope).
            #expect(try await app.callAPI(.get, "/api/v1/me", token: read).0.status == .ok)
            #expect(try await app.callAPI(.get, "/api/v1/members", token: read).0.status == .ok)
            #expect(try await app.callAPI(.head, "/api/v1/me", token: read).0.status == .ok)
        }
    }

    @Test("Every admin-only API route refuses a write token of an admin; an admin token is let through", arguments: TestBackend.all)
    func adminRoutesNeedAdminScope(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let write = try await app.store.createAPIToken(named: "w", scope: .write, for: org.admin).secret
            let admin = try await app.store.createAPIToken(named: "a", scope: .admin, for: org.admin).secret
            let adminRoutes = app.routes.filter { $0.path.hasPrefix("/api/v1/") && $0.access == .member(.admin) }
            #expect(adminRoutes.count >= 8)
            for route in adminRoutes {
                let method = HTTPRequest.Method(route.method)!
                let path = Self.concrete(route.path)
                let (response, problem) = try await app.callAPI(method, path, token: write, json: Self.anyBody)
                #expect(response.status == .forbidden, "\(route.method) \(route.path) answered \(response.status) to a write token")
                #expect((problem["detail"] as? String)?.contains("admin scope") == true, "\(route.method) \(route.path): \(problem)")
                let (allowed, _) = try await app.callAPI(method, path, token: admin, json: Self.anyBody)
                #expect(allowed.status != .forbidden, "\(route.method) \(route.path) refused an admin token")
            }
            // A write token does everything else the role allows.
            let (created, _) = try await app.callAPI(
                .post, "/api/v1/programmes", token: write,
                json: #"{"name":"Swap","model":"pairs","cycle_start":"2027-01-04","cycle_end":"2027-06-30"}"#)
            #expect(created.status == .created)
        }
    }

    @Test("An admin's write token edits only the admin's own profile; someone else's needs the admin scope", arguments: TestBackend.all)
    func writeTokenEditsOnlyOwnProfile(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let write = try await app.store.createAPIToken(named: "w", scope: .write, for: org.admin).secret
            let admin = try await app.store.createAPIToken(named: "a", scope: .admin, for: org.admin).secret
            let other = org.participant.personID.uuidString
            let (refused, problem) = try await app.callAPI(.patch, "/api/v1/people/\(other)", token: write, json: #"{"department":"Written"}"#)
            #expect(refused.status == .forbidden)
            #expect((problem["detail"] as? String)?.contains("admin scope") == true, "\(problem)")
            #expect(try await app.store.profile(personID: org.participant.personID, of: org.admin).department != "Written")
            let (own, _) = try await app.callAPI(.patch, "/api/v1/people/\(org.admin.personID.uuidString)", token: write, json: #"{"department":"Mine"}"#)
            #expect(own.status == .ok)
            let (allowed, _) = try await app.callAPI(.patch, "/api/v1/people/\(other)", token: admin, json: #"{"department":"By admin"}"#)
            #expect(allowed.status == .ok)
            #expect(try await app.store.profile(personID: org.participant.personID, of: org.admin).department == "By admin")
        }
    }

    @Test("A token never does more than its owner's current role: an admin token of a demoted admin is refused admin routes", arguments: TestBackend.all)
    func roleStillBounds(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            _ = try await app.store.changeRole(ofMember: org.manager.accountID, to: .admin, by: org.admin)
            let account = try #require(try await Account.find(org.manager.accountID, on: try app.store.database.database()))
            let manager = try await Seeds.identity(for: account, in: app.store)
            let token = try await app.store.createAPIToken(named: "a", scope: .admin, for: manager).secret
            #expect(try await app.callAPI(.get, "/api/v1/invitations", token: token).0.status == .ok)
            _ = try await app.store.changeRole(ofMember: org.manager.accountID, to: .participant, by: org.admin)
            #expect(try await app.callAPI(.get, "/api/v1/invitations", token: token).0.status == .forbidden)
            #expect(try await app.callAPI(.get, "/api/v1/members", token: token).0.status == .forbidden)
            #expect(try await app.callAPI(.get, "/api/v1/me", token: token).0.status == .ok)
        }
    }

    @Test("An expired token is refused with 401 saying it expired and where to get a new one", arguments: TestBackend.all)
    func expiredTokens(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withTestApp(backend, clock: clock) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let issued = try await app.store.createAPIToken(
                named: "short", scope: .read, expiresAt: clock.now.addingTimeInterval(86_400), for: org.participant)
            #expect(try await app.callAPI(.get, "/api/v1/me", token: issued.secret).0.status == .ok)
            clock.advance(by: 86_400)
            let (response, problem) = try await app.callAPI(.get, "/api/v1/me", token: issued.secret)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(problem["title"] as? String == "API token expired")
            #expect((problem["detail"] as? String)?.contains("/account/tokens") == true)
            // The owner still sees it, marked expired, in the list (through another token).
            let other = try await app.store.createAPIToken(named: "other", for: org.participant).secret
            let (_, list) = try await app.callAPI(.get, "/api/v1/tokens", token: other)
            let short = try #require((list["items"] as? [[String: Any]])?.first { $0["name"] as? String == "short" })
            #expect(short["expired"] as? Bool == true)
            #expect(short["scope"] as? String == "read")
            #expect(short["expires_at"] as? String != nil)
            // An expiry in the past is refused when the token is made.
            await #expect(throws: StoreError.self) {
                try await app.store.createAPIToken(named: "late", expiresAt: clock.now.addingTimeInterval(-1), for: org.participant)
            }
        }
    }

    @Test("A token cannot make a token: the API has no route for it, and no token row is added", arguments: TestBackend.all)
    func tokensCannotMintTokens(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = try await app.store.createAPIToken(named: "a", scope: .admin, for: org.admin).secret
            let (response, problem) = try await app.callAPI(.post, "/api/v1/tokens", token: admin, json: #"{"name":"child"}"#)
            #expect(!(200..<300).contains(Int(response.status.code)), "a token made a token: \(response.status)")
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(!(problem["detail"] as? String ?? "").isEmpty)
            #expect(try await app.store.apiTokens(of: org.admin).count == 1)
            #expect(!app.routes.contains { $0.path.hasPrefix("/api/") && $0.path.contains("tokens") && ($0.method == "POST" || $0.method == "PUT") })
        }
    }

    @Test("The tokens page makes tokens with a scope and a lifetime, and offers the admin scope only to admins", arguments: TestBackend.all)
    func tokensPage(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withTestApp(backend, clock: clock) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            let page = try await browser.get("/account/tokens")
            #expect(page.text.contains(#"<option value="read""#) && page.text.contains(#"<option value="write" selected"#))
            #expect(!page.text.contains(#"<option value="admin""#), "a participant is not offered the admin scope")
            let made = try await browser.post("/account/tokens", form: ["name": "nightly", "scope": "read", "expires_in": "7"])
            #expect(made.status == .ok)
            #expect(made.text.contains("id=\"new-token\""))
            let token = try #require(try await app.store.apiTokens(of: org.participant).first)
            #expect(token.scope == .read)
            #expect(token.expiresAt == clock.now.addingTimeInterval(7 * 86_400))
            #expect(made.text.contains("<td>Read</td>"))
            let never = try await browser.post("/account/tokens", form: ["name": "forever", "scope": "write", "expires_in": "never"])
            #expect(never.status == .ok)
            #expect(try await app.store.apiTokens(of: org.participant).first { $0.name == "forever" }?.expiresAt == nil)
            let refused = try await browser.post("/account/tokens", form: ["name": "sneaky", "scope": "admin", "expires_in": "30"])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Only organisation admins"))
            let odd = try await browser.post("/account/tokens", form: ["name": "odd", "scope": "write", "expires_in": "9999"])
            #expect(odd.status == .unprocessableContent)
            #expect(odd.text.contains("Choose how long the token lasts"))
            #expect(try await app.store.apiTokens(of: org.participant).count == 2)
        }
    }
}
