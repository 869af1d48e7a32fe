import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

/// An address no login can have (too long, or with a control character) never reaches the
/// database: on PostgreSQL a 3,000-letter one overflowed the index on `sign_in_failures.subject`
/// and answered 500.
@Suite("Sign-in and reset addresses")
struct SignInAddressTests {
    /// Random letters, so PostgreSQL cannot compress the index key below its limit (a run of one
    /// letter compresses and fits).
    static let longAddress = String((0..<(3_000 - "@acme.example".count)).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! }) + "@acme.example"

    @Test("A 3,000-character or control-character address signs in as a wrong password does (401), and nothing is written", arguments: TestBackend.all)
    func overlongSignIn(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            _ = try await Seeds.organisation("Acme", in: app.store)
            let database = try app.store.database.database()
            let before = try await SignInFailure.query(on: database).count()
            for address in [Self.longAddress, "ana\u{7}@acme.example"] {
                let answer = try await app.browser().post("/sign-in", form: ["email": address, "password": Seeds.password])
                // A control character in any form field is already a 422 from TextInputGuard.
                #expect(answer.status == (address == Self.longAddress ? .unauthorized : .unprocessableContent), "\(answer.status): \(answer.text.prefix(300))")
                await #expect(throws: StoreError.wrongCredentials) {
                    _ = try await app.store.signIn(email: address, password: Seeds.password, clientAddress: "192.0.2.1")
                }
            }
            #expect(try await SignInFailure.query(on: database).count() == before)
        }
    }

    @Test("A 3,000-character address asking for a reset is answered without a 500 and writes nothing", arguments: TestBackend.all)
    func overlongReset(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            _ = try await Seeds.organisation("Acme", in: app.store)
            let sentBefore = try await app.store.outbox().count
            let answer = try await app.browser().post("/forgot-password", form: ["email": Self.longAddress])
            #expect(answer.status.code < 500, "\(answer.status): \(answer.text.prefix(300))")
            #expect(try await LoginLink.query(on: try app.store.database.database()).count() == 0)
            #expect(try await app.store.outbox().count == sentBefore)
        }
    }
}
