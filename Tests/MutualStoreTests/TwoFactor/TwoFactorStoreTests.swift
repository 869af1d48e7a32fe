import FluentKit
import Foundation
@testable import MutualStore
import MutualTestSupport
import SQLKit
import Testing

/// Two-factor sign-in (TOTP, RFC 6238) in the store: codes checked against the tests' own
/// implementation with the test clock, single use, drift, recovery codes, the sign-in limits,
/// the sealed secret and the organisation's requirement for admins.
@Suite("Two-factor sign-in in the store")
struct TwoFactorStoreTests {
    static func store(_ database: MutualDatabase, clock: TestClock, limits: SignInLimits = SignInLimits()) -> Store {
        Store(database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4), limits: limits, logger: .init(label: "test"))
    }

    /// Turns two-factor sign-in on for `identity` with a code computed by the reference
    /// implementation; returns the key and the recovery codes.
    static func enrol(_ identity: Identity, store: Store, clock: TestClock) async throws -> (key: [UInt8], recoveryCodes: [String]) {
        let enrolment = try await store.startTwoFactorEnrolment(for: identity)
        let key = try #require(ReferenceTOTP.base32Decode(enrolment.secretBase32))
        let codes = try await store.enableTwoFactor(for: identity, password: Seeds.password, code: ReferenceTOTP.code(key: key, at: clock.now), clientAddress: nil)
        return (key, codes)
    }

    /// Password, then a pending sign-in, then `code`: the whole sign-in as the pages do it.
    static func signIn(_ email: String, code: String, store: Store, address: String? = nil) async throws -> Login {
        let login = try await store.signIn(email: email, password: Seeds.password, clientAddress: address)
        let pending = try await store.startPendingSignIn(for: login)
        return try await store.completeSignIn(pendingToken: pending.token, code: code, clientAddress: address)
    }

    static func isWrongPassword(_ error: any Error) -> Bool {
        if case .invalid(field: "password", _) = error as? StoreError { return true }
        return false
    }

    static func isTooMany(_ error: any Error) -> Bool {
        if case .tooManyAttempts = error as? StoreError { return true }
        return false
    }

    static func isWrongCode(_ error: any Error) -> Bool {
        if case .invalid(field: "code", _) = error as? StoreError { return true }
        return false
    }

    @Test("The reference implementation gives RFC 6238's SHA-1 vector, and Mutual's codes agree with it")
    func rfcVector() {
        let key = Array("12345678901234567890".utf8)
        // RFC 6238 Appendix B: T = 59 s, SHA-1, 8 digits.
        #expect(ReferenceTOTP.code(key: key, at: Date(timeIntervalSince1970: 59), digits: 8) == "94287082")
        #expect(ReferenceTOTP.code(key: key, at: Date(timeIntervalSince1970: 1_111_111_109), digits: 8) == "07081804")
        // Mutual's six digits are the same number's last six.
        #expect(TOTPCodes(secret: "12345678901234567890").code(step: 1) == "287082")
        #expect(TOTPCodes(secret: "12345678901234567890").code(step: 1_111_111_109 / 30) == "081804")
        #expect(ReferenceTOTP.base32Decode(TOTPCodes(secret: "12345678901234567890").base32) == key)
    }

    @Test("Enrolling needs a current code; a valid code then signs in, the same step is refused", arguments: TestBackend.all)
    func enrolAndSignIn(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let enrolment = try await store.startTwoFactorEnrolment(for: org.admin)
            #expect(enrolment.authenticatorURI == "otpauth://totp/Mutual:admin@acme.example?secret=\(enrolment.secretBase32)&issuer=Mutual")
            // Showing the page again shows the same secret, and nothing is on until a code is typed.
            #expect(try await store.startTwoFactorEnrolment(for: org.admin).secretBase32 == enrolment.secretBase32)
            #expect(try await !store.twoFactorEnabled(loginID: org.admin.loginID))
            let key = try #require(ReferenceTOTP.base32Decode(enrolment.secretBase32))
            let wrongCode = ReferenceTOTP.code(key: key, at: clock.now.addingTimeInterval(300))
            await #expect(throws: StoreError.self) { _ = try await store.enableTwoFactor(for: org.admin, password: Seeds.password, code: wrongCode, clientAddress: nil) }
            #expect(try await !store.twoFactorEnabled(loginID: org.admin.loginID))

            let recovery = try await store.enableTwoFactor(for: org.admin, password: Seeds.password, code: ReferenceTOTP.code(key: key, at: clock.now), clientAddress: nil)
            #expect(recovery.count == 10 && Set(recovery).count == 10)
            #expect(try await store.twoFactorEnabled(loginID: org.admin.loginID))

            clock.advance(by: 30)
            let code = ReferenceTOTP.code(key: key, at: clock.now)
            let login = try await Self.signIn(org.adminEmail, code: code, store: store)
            #expect(login.id == org.admin.loginID)
            // The same code again within its step: refused, however the sign-in got there.
            await #expect { _ = try await Self.signIn(org.adminEmail, code: code, store: store) } throws: { Self.isWrongCode($0) }
            // A pending sign-in is used up by its code.
            let pending = try await store.startPendingSignIn(for: login)
            clock.advance(by: 30)
            _ = try await store.completeSignIn(pendingToken: pending.token, code: ReferenceTOTP.code(key: key, at: clock.now), clientAddress: nil)
            clock.advance(by: 30)
            await #expect(throws: Store.pendingSignInGone) {
                _ = try await store.completeSignIn(pendingToken: pending.token, code: ReferenceTOTP.code(key: key, at: clock.now), clientAddress: nil)
            }
            let events = try await DomainEvent.query(on: database.database()).filter(\.$type == EventType.twoFactorEnabled.rawValue).all()
            #expect(events.count == 1 && events[0].subjectID == org.admin.loginID.uuidString.lowercased())
            #expect(!events[0].payload.contains(enrolment.secretBase32))
        }
    }

    @Test("Turning it on, off and new recovery codes need the current password as well as a code; a session alone is not enough", arguments: TestBackend.all)
    func changesNeedThePassword(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock, limits: SignInLimits(perAccount: 1_000, perAddress: 1_000))
            let org = try await Seeds.organisation("Acme", in: store)
            let identity = org.participant
            let enrolment = try await store.startTwoFactorEnrolment(for: identity)
            let key = try #require(ReferenceTOTP.base32Decode(enrolment.secretBase32))
            let code = ReferenceTOTP.code(key: key, at: clock.now)
            for password in ["", "wrong-password", Seeds.password.uppercased()] {
                await #expect("on with \(password.debugDescription)") {
                    _ = try await store.enableTwoFactor(for: identity, password: password, code: code, clientAddress: nil)
                } throws: { Self.isWrongPassword($0) }
            }
            #expect(try await !store.twoFactorEnabled(loginID: identity.loginID))
            // The refused attempts did not use the code up: with the password the same code works.
            let recovery = try await store.enableTwoFactor(for: identity, password: Seeds.password, code: code, clientAddress: nil)
            #expect(try await store.twoFactorEnabled(loginID: identity.loginID))

            clock.advance(by: 30)
            let current = ReferenceTOTP.code(key: key, at: clock.now)
            for password in ["", "wrong-password"] {
                await #expect("new codes with \(password.debugDescription)") {
                    _ = try await store.regenerateRecoveryCodes(for: identity, password: password, code: recovery[0], clientAddress: nil)
                } throws: { Self.isWrongPassword($0) }
                await #expect("off with \(password.debugDescription)") {
                    try await store.disableTwoFactor(for: identity, password: password, code: current, clientAddress: nil)
                } throws: { Self.isWrongPassword($0) }
            }
            #expect(try await store.twoFactorEnabled(loginID: identity.loginID))
            #expect(try await store.twoFactorStatus(of: identity).recoveryCodesLeft == 10, "no recovery code was used up")
            let regenerated = try await DomainEvent.query(on: database.database())
                .filter(\.$type == EventType.twoFactorRecoveryCodesRegenerated.rawValue).count()
            #expect(regenerated == 0)

            // With the password, both work.
            let fresh = try await store.regenerateRecoveryCodes(for: identity, password: Seeds.password, code: recovery[0], clientAddress: nil)
            #expect(fresh.count == 10 && Set(fresh).isDisjoint(with: recovery))
            try await store.disableTwoFactor(for: identity, password: Seeds.password, code: current, clientAddress: nil)
            #expect(try await !store.twoFactorEnabled(loginID: identity.loginID))
        }
    }

    @Test("A wrong password on a two-factor change counts against the sign-in limits, shared with sign-in", arguments: TestBackend.all)
    func wrongPasswordCounts(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock, limits: SignInLimits(perAccount: 3, perAddress: 1_000, window: 600, lockThreshold: 100))
            let org = try await Seeds.organisation("Acme", in: store)
            let identity = org.participant
            let (key, recovery) = try await Self.enrol(identity, store: store, clock: clock)
            clock.advance(by: 30)
            // Three free failures, one through each form.
            await #expect { _ = try await store.regenerateRecoveryCodes(for: identity, password: "guess-1", code: recovery[0], clientAddress: "10.0.0.1") }
                throws: { Self.isWrongPassword($0) }
            await #expect { try await store.disableTwoFactor(for: identity, password: "guess-2", code: recovery[0], clientAddress: "10.0.0.1") }
                throws: { Self.isWrongPassword($0) }
            await #expect { try await store.disableTwoFactor(for: identity, password: "guess-3", code: recovery[1], clientAddress: "10.0.0.1") }
                throws: { Self.isWrongPassword($0) }
            let failures = try await SignInFailure.query(on: database.database()).filter(\.$subject == "account:\(org.participantEmail)").count()
            #expect(failures == 3)
            // The fourth attempt waits, even with the right password, here and at sign-in.
            await #expect(throws: StoreError.tooManyAttempts(retryAfterSeconds: 1)) {
                try await store.disableTwoFactor(for: identity, password: Seeds.password, code: ReferenceTOTP.code(key: key, at: clock.now), clientAddress: "10.0.0.2")
            }
            await #expect(throws: StoreError.tooManyAttempts(retryAfterSeconds: 1)) {
                _ = try await store.signIn(email: org.participantEmail, password: Seeds.password, clientAddress: "10.0.0.2")
            }
            #expect(try await store.twoFactorEnabled(loginID: identity.loginID))
            // Once the wait is over, the right password works and clears the count.
            clock.advance(by: 1)
            try await store.disableTwoFactor(for: identity, password: Seeds.password, code: ReferenceTOTP.code(key: key, at: clock.now), clientAddress: "10.0.0.2")
            #expect(try await !store.twoFactorEnabled(loginID: identity.loginID))
            #expect(try await SignInFailure.query(on: database.database()).filter(\.$subject == "account:\(org.participantEmail)").count() == 0)
        }
    }

    @Test("50 parallel wrong passwords on a two-factor change: no more are checked than sign-in would allow", arguments: TestBackend.all)
    func parallelWrongPasswords(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let limits = SignInLimits(perAccount: 3, perAddress: 1_000, window: 600, lockThreshold: 100)
            let store = Self.store(database, clock: clock, limits: limits)
            let org = try await Seeds.organisation("Acme", in: store)
            let identity = org.participant
            let (_, recovery) = try await Self.enrol(identity, store: store, clock: clock)
            let outcomes = await withTaskGroup(of: String.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        do {
                            _ = try await store.regenerateRecoveryCodes(for: identity, password: "guess-\(index)", code: recovery[0], clientAddress: nil)
                            return "changed"
                        } catch {
                            if Self.isWrongPassword(error) { return "checked" }
                            if Self.isTooMany(error) { return "limited" }
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            let checked = outcomes.filter { $0 == "checked" }.count
            // Sign-in's rule: at the same instant, only the free failures are checked; each further attempt waits.
            #expect(checked <= limits.perAccount, "\(checked) passwords were checked against \(limits.perAccount) free failures")
            #expect(checked + outcomes.filter { $0 == "limited" }.count == 50, "\(Set(outcomes))")
            #expect(try await store.twoFactorStatus(of: identity).recoveryCodesLeft == 10)
        }
    }

    @Test("Codes one step either side of now are accepted, two steps are not", arguments: TestBackend.all)
    func drift(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (key, _) = try await Self.enrol(org.participant, store: store, clock: clock)
            clock.advance(by: 30 * 10)
            _ = try await Self.signIn(org.participantEmail, code: ReferenceTOTP.code(key: key, at: clock.now.addingTimeInterval(-30)), store: store)
            _ = try await Self.signIn(org.participantEmail, code: ReferenceTOTP.code(key: key, at: clock.now.addingTimeInterval(30)), store: store)
            clock.advance(by: 30 * 10)
            for offset in [-60.0, 60.0] {
                await #expect("\(offset) s") {
                    _ = try await Self.signIn(org.participantEmail, code: ReferenceTOTP.code(key: key, at: clock.now.addingTimeInterval(offset)), store: store)
                } throws: { Self.isWrongCode($0) }
            }
            _ = try await Self.signIn(org.participantEmail, code: ReferenceTOTP.code(key: key, at: clock.now), store: store)
        }
    }

    @Test("50 parallel submissions of one valid code: exactly one signs in", arguments: TestBackend.all)
    func parallelSameCode(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            // Limits high enough that only the single use of the step can stop the copies.
            let store = Self.store(database, clock: clock, limits: SignInLimits(perAccount: 1_000, perAddress: 1_000, perSecondFactor: 1_000))
            let org = try await Seeds.organisation("Acme", in: store)
            let (key, _) = try await Self.enrol(org.participant, store: store, clock: clock)
            clock.advance(by: 30)
            let login = try await store.signIn(email: org.participantEmail, password: Seeds.password, clientAddress: nil)
            var tokens: [String] = []
            for _ in 0..<50 { tokens.append(try await store.startPendingSignIn(for: login).token) }
            let code = ReferenceTOTP.code(key: key, at: clock.now)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for token in tokens {
                    group.addTask { (try? await store.completeSignIn(pendingToken: token, code: code, clientAddress: nil)) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
        }
    }

    @Test("A recovery code signs in once, in any case and with or without dashes", arguments: TestBackend.all)
    func recoveryCodes(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, codes) = try await Self.enrol(org.manager, store: store, clock: clock)
            #expect(codes.allSatisfy { $0.count == 14 })
            _ = try await Self.signIn(org.managerEmail, code: codes[0].uppercased().replacingOccurrences(of: "-", with: ""), store: store)
            await #expect { _ = try await Self.signIn(org.managerEmail, code: codes[0], store: store) } throws: { Self.isWrongCode($0) }
            _ = try await Self.signIn(org.managerEmail, code: codes[1], store: store)
            #expect(try await store.twoFactorStatus(of: org.manager).recoveryCodesLeft == 8)
            let used = try await DomainEvent.query(on: database.database()).filter(\.$type == EventType.twoFactorRecoveryCodeUsed.rawValue).count()
            #expect(used == 2)
            // Only digests are stored.
            let digests = try await RecoveryCode.query(on: database.database()).all().map(\.codeDigest)
            #expect(digests.count == 10 && !digests.contains { d in codes.contains { d.contains($0.replacingOccurrences(of: "-", with: "")) } })
            // Nor plain hashes, which a stolen database could be searched against: without the
            // server's secret, the digests match no code.
            let plain = Set(codes.map { SecretTokens.digest($0.replacingOccurrences(of: "-", with: "")) })
            #expect(plain.isDisjoint(with: digests))
            let otherSecret = Store(
                database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4), sealer: SecretSealer(secret: "another-secret-of-at-least-32-characters"),
                logger: .init(label: "test"))
            await #expect { _ = try await Self.signIn(org.managerEmail, code: codes[2], store: otherSecret) } throws: { Self.isWrongCode($0) }

            // New codes: the old ones stop working. Then turning it off with a recovery code.
            clock.advance(by: 30)
            let fresh = try await store.regenerateRecoveryCodes(for: org.manager, password: Seeds.password, code: codes[2], clientAddress: nil)
            await #expect { _ = try await Self.signIn(org.managerEmail, code: codes[3], store: store) } throws: { Self.isWrongCode($0) }
            try await store.disableTwoFactor(for: org.manager, password: Seeds.password, code: fresh[0], clientAddress: nil)
            #expect(try await !store.twoFactorEnabled(loginID: org.manager.loginID))
            #expect(try await RecoveryCode.query(on: database.database()).count() == 0)
            // Off: the password alone signs in again.
            _ = try await store.signIn(email: org.managerEmail, password: Seeds.password, clientAddress: nil)
            #expect(try await DomainEvent.query(on: database.database()).filter(\.$type == EventType.twoFactorDisabled.rawValue).count() == 1)
        }
    }

    @Test("50 parallel wrong codes get no more guesses than the limit, and the password does not buy more", arguments: TestBackend.all)
    func parallelWrongCodes(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (key, _) = try await Self.enrol(org.participant, store: store, clock: clock)
            clock.advance(by: 30)
            let login = try await store.signIn(email: org.participantEmail, password: Seeds.password, clientAddress: "203.0.113.7")
            let pending = try await store.startPendingSignIn(for: login)
            let right = ReferenceTOTP.code(key: key, at: clock.now)
            let wrong = right == "000000" ? "111111" : "000000"
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        do {
                            _ = try await store.completeSignIn(pendingToken: pending.token, code: wrong, clientAddress: "203.0.113.7")
                            return "signed in"
                        } catch {
                            if Self.isWrongCode(error) { return "checked" }
                            if case .tooManyAttempts = error as? StoreError { return "limited" }
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String]()) { $0.append($1) }
            }
            let checked = outcomes.filter { $0 == "checked" }.count
            #expect(checked <= SignInLimits().perSecondFactor, "\(checked) codes were checked against a limit of \(SignInLimits().perSecondFactor)")
            #expect(checked + outcomes.filter { $0 == "limited" }.count == 50, "\(Set(outcomes))")
            // Ten more, one at a time: together with the burst, still no more than the limit checked.
            var checkedInAll = checked
            for _ in 0..<10 {
                do {
                    _ = try await store.completeSignIn(pendingToken: pending.token, code: wrong, clientAddress: "203.0.113.7")
                } catch {
                    if Self.isWrongCode(error) { checkedInAll += 1 }
                }
            }
            #expect(checkedInAll == SignInLimits().perSecondFactor)
            // The right code is refused too while the limit holds.
            await #expect {
                _ = try await store.completeSignIn(pendingToken: pending.token, code: right, clientAddress: "203.0.113.7")
            } throws: { error in
                if case .tooManyAttempts = error as? StoreError { return true }
                return false
            }
            // After the window, the right code works.
            clock.advance(by: SignInLimits().window + 1)
            let later = try await store.startPendingSignIn(for: login)
            _ = try await store.completeSignIn(pendingToken: later.token, code: ReferenceTOTP.code(key: key, at: clock.now), clientAddress: nil)

            // A correct password clears the password count, but not the code count: four wrong
            // codes, the password again, then only one more code is checked.
            clock.advance(by: 30)
            for _ in 0..<4 {
                let pending = try await store.startPendingSignIn(for: login)
                await #expect { _ = try await store.completeSignIn(pendingToken: pending.token, code: wrong, clientAddress: nil) } throws: { Self.isWrongCode($0) }
            }
            let again = try await store.signIn(email: org.participantEmail, password: Seeds.password, clientAddress: nil)
            let fifth = try await store.startPendingSignIn(for: again)
            await #expect { _ = try await store.completeSignIn(pendingToken: fifth.token, code: wrong, clientAddress: nil) } throws: { Self.isWrongCode($0) }
            await #expect {
                _ = try await store.completeSignIn(pendingToken: fifth.token, code: ReferenceTOTP.code(key: key, at: clock.now), clientAddress: nil)
            } throws: { error in
                if case .tooManyAttempts = error as? StoreError { return true }
                return false
            }
        }
    }

    @Test("Wrong passwords from someone else do not keep the owner from getting past the code", arguments: TestBackend.all)
    func passwordFailuresDoNotBlockTheCode(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (key, _) = try await Self.enrol(org.participant, store: store, clock: clock)
            clock.advance(by: 30)
            let login = try await store.signIn(email: org.participantEmail, password: Seeds.password, clientAddress: "203.0.113.7")
            let pending = try await store.startPendingSignIn(for: login)
            // Someone who knows only the address fills the account's failure count from elsewhere.
            for index in 0..<10 {
                _ = try? await store.signIn(email: org.participantEmail, password: "wrong-guess-\(index)", clientAddress: "198.51.100.\(index)")
            }
            let signedIn = try await store.completeSignIn(
                pendingToken: pending.token, code: ReferenceTOTP.code(key: key, at: clock.now), clientAddress: "203.0.113.7")
            #expect(signedIn.id == org.participant.loginID)
        }
    }

    @Test("The secret is stored sealed, never in the clear", arguments: TestBackend.all)
    func secretSealed(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (key, _) = try await Self.enrol(org.admin, store: store, clock: clock)
            let secret = String(decoding: key, as: UTF8.self)
            let base32 = try await store.startTwoFactorEnrolmentSecretForTest(org.admin)
            let rows = try await database.sql().raw("SELECT * FROM login_two_factor").all()
            #expect(rows.count == 1)
            let sealed = try rows[0].decode(column: "sealed_secret", as: String.self)
            for column in rows[0].allColumns {
                let text = (try? rows[0].decode(column: column, as: String.self)) ?? ""
                #expect(!text.contains(secret) && !text.contains(base32), "column \(column) holds the secret")
            }
            #expect(try store.sealer.open(sealed) == secret)
            // Another MUTUAL_SECRET cannot open it.
            #expect(throws: SecretSealer.SealError.self) { try SecretSealer(secret: "another-secret").open(sealed) }
        }
    }

    @Test("Requiring two-factor of admins needs it on the admin who sets it; only admins without it must enrol", arguments: TestBackend.all)
    func adminRequirement(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            await #expect { try await store.setAdminTwoFactorRequired(true, by: org.admin) } throws: { error in
                if case .conflict(field: "require_admin_two_factor", _) = error as? StoreError { return true }
                return false
            }
            await #expect(throws: StoreError.self) { try await store.setAdminTwoFactorRequired(true, by: org.manager) }
            #expect(try await !store.adminTwoFactorRequired(organisationID: org.admin.organisationID))

            let issued = try await store.invite(email: "second@acme.example", role: .admin, by: org.admin) { "http://mutual.test/i/\($0)" }
            let second = try await store.identity(for: try await store.acceptInvitation(token: issued.token, name: "Second Admin", password: Seeds.password))
            _ = try await Self.enrol(org.admin, store: store, clock: clock)
            try await store.setAdminTwoFactorRequired(true, by: org.admin)
            try await store.setAdminTwoFactorRequired(true, by: org.admin)  // no change, no second event
            #expect(try await store.adminTwoFactorRequired(organisationID: org.admin.organisationID))
            #expect(try await store.mustEnrolInTwoFactor(second))
            #expect(try await !store.mustEnrolInTwoFactor(org.admin))
            #expect(try await !store.mustEnrolInTwoFactor(org.manager))
            #expect(try await !store.mustEnrolInTwoFactor(org.participant))
            let events = try await DomainEvent.query(on: database.database()).filter(\.$type == EventType.organisationSettingsChanged.rawValue).all()
            #expect(events.count == 1 && events[0].payload.contains("\"require_admin_two_factor\":true"))
        }
    }
}

extension Store {
    /// The base32 secret of a login that has two-factor sign-in on (tests only: the page never
    /// shows it again once it is on).
    fileprivate func startTwoFactorEnrolmentSecretForTest(_ identity: Identity) async throws -> String {
        let row = try #require(try await LoginTwoFactor.find(identity.loginID, on: try database.database()))
        return TOTPCodes(secret: try sealer.open(row.sealedSecret)).base32
    }
}
