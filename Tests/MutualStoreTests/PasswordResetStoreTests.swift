import FluentKit
import Foundation
@testable import MutualStore
import MutualTestSupport
import Testing

/// "Forgot your password?" and the admin's "Send a password reset link".
@Suite("Password reset in the store")
struct PasswordResetStoreTests {
    static func store(_ database: MutualDatabase, clock: TestClock) -> Store {
        Store(database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
    }

    static let resetURL: @Sendable (String) -> String = { "https://mutual.example/password-reset/\($0)" }

    /// Sends the queued email and returns the secret of the newest reset link emailed to `email`.
    static func emailedToken(to email: String, in store: Store, on database: MutualDatabase) async throws -> String? {
        try await store.runDueJobs()
        let messages = try await OutboxMessage.query(on: database.database()).filter(\.$recipient == email).all()
        return messages.compactMap { $0.body.firstMatch(of: /password-reset\/([A-Za-z0-9_-]+)/).map { String($0.1) } }.last
    }

    @Test("A reset link sets a new password once, ends every session and API token of the login, voids its other links and clears its failed sign-ins", arguments: TestBackend.all)
    func resetOnce(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let account = try #require(try await Account.find(org.participant.accountID, on: database.database()))
            let sessions = [try await store.startSession(for: account), try await store.startSession(for: account)]
            for _ in 0..<2 {
                await #expect(throws: StoreError.wrongCredentials) {
                    _ = try await store.signIn(email: org.participantEmail, password: "a-wrong-password", clientAddress: "10.0.0.9")
                }
            }
            let apiToken = try await store.createAPIToken(named: "script", for: try await store.identity(for: account)).secret
            try await store.requestPasswordReset(email: org.participantEmail, resetURL: Self.resetURL)
            let older = try #require(try await Self.emailedToken(to: org.participantEmail, in: store, on: database))
            try await store.requestPasswordReset(email: " Participant@Acme.example ", resetURL: Self.resetURL)
            try await store.runDueJobs()
            let sent = try await OutboxMessage.query(on: database.database()).filter(\.$recipient == org.participantEmail).all()
            let links = sent.compactMap { $0.body.firstMatch(of: /password-reset\/([A-Za-z0-9_-]+)/).map { String($0.1) } }
            let token = try #require(links.first { $0 != older })
            let stored = try await LoginLink.query(on: database.database()).all()
            #expect(stored.count == 2 && stored.contains { $0.tokenDigest == SecretTokens.digest(token) }, "only the digest is stored")
            #expect(!stored.contains { $0.tokenDigest == token || $0.tokenDigest == older })

            await #expect(throws: StoreError.self) { _ = try await store.resetPassword(token: token, newPassword: "short") }
            _ = try await store.resetPassword(token: token, newPassword: "a-brand-new-password")
            for session in sessions { #expect(try await store.identity(forSessionToken: session.token) == nil) }
            // The login's API tokens end too, and so does its other unused link.
            #expect(try await store.checkAPIToken(apiToken) == .unknown, "an API token survived the password reset")
            await #expect(throws: StoreError.self) { _ = try await store.resetPassword(token: older, newPassword: "from-the-older-link") }
            #expect(try await SignInFailure.query(on: database.database()).filter(\.$subject == "account:\(org.participantEmail)").count() == 0)
            _ = try await store.signIn(email: org.participantEmail, password: "a-brand-new-password", clientAddress: nil)
            await #expect(throws: StoreError.wrongCredentials) {
                _ = try await store.signIn(email: org.participantEmail, password: Seeds.password, clientAddress: nil)
            }
            do {
                _ = try await store.resetPassword(token: token, newPassword: "yet-another-password")
                Issue.record("a used link must not work again")
            } catch StoreError.gone(let message) {
                #expect(message.contains("already been used"))
            }
            // The events name the membership and hold no address.
            let events = try await DomainEvent.query(on: database.database()).filter(\.$type ~~ ["password.reset_requested", "password.reset"]).all()
            #expect(Set(events.map(\.type)) == ["password.reset_requested", "password.reset"])
            #expect(events.allSatisfy { !$0.payload.contains("@") && $0.subjectID == org.participant.accountID.uuidString.lowercased() })
        }
    }

    @Test("A reset link stops working after an hour", arguments: TestBackend.all)
    func resetExpires(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            try await store.requestPasswordReset(email: org.adminEmail, resetURL: Self.resetURL)
            let token = try #require(try await Self.emailedToken(to: org.adminEmail, in: store, on: database))
            clock.advance(by: Store.passwordResetLifetime + 1)
            do {
                _ = try await store.resetPassword(token: token, newPassword: "a-brand-new-password")
                Issue.record("an expired link must not work")
            } catch StoreError.gone(let message) {
                #expect(message.contains("expired"))
            }
            _ = try await store.signIn(email: org.adminEmail, password: Seeds.password, clientAddress: nil)
        }
    }

    @Test("An address nobody uses is answered the same and sends nothing", arguments: TestBackend.all)
    func unknownAddress(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            _ = try await Seeds.organisation("Acme", in: store)
            try await store.requestPasswordReset(email: "nobody@nowhere.example", resetURL: Self.resetURL)
            #expect(try await Self.emailedToken(to: "nobody@nowhere.example", in: store, on: database) == nil)
            #expect(try await OutboxMessage.query(on: database.database()).filter(\.$recipient == "nobody@nowhere.example").count() == 0)
            #expect(try await LoginLink.query(on: database.database()).count() == 0)
            #expect(try await DomainEvent.query(on: database.database()).filter(\.$type == "password.reset_requested").count() == 0)
            await #expect(throws: StoreError.self) { try await store.requestPasswordReset(email: "not an address", resetURL: Self.resetURL) }
        }
    }

    @Test("50 parallel requests for one address send at most 3 links in the hour", arguments: TestBackend.all)
    func parallelRequestsRespectTheHourlyLimit(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await store.requestPasswordReset(email: org.managerEmail, resetURL: Self.resetURL) }
                }
                try await group.waitForAll()
            }
            try await store.runDueJobs()
            #expect(try await LoginLink.query(on: database.database()).filter(\.$purpose == .passwordReset).count() == Store.passwordResetsPerHour)
            let sent = try await OutboxMessage.query(on: database.database()).filter(\.$recipient == org.managerEmail).all()
            #expect(sent.filter { $0.body.contains("/password-reset/") }.count == Store.passwordResetsPerHour)
        }
    }

    @Test("20 parallel uses of one reset link: exactly one sets its password", arguments: TestBackend.all)
    func parallelUses(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            try await store.requestPasswordReset(email: org.managerEmail, resetURL: Self.resetURL)
            let token = try #require(try await Self.emailedToken(to: org.managerEmail, in: store, on: database))
            let winners = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let password = "parallel-password-\(index)"
                        do {
                            _ = try await store.resetPassword(token: token, newPassword: password)
                            return password
                        } catch StoreError.gone {
                            return nil
                        }
                    }
                }
                var winners: [String] = []
                for try await result in group { if let result { winners.append(result) } }
                return winners
            }
            #expect(winners.count == 1)
            let winner = try #require(winners.first)
            _ = try await store.signIn(email: org.managerEmail, password: winner, clientAddress: nil)
        }
    }

    @Test("An admin sends a member the same link; others cannot", arguments: TestBackend.all)
    func adminSendsLink(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let other = try await Seeds.organisation("Bolt", in: store)
            let member = try await store.sendPasswordReset(toMember: org.participant.accountID, by: org.admin, resetURL: Self.resetURL)
            #expect(member.email == org.participantEmail)
            let token = try #require(try await Self.emailedToken(to: org.participantEmail, in: store, on: database))
            let message = try #require(try await OutboxMessage.query(on: database.database()).filter(\.$recipient == org.participantEmail).all().last)
            #expect(message.body.contains("Acme Admin, an admin of Acme"))
            _ = try await store.resetPassword(token: token, newPassword: "chosen-by-the-member")
            _ = try await store.signIn(email: org.participantEmail, password: "chosen-by-the-member", clientAddress: nil)

            await #expect(throws: StoreError.self) {
                _ = try await store.sendPasswordReset(toMember: org.admin.accountID, by: org.participant, resetURL: Self.resetURL)
            }
            await #expect(throws: StoreError.notFound(what: "member")) {
                _ = try await store.sendPasswordReset(toMember: other.participant.accountID, by: org.admin, resetURL: Self.resetURL)
            }
        }
    }

    @Test("The real owner of a squatted address takes it back with a reset link and joins their organisation", arguments: TestBackend.all)
    func squattedAddressRecovered(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let a = try await Seeds.organisation("Acme", in: store)
            let b = try await Seeds.organisation("Bolt", in: store)
            let squat = try await store.invite(email: "dana@bolt.example", role: .participant, by: a.admin) { "http://mutual.test/invitations/\($0)" }
            let squatter = try await store.acceptInvitation(token: squat.token, name: "Not Dana", password: "squatter-password")
            let squatterSession = try await store.startSession(for: squatter)
            let invitation = try await store.invite(email: "dana@bolt.example", role: .participant, by: b.admin) { "http://mutual.test/invitations/\($0)" }

            // Dana, who reads dana@bolt.example, resets the password and accepts Bolt's invitation.
            try await store.requestPasswordReset(email: "dana@bolt.example", resetURL: Self.resetURL)
            let token = try #require(try await Self.emailedToken(to: "dana@bolt.example", in: store, on: database))
            _ = try await store.resetPassword(token: token, newPassword: "danas-own-password")
            #expect(try await store.identity(forSessionToken: squatterSession.token) == nil, "the squatter is signed out")
            let joined = try await store.acceptInvitation(token: invitation.token, name: "Dana", password: "danas-own-password")
            #expect(joined.organisationID == b.admin.organisationID)
            await #expect(throws: StoreError.wrongCredentials) {
                _ = try await store.signIn(email: "dana@bolt.example", password: "squatter-password", clientAddress: nil)
            }
        }
    }
}
