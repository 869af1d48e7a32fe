import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Synchronization
import Testing

/// `Idempotency-Key` on the API's POSTs, end to end.
@Suite("Idempotency keys on the API")
struct IdempotencyKeyTests {
    static let key = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!
    static let programme = #"{"name":"Swap","model":"pairs","cycle_start":"2027-01-04","cycle_end":"2027-06-30"}"#
    static let ana = #"{"email":"ana@acme.example"}"#
    static let bob = #"{"email":"bob@acme.example"}"#
    static let carol = #"{"email":"carol@acme.example"}"#

    static func post(_ app: TestApp, _ path: String, token: String, key: String?, json: String) async throws -> TestResponse {
        var headers: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        if let key { headers[Self.key] = key }
        return try await app.client.executeRequest(uri: path, method: .post, headers: headers, body: ByteBuffer(string: json))
    }

    static func invitations(_ app: TestApp, _ org: SeededOrganisation, to email: String) async throws -> Int {
        try await app.store.invitations(of: org.admin).filter { $0.email == email }.count
    }

    /// A second admin (the manager, promoted) and an admin token of theirs.
    static func secondAdminToken(_ app: TestApp, _ org: SeededOrganisation) async throws -> String {
        _ = try await app.store.changeRole(ofMember: org.manager.accountID, to: .admin, by: org.admin)
        let account = try #require(try await Account.find(org.manager.accountID, on: try app.store.database.database()))
        return try await app.store.createAPIToken(named: "second admin", for: try await Seeds.identity(for: account, in: app.store)).secret
    }

    @Test("50 identical POSTs with one key at once create one invitation; each answer is that 201 or a 409", arguments: TestBackend.all)
    func concurrentRetries(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", for: org.admin).secret
            let answers = try await withThrowingTaskGroup(of: (Int, String, Bool).self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let response = try await Self.post(app, "/api/v1/invitations", token: token, key: "invite-ana", json: Self.ana)
                        return (Int(response.status.code), response.text, response.headers[Self.replayed] == "true")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(try await Self.invitations(app, org, to: "ana@acme.example") == 1, "one key, one invitation")
            #expect(answers.allSatisfy { $0.0 == 201 || $0.0 == 409 }, "\(Set(answers.map(\.0)))")
            let created = answers.filter { $0.0 == 201 }
            #expect(!created.isEmpty)
            #expect(Set(created.map(\.1)).count == 1, "every success is the same answer")
            #expect(created.filter { !$0.2 }.count == 1, "exactly one answer is not a replay")
            for conflict in answers where conflict.0 == 409 {
                #expect(conflict.1.contains("still being processed"))
            }

            // A retry after it finished replays the answer and creates nothing.
            let retry = try await Self.post(app, "/api/v1/invitations", token: token, key: "invite-ana", json: Self.ana)
            #expect(retry.status == .created)
            #expect(retry.headers[Self.replayed] == "true")
            #expect(retry.text == created[0].1)
            #expect(retry.headers[.contentType] == "application/json")
            #expect(try await Self.invitations(app, org, to: "ana@acme.example") == 1)
            // Without a key, the same POST is not a replay: it is refused, since the address
            // already has a pending invitation (one per address); still one invitation.
            let unkeyed = try await Self.post(app, "/api/v1/invitations", token: token, key: nil, json: Self.ana)
            #expect(unkeyed.status == .conflict)
            #expect(unkeyed.headers[Self.replayed] == nil)
            #expect(try await Self.invitations(app, org, to: "ana@acme.example") == 1)
        }
    }

    @Test("The same key with another body is 422; another caller's key is its own; a day later the key is forgotten", arguments: TestBackend.all)
    func keysAreScoped(backend: TestBackend) async throws {
        let clock = TestClock()
        try await withTestApp(backend, clock: clock) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = try await app.store.createAPIToken(named: "a", for: org.admin).secret
            let second = try await Self.secondAdminToken(app, org)
            #expect(try await Self.post(app, "/api/v1/invitations", token: admin, key: "k-1", json: Self.ana).status == .created)

            let reused = try await Self.post(app, "/api/v1/invitations", token: admin, key: "k-1", json: Self.bob)
            #expect(reused.status == .unprocessableContent)
            #expect(reused.headers[.contentType] == "application/problem+json")
            #expect(reused.text.contains("Idempotency-Key") && reused.text.contains("different request"))
            #expect(try await Self.invitations(app, org, to: "bob@acme.example") == 0)

            // Another caller's k-1 with another body is neither a replay nor a 422: keys are per caller.
            let someoneElse = try await Self.post(app, "/api/v1/invitations", token: second, key: "k-1", json: Self.carol)
            #expect(someoneElse.status == .created)
            #expect(someoneElse.headers[Self.replayed] == nil, "another caller's key is independent")
            #expect(try await Self.invitations(app, org, to: "carol@acme.example") == 1)

            clock.advance(by: 24 * 3600 - 1)
            #expect(try await Self.post(app, "/api/v1/invitations", token: admin, key: "k-1", json: Self.bob).status == .unprocessableContent)
            clock.advance(by: 1)
            let dayLater = try await Self.post(app, "/api/v1/invitations", token: admin, key: "k-1", json: Self.bob)
            #expect(dayLater.status == .created, "after 24 hours the key is forgotten")
            #expect(try await Self.invitations(app, org, to: "bob@acme.example") == 1)
        }
    }

    @Test("A request that fails releases its key, so a retry runs", arguments: TestBackend.all)
    func failuresRelease(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "a", for: org.admin).secret
            let bad = #"{"email":"not-an-email"}"#
            for _ in 0..<2 {
                let refused = try await Self.post(app, "/api/v1/invitations", token: token, key: "k-2", json: bad)
                #expect(refused.status == .unprocessableContent)
                #expect(refused.headers[Self.replayed] == nil)
                #expect(refused.text.contains("email"))
            }
            let fixed = try await Self.post(app, "/api/v1/invitations", token: token, key: "k-2", json: Self.ana)
            #expect(fixed.status == .created, "the failed request gave its key back")
            #expect(try await Self.invitations(app, org, to: "ana@acme.example") == 1)
        }
    }

    @Test("A key longer than 255 characters, empty, or not printable ASCII is refused with 400", arguments: [String(repeating: "k", count: 256), "clé-😀", ""])
    func badKeys(key: String) async throws {
        try await withTestApp(.sqlite) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "m", for: org.manager).secret
            let response = try await Self.post(app, "/api/v1/programmes", token: token, key: key, json: Self.programme)
            #expect(response.status == .badRequest)
            #expect(response.text.contains("Idempotency-Key"))
            #expect(try await app.store.programmes(of: org.manager).isEmpty)
            #expect(try await Self.post(app, "/api/v1/programmes", token: token, key: String(repeating: "k", count: 255), json: Self.programme).status == .created)
        }
    }

    @Test("An answer carrying a secret is stored sealed and replayed whole", arguments: TestBackend.all)
    func secretsAreSealed(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "a", for: org.admin).secret
            let first = try await Self.post(app, "/api/v1/invitations", token: token, key: "invite-ana", json: #"{"email":"ana@acme.example"}"#)
            #expect(first.status == .created)
            // The answer names the invitee; it is stored sealed, so the address is not in the row.
            let secret = "ana@acme.example"
            #expect(first.text.contains(secret))
            let rows = try await IdempotencyRecord.query(on: app.store.database.database()).all()
            #expect(rows.count == 1)
            #expect(rows.allSatisfy { !($0.responseBody ?? "").contains(secret) && $0.responseBody != nil && $0.keyDigest != "invite-ana" })
            let again = try await Self.post(app, "/api/v1/invitations", token: token, key: "invite-ana", json: #"{"email":"ana@acme.example"}"#)
            #expect(again.status == .created)
            #expect(again.text == first.text)
            #expect(try await Self.invitations(app, org, to: "ana@acme.example") == 1)
        }
    }

    @Test("Every POST of the API takes an Idempotency-Key (the streamed people and outcomes imports say why not), and the document says so")
    func everyPOSTTakesAKey() async throws {
        try await withTestApp(.sqlite) { app in
            let posts = app.routes.filter { $0.path.hasPrefix("/api/v1/") && $0.method == "POST" }
            #expect(posts.count >= 15)
            let without = posts.filter { !$0.takesIdempotencyKey }.map(\.path)
            #expect(without == ["/api/v1/people/import", "/api/v1/outcomes"], "\(without)")
            #expect(app.routes.filter { $0.method != "POST" }.allSatisfy { !$0.takesIdempotencyKey })
            let response = try await app.client.executeRequest(uri: "/api/openapi.json", method: .get, headers: [:], body: nil)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for route in posts {
                let operation = paths[route.path.replacingOccurrences(of: ":id", with: "{id}")]?["post"] as? [String: Any]
                let parameters = (operation?["parameters"] as? [[String: Any]]) ?? []
                let documented = parameters.contains { $0["$ref"] as? String == "#/components/parameters/IdempotencyKey" }
                #expect(documented == route.takesIdempotencyKey, "POST \(route.path): the document and the route disagree on Idempotency-Key")
                // A key can be malformed (400), still in progress (409) or reused for another request (422).
                if documented {
                    let responses = (operation?["responses"] as? [String: Any]) ?? [:]
                    let missing = ["400", "409", "422"].filter { responses[$0] == nil }
                    #expect(missing.isEmpty, "POST \(route.path) takes an Idempotency-Key but does not document \(missing)")
                }
            }
        }
    }
}
