import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// The JSON API over real HTTP (a live in-process server on a free port).
@Suite("JSON API")
struct APITests {
    static let live = TestAppOptions(live: true)

    func call(
        _ app: TestApp, _ method: HTTPRequest.Method, _ path: String, token: String?, json: String? = nil
    ) async throws -> (TestResponse, [String: Any]) {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await app.client.executeRequest(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        let object = (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [String: Any] ?? [:]
        return (response, object)
    }

    @Test("Members, invitations and tokens work end to end with a bearer token", arguments: TestBackend.all)
    func happyPath(backend: TestBackend) async throws {
        try await withTestApp(backend, options: Self.live) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "admin script", for: org.admin).secret

            let (me, meBody) = try await call(app, .get, "/api/v1/me", token: token)
            #expect(me.status == .ok)
            #expect(meBody["email"] as? String == org.adminEmail)
            #expect((meBody["organisation"] as? [String: Any])?["name"] as? String == "Acme")

            let (members, membersBody) = try await call(app, .get, "/api/v1/members", token: token)
            #expect(members.status == .ok)
            #expect((membersBody["items"] as? [[String: Any]])?.count == 3)

            let (invited, invitation) = try await call(app, .post, "/api/v1/invitations", token: token, json: #"{"email":"api@acme.example","role":"programme_manager"}"#)
            #expect(invited.status == .created)
            #expect(invitation["status"] as? String == "pending")
            // The link goes only by email to the invitee: the inviting admin never sees it.
            #expect(invitation["accept_url"] == nil && invitation["acceptUrl"] == nil)
            let invitationSecret = try #require(try await app.store.emailedSecret(under: "http://mutual.test/invitations/", to: "api@acme.example"))
            #expect(invitationSecret.count >= 16)
            let invitationID = try #require(invitation["id"] as? String)
            let (revoked, revokedBody) = try await call(app, .delete, "/api/v1/invitations/\(invitationID)", token: token)
            #expect(revoked.status == .ok)
            #expect(revokedBody["status"] as? String == "revoked")

            let (updated, updatedBody) = try await call(
                app, .patch, "/api/v1/members/\(org.participant.accountID)", token: token, json: #"{"role":"programme_manager"}"#)
            #expect(updated.status == .ok)
            #expect(updatedBody["role"] as? String == "programme_manager")

            let second = try await app.store.createAPIToken(named: "second", scope: .read, for: org.admin)
            let secret = second.secret
            let (_, list) = try await call(app, .get, "/api/v1/tokens", token: secret)
            let items = try #require(list["items"] as? [[String: Any]])
            #expect(items.count == 2)
            #expect(items.allSatisfy { $0["token"] == nil }, "secrets are never listed")
            #expect(Set(items.compactMap { $0["scope"] as? String }) == ["admin", "read"])
            let id = try second.token.requireID().uuidString
            #expect(try await call(app, .delete, "/api/v1/tokens/\(id)", token: token).0.status == .noContent)
            #expect(try await call(app, .get, "/api/v1/me", token: secret).0.status == .unauthorized)
        }
    }

    @Test(
        "Bad requests answer 4xx problem+json naming the field, never 500",
        arguments: [
            ("POST", "/api/v1/invitations", "{not json", 400, nil),
            ("POST", "/api/v1/invitations", "[1,2]", 400, nil),
            ("POST", "/api/v1/invitations", #"{"email": 42}"#, 422, "email"),
            ("POST", "/api/v1/invitations", #"{"role": "admin"}"#, 422, "email"),
            ("POST", "/api/v1/invitations", #"{"email": "a@acme.example", "rol": "admin"}"#, 400, "rol"),
            ("POST", "/api/v1/invitations", #"{"email": "not-an-email"}"#, 422, "email"),
            ("POST", "/api/v1/invitations", #"{"email": "a@acme.example", "role": "king"}"#, 422, "role"),
            ("POST", "/api/v1/skills", #"{"name": null, "family": "Data"}"#, 422, "name"),
            ("POST", "/api/v1/skills", #"{"name": "   ", "family": "Data"}"#, 422, "name"),
            ("PATCH", "/api/v1/members/not-a-uuid", #"{"role": "admin"}"#, 404, nil),
            ("GET", "/api/v1/members/00000000-0000-0000-0000-000000000000", nil, 404, nil),
            ("DELETE", "/api/v1/tokens/12345", nil, 404, nil),
            ("GET", "/api/v1/nothing-here", nil, 404, nil),
            ("PUT", "/api/v1/me", nil, 405, nil),  // a wrong method: 405 with Allow
        ] as [(String, String, String?, Int, String?)])
    func badRequests(method: String, path: String, body: String?, status: Int, field: String?) async throws {
        try await withTestApp(.sqlite, options: Self.live) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", for: org.admin).secret
            let (response, problem) = try await call(app, HTTPRequest.Method(method)!, path, token: token, json: body)
            #expect(Int(response.status.code) == status, "\(response.text)")
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(problem["status"] as? Int == status)
            #expect(!(problem["detail"] as? String ?? "").isEmpty)
            #expect(problem["field"] as? String == field)
        }
    }

    @Test("An oversized body answers 413")
    func oversizedBody() async throws {
        try await withTestApp(.sqlite, options: Self.live) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", for: org.admin).secret
            let huge = "{\"name\": \"" + String(repeating: "x", count: 2_000_000) + "\"}"
            let (response, problem) = try await call(app, .post, "/api/v1/skills", token: token, json: huge)
            #expect(response.status == .contentTooLarge)
            #expect(problem["status"] as? Int == 413)
        }
    }

    @Test("Missing and invalid tokens answer 401")
    func authentication() async throws {
        try await withTestApp(.sqlite, options: Self.live) { app in
            _ = try await Seeds.organisation("Acme", in: app.store)
            #expect(try await call(app, .get, "/api/v1/me", token: nil).0.status == .unauthorized)
            let (invalid, problem) = try await call(app, .get, "/api/v1/me", token: "mut_not-a-token")
            #expect(invalid.status == .unauthorized)
            #expect((problem["detail"] as? String)?.contains("Bearer") == true)
        }
    }
}
