import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("Accounts in the store")
struct AccountStoreTests {
    @Test("CI runs the PostgreSQL suites when services are required", .enabled(if: TestBackend.servicesRequired))
    func postgresIsConfiguredWhenRequired() {
        #expect(TestBackend.postgresURL != nil, "MUTUAL_REQUIRE_SERVICES=1 but MUTUAL_TEST_POSTGRES is not set")
        #expect(TestBackend.all.contains(.postgres))
    }

    @Test("The first organisation can be set up once only", arguments: TestBackend.all)
    func setupHappensOnce(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            #expect(try await store.isSetUp() == false)
            let admin = try await store.setUpFirstOrganisation(
                SetupRequest(organisationName: "Acme", adminName: "Ada", email: "ADA@acme.example ", password: Seeds.password))
            let login = try #require(try await Login.find(admin.loginID, on: database.database()))
            #expect(login.email == "ada@acme.example")
            #expect(admin.role == .admin)
            #expect(login.passwordHash != Seeds.password)
            #expect(try await store.isSetUp())
            await #expect(throws: StoreError.self) {
                _ = try await store.setUpFirstOrganisation(
                    SetupRequest(organisationName: "Other", adminName: "Bo", email: "bo@other.example", password: Seeds.password))
            }
        }
    }

    @Test("Setup rejects bad input and names the field", arguments: TestBackend.all)
    func setupValidation(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            let cases: [(SetupRequest, String)] = [
                (SetupRequest(organisationName: " ", adminName: "Ada", email: "a@b.co", password: Seeds.password), "organisation_name"),
                (SetupRequest(organisationName: "Acme", adminName: "", email: "a@b.co", password: Seeds.password), "name"),
                (SetupRequest(organisationName: "Acme", adminName: "Ada", email: "not-an-email", password: Seeds.password), "email"),
                (SetupRequest(organisationName: "Acme", adminName: "Ada", email: "a@b.co", password: "short"), "password"),
            ]
            for (request, field) in cases {
                do {
                    _ = try await store.setUpFirstOrganisation(request)
                    Issue.record("expected a validation error for \(field)")
                } catch let error as StoreError {
                    #expect(error.field == field)
                    #expect(!(error.errorDescription ?? "").isEmpty)
                }
            }
            #expect(try await store.isSetUp() == false, "a rejected setup must not leave an organisation behind")
        }
    }

    @Test("An invitation works once and not after it expires or is withdrawn", arguments: TestBackend.all)
    func invitationLifecycle(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Store(database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            let link: @Sendable (String) -> String = { token in "http://mutual.test/invitations/\(token)" }

            let first = try await store.invite(email: "new@acme.example", role: .participant, by: org.admin, acceptURL: link)
            let account = try await store.acceptInvitation(token: first.token, name: "New Person", password: Seeds.password)
            #expect(account.organisationID == org.admin.organisationID)
            #expect(account.role == .participant)
            await #expect(throws: StoreError.self) {
                _ = try await store.acceptInvitation(token: first.token, name: "Again", password: Seeds.password)
            }

            let expiring = try await store.invite(email: "late@acme.example", role: .participant, by: org.admin, acceptURL: link)
            clock.advance(by: Store.invitationLifetime + 1)
            do {
                _ = try await store.pendingInvitation(token: expiring.token)
                Issue.record("an expired invitation was accepted")
            } catch let error as StoreError {
                guard case .gone(let message) = error else { Issue.record("unexpected \(error)"); return }
                #expect(message.contains("expired"))
            }

            let withdrawn = try await store.invite(email: "gone@acme.example", role: .participant, by: org.admin, acceptURL: link)
            _ = try await store.revokeInvitation(id: try withdrawn.invitation.requireID(), by: org.admin)
            await #expect(throws: StoreError.self) {
                _ = try await store.acceptInvitation(token: withdrawn.token, name: "Gone", password: Seeds.password)
            }
        }
    }

    @Test("Invitation emails go to the outbox with the link", arguments: TestBackend.all)
    func invitationEmailIsKept(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            let issued = try await store.invite(email: "x@acme.example", role: .participant, by: org.admin) { "https://m.example/i/\($0)" }
            // The message is a job: nothing is sent until a worker runs it.
            #expect(try await OutboxMessage.query(on: database.database()).count() == 0)
            #expect(try await store.runDueJobs() >= 1)
            let messages = try await OutboxMessage.query(on: database.database()).all()
            let message = try #require(messages.first { $0.recipient == "x@acme.example" })
            #expect(message.body.contains("https://m.example/i/\(issued.token)"))
            #expect(issued.invitation.tokenDigest != issued.token, "only the digest of the token may be stored")
        }
    }

    @Test("The last admin cannot stop being an admin", arguments: TestBackend.all)
    func lastAdminKeepsRole(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            await #expect(throws: StoreError.self) {
                _ = try await store.changeRole(ofMember: org.admin.accountID, to: .participant, by: org.admin)
            }
            _ = try await store.changeRole(ofMember: org.manager.accountID, to: .admin, by: org.admin)
            let demoted = try await store.changeRole(ofMember: org.admin.accountID, to: .participant, by: org.admin)
            #expect(demoted.role == .participant)
        }
    }

    @Test("Sessions expire and sign-out ends them", arguments: TestBackend.all)
    func sessionLifecycle(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Store(database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            let login = try await store.signIn(email: org.participantEmail, password: Seeds.password, clientAddress: "10.0.0.1")
            let account = try await store.defaultMembership(of: login)
            let session = try await store.startSession(for: account)
            #expect(try await store.identity(forSessionToken: session.token)?.accountID == org.participant.accountID)
            try await store.endSession(token: session.token)
            #expect(try await store.identity(forSessionToken: session.token) == nil)

            let second = try await store.startSession(for: account)
            clock.advance(by: Store.sessionLifetime + 1)
            #expect(try await store.identity(forSessionToken: second.token) == nil)
        }
    }

    @Test("After the free failures each attempt on an account waits 1, 2, 4, 8 … seconds, capped; the right password waits too", arguments: TestBackend.all)
    func signInDelaysGrow(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Store(
                database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4),
                limits: SignInLimits(perAccount: 3, perAddress: 1_000, window: 600, maxDelay: 16, lockThreshold: 100), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            for _ in 0..<3 {
                await #expect(throws: StoreError.wrongCredentials) {
                    _ = try await store.signIn(email: org.adminEmail, password: "wrong-password", clientAddress: "10.0.0.1")
                }
            }
            for expected in [1, 2, 4, 8, 16, 16] {
                await #expect(throws: StoreError.tooManyAttempts(retryAfterSeconds: expected)) {
                    _ = try await store.signIn(email: org.adminEmail, password: Seeds.password, clientAddress: "10.0.0.2")
                }
                clock.advance(by: TimeInterval(expected) - 0.5)
                await #expect(throws: StoreError.tooManyAttempts(retryAfterSeconds: 1), "not yet: half a second is left") {
                    _ = try await store.signIn(email: org.adminEmail, password: Seeds.password, clientAddress: "10.0.0.2")
                }
                clock.advance(by: 0.5)
                await #expect(throws: StoreError.wrongCredentials) {
                    _ = try await store.signIn(email: org.adminEmail, password: "wrong-password", clientAddress: "10.0.0.1")
                }
            }
            // Another account is not slowed by this one's failures.
            _ = try await store.signIn(email: org.participantEmail, password: Seeds.password, clientAddress: "10.0.0.1")
            clock.advance(by: 16)
            let login = try await store.signIn(email: org.adminEmail, password: Seeds.password, clientAddress: "10.0.0.1")
            #expect(login.email == org.adminEmail)
            // A success clears the count: the next failures are free again.
            await #expect(throws: StoreError.wrongCredentials) {
                _ = try await store.signIn(email: org.adminEmail, password: "wrong-password", clientAddress: "10.0.0.1")
            }
        }
    }

    @Test("At the lock threshold the owner is emailed one unlock link; it clears the delay at once and works once", arguments: TestBackend.all)
    func unlockLink(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Store(
                database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4),
                limits: SignInLimits(perAccount: 3, perAddress: 1_000, window: 600, lockThreshold: 5), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            func fail(times: Int) async throws {
                for _ in 0..<times {
                    clock.advance(by: 15 * 60)
                    await #expect(throws: StoreError.wrongCredentials) {
                        _ = try await store.signIn(email: org.managerEmail, password: "wrong-password", clientAddress: "10.0.0.1")
                    }
                }
            }
            func unlockEmails() async throws -> Int {
                try await store.runDueJobs()
                return try await OutboxMessage.query(on: database.database()).filter(\.$recipient == org.managerEmail).all()
                    .filter { $0.body.contains("/unlock/") }.count
            }
            try await fail(times: 4)
            #expect(try await unlockEmails() == 0, "no email before the threshold")
            try await fail(times: 3)
            #expect(try await unlockEmails() == 1, "one email per lock, however many failures follow")
            let token = try #require(try await store.emailedSecret(under: "/unlock/", to: org.managerEmail))
            #expect(try await LoginLink.query(on: database.database()).filter(\.$purpose == .unlock).first()?.tokenDigest == SecretTokens.digest(token))
            await #expect(throws: StoreError.self, "still slowed until the link is used") {
                _ = try await store.signIn(email: org.managerEmail, password: Seeds.password, clientAddress: "10.0.0.2")
            }

            _ = try await store.unlock(token: token)
            _ = try await store.signIn(email: org.managerEmail, password: Seeds.password, clientAddress: "10.0.0.2")
            do {
                _ = try await store.unlock(token: token)
                Issue.record("an unlock link must work once")
            } catch StoreError.gone(let message) {
                #expect(message.contains("already been used"))
            }
            await #expect(throws: StoreError.self) { _ = try await store.unlock(token: "not-a-real-link") }
            // The next lock sends a new link.
            try await fail(times: 5)
            #expect(try await unlockEmails() == 2)
            let events = try await DomainEvent.query(on: database.database()).filter(\.$type ~~ ["account.locked", "account.unlocked"]).all()
            #expect(events.map(\.type).sorted() == ["account.locked", "account.locked", "account.unlocked"])
        }
    }

    @Test("An unlock link expires after 24 hours", arguments: TestBackend.all)
    func unlockLinkExpires(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Store(
                database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4),
                limits: SignInLimits(perAccount: 1, perAddress: 1_000, window: 600, maxDelay: 1, lockThreshold: 2), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            for _ in 0..<2 {
                clock.advance(by: 2)
                await #expect(throws: StoreError.wrongCredentials) {
                    _ = try await store.signIn(email: org.adminEmail, password: "wrong-password", clientAddress: nil)
                }
            }
            let token = try #require(try await store.emailedSecret(under: "/unlock/", to: org.adminEmail))
            clock.advance(by: Store.unlockLinkLifetime + 1)
            await #expect(throws: StoreError.self) { _ = try await store.unlock(token: token) }
        }
    }

    @Test("50 parallel attempts once a delay has passed get one password check, not 50", arguments: TestBackend.all)
    func parallelGuessesAfterDelay(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Store(
                database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4),
                limits: SignInLimits(perAccount: 3, perAddress: 1_000, window: 900), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            for _ in 0..<5 {
                clock.advance(by: 60)
                await #expect(throws: StoreError.wrongCredentials) {
                    _ = try await store.signIn(email: org.adminEmail, password: "wrong-password", clientAddress: nil)
                }
            }
            clock.advance(by: store.limits.delay(afterFailures: 5))
            let outcome = try await Self.parallelSignIns(store, attempts: 50, email: { _ in org.adminEmail }, address: "10.0.0.9")
            #expect(outcome.other.isEmpty, "\(outcome.other)")
            #expect(outcome.checked <= 1, "\(outcome.checked) passwords were checked where the delay allows one")
            #expect(outcome.checked + outcome.refused == 50)
        }
    }

    /// What each of `attempts` parallel sign-ins got: a real password check (`wrongCredentials`),
    /// a refusal before it (`tooManyAttempts`), or anything else (which must never happen).
    static func parallelSignIns(
        _ store: Store, attempts: Int, email: @escaping @Sendable (Int) -> String, address: String
    ) async throws -> (checked: Int, refused: Int, other: [String]) {
        try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<attempts {
                group.addTask {
                    do {
                        _ = try await store.signIn(email: email(index), password: "wrong-password", clientAddress: address)
                        return "signed in"
                    } catch StoreError.wrongCredentials {
                        return "checked"
                    } catch StoreError.tooManyAttempts {
                        return "refused"
                    } catch {
                        return "\(error)"
                    }
                }
            }
            var outcome = (checked: 0, refused: 0, other: [String]())
            for try await result in group {
                switch result {
                case "checked": outcome.checked += 1
                case "refused": outcome.refused += 1
                default: outcome.other.append(result)
                }
            }
            return outcome
        }
    }

    @Test("50 parallel wrong passwords for one account get at most the limit of real checks", arguments: TestBackend.all)
    func parallelGuessesPerAccount(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(
                database: database, clock: TestClock().mutualClock, passwords: PasswordHasher(cost: 4),
                limits: SignInLimits(perAccount: 5, perAddress: 1_000, window: 900), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            let outcome = try await Self.parallelSignIns(store, attempts: 50, email: { _ in org.adminEmail }, address: "10.0.0.9")
            #expect(outcome.other.isEmpty, "\(outcome.other)")
            #expect(outcome.checked <= 5, "\(outcome.checked) passwords were checked against a limit of 5")
            #expect(outcome.checked + outcome.refused == 50)
            let left = try await SignInFailure.query(on: database.database()).filter(\.$subject == "account:\(org.adminEmail)").count()
            #expect(left == outcome.checked, "every checked guess counts once, and no refused one counts")
        }
    }

    @Test("50 parallel sign-ins with different emails from one address get at most the address limit of checks", arguments: TestBackend.all)
    func parallelGuessesPerAddress(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(
                database: database, clock: TestClock().mutualClock, passwords: PasswordHasher(cost: 4),
                limits: SignInLimits(perAccount: 5, perAddress: 20, window: 900), logger: .init(label: "test"))
            let outcome = try await Self.parallelSignIns(store, attempts: 50, email: { "person\($0)@acme.example" }, address: "10.0.0.7")
            #expect(outcome.other.isEmpty, "\(outcome.other)")
            #expect(outcome.checked <= 20, "\(outcome.checked) passwords were checked against a limit of 20")
            #expect(outcome.checked + outcome.refused == 50)
        }
    }

    @Test("50 concurrent right sign-ins all succeed, and the database answers meanwhile", arguments: TestBackend.all)
    func parallelRightSignIns(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            // Limits high enough that every attempt is allowed: this is about the database.
            let store = Store(
                database: database, passwords: PasswordHasher(cost: 4), limits: SignInLimits(perAccount: 100, perAddress: 100),
                logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<50 {
                    group.addTask {
                        let email = [org.adminEmail, org.managerEmail, org.participantEmail][index % 3]
                        return (try? await store.signIn(email: email, password: Seeds.password, clientAddress: "10.0.1.\(index)")) != nil
                    }
                }
                group.addTask { (try? await store.members(of: org.admin).count) == 3 }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.allSatisfy { $0 }, "\(results.filter { !$0 }.count) of 51 failed")
        }
    }

    @Test("API tokens are stored hashed and stop working when revoked", arguments: TestBackend.all)
    func apiTokens(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            let issued = try await store.createAPIToken(named: "script", for: org.participant)
            #expect(issued.secret.hasPrefix("mut_"))
            #expect(issued.token.tokenDigest == SecretTokens.digest(issued.secret))
            #expect(issued.token.tokenDigest != issued.secret)
            #expect(try await store.identity(forAPIToken: issued.secret)?.accountID == org.participant.accountID)
            try await store.revokeAPIToken(id: try issued.token.requireID(), of: org.participant)
            #expect(try await store.identity(forAPIToken: issued.secret) == nil)
        }
    }

    @Test("Loading the demo twice changes nothing", arguments: TestBackend.all)
    func demoIsIdempotent(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            #expect(try await store.loadDemo() == .created(people: DemoOrganisation.peopleCount))
            let people = try await Person.query(on: database.database()).count()
            let skills = try await PersonSkill.query(on: database.database()).count()
            #expect(people >= 300)
            #expect(skills > people, "every demo person has strengths and wants")
            #expect(try await store.loadDemo() == .alreadyPresent)
            #expect(try await Person.query(on: database.database()).count() == people)
            #expect(try await PersonSkill.query(on: database.database()).count() == skills)
            let admin = try await Seeds.signedIn(email: DemoOrganisation.adminEmail, password: DemoOrganisation.adminPassword, in: store)
            #expect(admin.role == .admin)
            let participant = try await Seeds.signedIn(
                email: DemoOrganisation.participantEmail, password: DemoOrganisation.participantPassword, in: store)
            #expect(participant.role == .participant)
            let departments = Set(try await Person.query(on: database.database()).all().map(\.department))
            let zones = Set(try await Person.query(on: database.database()).all().map(\.timeZone))
            #expect(departments.count >= 8)
            #expect(zones.count >= 5)
        }
    }
}
