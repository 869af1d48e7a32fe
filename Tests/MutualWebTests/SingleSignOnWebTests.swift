import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import MutualWeb
import Testing

/// OpenID Connect sign-in through the pages against an in-memory provider: the redirect with
/// PKCE, state and nonce, first sign-in of a directory person, and the refusals (a replayed
/// answer, a forged or foreign state, an expired attempt, an unknown or unverified address,
/// tokens the provider did not make for this sign-in); and "require single sign-on".
@Suite("Single sign-on (OpenID Connect)")
struct SingleSignOnWebTests {
    static func options(_ provider: FakeIdentityProvider) -> TestAppOptions {
        var options = TestAppOptions()
        options.singleSignOn = FakeIdentityProvider.settings
        options.identityProviderTransport = provider
        return options
    }

    /// A directory person without an account (as an import makes them).
    static func addPerson(_ name: String, email: String, to organisationID: UUID, app: TestApp) async throws -> UUID {
        let person = Person(
            organisationID: organisationID, externalID: "hr-\(UUID().uuidString.prefix(8))", name: name, email: email, department: "Ops",
            company: "", level: 2, timeZone: "UTC", location: "", languages: ["en"], createdAt: app.clock.now)
        try await person.create(on: try app.store.database.database())
        return try person.requireID()
    }

    /// Clicks "Sign in with …": returns the provider URL Mutual redirected to.
    static func start(_ browser: BrowserSession, next: String? = nil) async throws -> String {
        let started = try await browser.get("/sign-in/oidc" + (next.map { "?next=" + $0 } ?? ""))
        #expect(started.status == .seeOther)
        return try #require(started.location)
    }

    @Test("The sign-in page offers the provider's button; the flow sends PKCE S256, state and nonce and signs a directory person in, once creating their account", arguments: TestBackend.all)
    func firstSignInCreatesTheAccount(backend: TestBackend) async throws {
        let clock = TestClock()
        let provider = FakeIdentityProvider(clock: clock)
        try await withTestApp(backend, options: Self.options(provider), clock: clock) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let personID = try await Self.addPerson("Rita Ramos", email: "rita@acme.example", to: org.admin.organisationID, app: app)
            let browser = app.browser()
            let page = try await browser.get("/sign-in")
            #expect(page.text.contains("Sign in with Example ID"))
            #expect(page.text.contains("href=\"/sign-in/oidc\""))
            #expect(try await browser.get("/sign-in?next=/programmes").text.contains("href=\"/sign-in/oidc?next=%2Fprogrammes\""))

            let authorization = try await Self.start(browser, next: "/programmes")
            #expect(authorization.hasPrefix(FakeIdentityProvider.issuer + "/authorize?"))
            #expect(authorization.contains("code_challenge_method=S256"))
            #expect(authorization.contains("redirect_uri=http://mutual.test/sign-in/oidc/callback")
                || authorization.contains("redirect_uri=http%3A%2F%2Fmutual.test%2Fsign-in%2Foidc%2Fcallback"))
            #expect(browser.cookies["mutual_sso_state"] != nil)

            let callback = try provider.authorize(authorization, email: "Rita@Acme.example")
            let done = try await browser.get(callback)
            #expect(done.status == .seeOther)
            #expect(done.location == "/programmes")
            #expect(browser.cookies["mutual_session"] != nil)
            let dashboard = try await browser.get("/dashboard")
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.contains("Rita"))

            let members = try await app.store.members(of: org.admin)
            let rita = try #require(members.first { $0.email == "rita@acme.example" })
            #expect(rita.personID == personID)
            #expect(rita.role == .participant)
            try await app.store.runDueJobs()
            let audit = try await app.store.auditLog(AuditQuery(), of: org.admin).lines
            #expect(audit.contains { $0.type == EventType.singleSignOnMemberJoined.rawValue })

            // A second sign-in finds the same account.
            let again = app.browser()
            let second = try await again.get(try provider.authorize(try await Self.start(again), email: "rita@acme.example"))
            #expect(second.location == "/dashboard")
            #expect(try await app.store.members(of: org.admin).filter { $0.email == "rita@acme.example" }.count == 1)
        }
    }

    @Test("A replayed answer, a forged state, a state from another browser and an attempt older than 10 minutes are refused with their own messages", arguments: TestBackend.all)
    func refusals(backend: TestBackend) async throws {
        let clock = TestClock()
        let provider = FakeIdentityProvider(clock: clock)
        try await withTestApp(backend, options: Self.options(provider), clock: clock) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            let callback = try provider.authorize(try await Self.start(browser), email: org.participantEmail)
            #expect(try await browser.get(callback).status == .seeOther)
            try await browser.post("/sign-out")

            let replayed = try await browser.get(callback)
            #expect(replayed.status == .gone)
            #expect(replayed.text.contains("This sign-in link was already used"))
            #expect(browser.cookies["mutual_session"] == nil)

            // A state Mutual never issued.
            let forger = app.browser()
            _ = try await Self.start(forger)
            let forged = try await forger.get("/sign-in/oidc/callback?code=anything&state=not-a-state-we-issued")
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("did not start from this browser"))

            // A real state, but the answer arrives in a browser that did not start it (login CSRF).
            let victim = app.browser()
            let attackersCallback = try provider.authorize(try await Self.start(app.browser()), email: org.participantEmail)
            let foreign = try await victim.get(attackersCallback)
            #expect(foreign.status == .forbidden)
            #expect(foreign.text.contains("did not start from this browser"))
            #expect(victim.cookies["mutual_session"] == nil)

            // Too slow at the provider.
            let slow = app.browser()
            let slowCallback = try provider.authorize(try await Self.start(slow), email: org.participantEmail)
            app.clock.advance(by: 11 * 60)
            let expired = try await slow.get(slowCallback)
            #expect(expired.status == .gone)
            #expect(expired.text.contains("longer than 10 minutes"))

            // A code used once at the provider is refused by it the second time, even with a fresh state.
            let reuse = app.browser()
            let first = try provider.authorize(try await Self.start(reuse), email: org.participantEmail)
            #expect(try await reuse.get(first).status == .seeOther)
            let code = try #require(URLComponents(string: first)?.queryItems?.first { $0.name == "code" }?.value)
            let fresh = app.browser()
            let freshState = try #require(URLComponents(string: try await Self.start(fresh))?.queryItems?.first { $0.name == "state" }?.value)
            let reused = try await fresh.get("/sign-in/oidc/callback?code=\(code)&state=\(freshState.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(reused.status == .gone)
            #expect(reused.text.contains("no longer accepts this sign-in"))
        }
    }

    @Test("An address nobody knows is refused with whom to ask, and no login is made; an unverified address is refused", arguments: TestBackend.all)
    func unknownAndUnverifiedEmail(backend: TestBackend) async throws {
        let clock = TestClock()
        let provider = FakeIdentityProvider(clock: clock)
        try await withTestApp(backend, options: Self.options(provider), clock: clock) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            let unknown = try await browser.get(try provider.authorize(try await Self.start(browser), email: "stranger@elsewhere.example"))
            #expect(unknown.status == .forbidden)
            #expect(unknown.text.contains("Ask your organisation"))
            #expect(unknown.text.contains("admin to add you to the directory"))
            #expect(browser.cookies["mutual_session"] == nil)
            await #expect(throws: StoreError.wrongCredentials) {
                _ = try await app.store.signIn(email: "stranger@elsewhere.example", password: "whatever-it-is", clientAddress: nil)
            }

            _ = try await Self.addPerson("Uma", email: "uma@acme.example", to: org.admin.organisationID, app: app)
            let unverified = app.browser()
            let answer = try await unverified.get(try provider.authorize(try await Self.start(unverified), email: "uma@acme.example", emailVerified: nil))
            #expect(answer.status == .forbidden)
            #expect(answer.text.contains("has not confirmed that uma@acme.example is your address"))
            #expect(try await app.store.members(of: org.admin).contains { $0.email == "uma@acme.example" } == false)
        }
    }

    @Test("ID tokens are refused for a bad signature, another issuer, another audience, expiry, another nonce, an unknown key or alg none; a rotated key is fetched once")
    func tokenChecks() async throws {
        let clock = TestClock()
        let provider = FakeIdentityProvider(clock: clock)
        let verifier = IdentityProvider(settings: FakeIdentityProvider.settings, transport: provider, clock: clock.mutualClock)
        func problem(_ token: String, nonce: String = "n-1") async -> SingleSignOnError? {
            do {
                _ = try await verifier.verify(idToken: token, nonce: nonce)
                return nil
            } catch { return error as? SingleSignOnError }
        }
        let good = provider.validClaims(nonce: "n-1")
        let claims = try await verifier.verify(idToken: provider.sign(good), nonce: "n-1")
        #expect(claims.email == "someone@example.test")
        #expect(try await verifier.verifiedEmail(in: claims) == "someone@example.test")

        #expect(await problem(provider.sign(good, key: .init())) == .invalidIDToken(.badSignature))
        var other = good
        other.iss = "https://evil.example.test"
        #expect(await problem(provider.sign(other)) == .invalidIDToken(.wrongIssuer))
        other = good
        other.aud = ["another-client"]
        #expect(await problem(provider.sign(other)) == .invalidIDToken(.wrongAudience))
        other = good
        other.exp = clock.now.addingTimeInterval(-120)
        #expect(await problem(provider.sign(other)) == .invalidIDToken(.expired))
        other = good
        other.iat = clock.now.addingTimeInterval(3600)
        #expect(await problem(provider.sign(other)) == .invalidIDToken(.issuedInFuture))
        #expect(await problem(provider.sign(good), nonce: "n-2") == .invalidIDToken(.wrongNonce))
        other = good
        other.nonce = nil
        #expect(await problem(provider.sign(other)) == .invalidIDToken(.wrongNonce))
        #expect(await problem(provider.sign(good, alg: "none")) == .invalidIDToken(.unsupportedAlgorithm))
        #expect(await problem("not.a-token") == .invalidIDToken(.malformed))

        // An unknown key id fetches the key set once more, then refuses.
        let fetches = provider.jwksFetches
        #expect(await problem(provider.sign(good, keyID: "nobody-knows")) == .invalidIDToken(.unknownKey))
        #expect(provider.jwksFetches == fetches + 1)
        // A rotated key: the cached set lacks it, one fetch finds it, the next token uses the cache.
        provider.rotateKey()
        #expect(await problem(provider.sign(good)) == nil)
        #expect(provider.jwksFetches == fetches + 2)
        #expect(await problem(provider.sign(good)) == nil)
        #expect(provider.jwksFetches == fetches + 2)
    }

    @Test("A provider that publishes its one key without a key id (as oidc-provider-mock does) is usable for tokens without one")
    func keysWithoutIDs() async throws {
        let clock = TestClock()
        let provider = FakeIdentityProvider(clock: clock)
        provider.publishUnnamedKeys()
        let verifier = IdentityProvider(settings: FakeIdentityProvider.settings, transport: provider, clock: clock.mutualClock)
        let good = provider.validClaims(nonce: "n-1")
        let claims = try await verifier.verify(idToken: provider.sign(good, omitKeyID: true), nonce: "n-1")
        #expect(claims.nonce == "n-1")
        await #expect(throws: SingleSignOnError.invalidIDToken(.badSignature)) {
            _ = try await verifier.verify(idToken: provider.sign(good, key: .init(), omitKeyID: true), nonce: "n-1")
        }
    }

    @Test("Bad tokens from the token endpoint end on the sign-in page with a message, never a 500", arguments: TestBackend.all)
    func badTokensThroughTheFlow(backend: TestBackend) async throws {
        let clock = TestClock()
        let provider = FakeIdentityProvider(clock: clock)
        try await withTestApp(backend, options: Self.options(provider), clock: clock) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let cases: [(String, @Sendable (inout FakeIdentityProvider.Claims) -> Void, String)] = [
                ("expired", { $0.exp = $0.exp.addingTimeInterval(-3600) }, "had expired by the time it reached Mutual"),
                ("wrong audience", { $0.aud = ["someone-else"] }, "issued for another application"),
                ("wrong nonce", { $0.nonce = "replayed-from-elsewhere" }, "belongs to another sign-in"),
            ]
            for (label, change, message) in cases {
                provider.tamper(change)
                let browser = app.browser()
                let answer = try await browser.get(try provider.authorize(try await Self.start(browser), email: org.participantEmail))
                #expect(answer.status == .forbidden, "\(label)")
                #expect(answer.text.contains(message), "\(label)")
                #expect(browser.cookies["mutual_session"] == nil, "\(label)")
            }
        }
    }

    @Test("50 parallel deliveries of one answer make exactly one session", arguments: TestBackend.all)
    func parallelCallbacksOneSession(backend: TestBackend) async throws {
        let clock = TestClock()
        let provider = FakeIdentityProvider(clock: clock)
        try await withTestApp(backend, options: Self.options(provider), clock: clock) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            let callback = try provider.authorize(try await Self.start(browser), email: org.participantEmail)
            let state = try #require(browser.cookies["mutual_sso_state"])
            let answers = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let copy = app.browser()
                        copy.setCookie("mutual_sso_state", state)
                        let answer = try await copy.get(callback)
                        return (Int(answer.status.code), answer.text.contains("This sign-in link was already used"))
                    }
                }
                return try await group.reduce(into: [(Int, Bool)]()) { $0.append($1) }
            }
            #expect(answers.filter { $0.0 == 303 }.count == 1)
            // Refused by Mutual's single-use attempt, not only by the provider's single-use code.
            #expect(answers.filter { $0.0 == 410 && $0.1 }.count == 49)
        }
    }

    @Test("50 parallel first sign-ins of one directory person make one login and one membership", arguments: TestBackend.all)
    func parallelFirstSignIns(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            _ = try await Self.addPerson("Pia Park", email: "pia@acme.example", to: org.admin.organisationID, app: app)
            let loginIDs = try await withThrowingTaskGroup(of: UUID.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await app.store.signInWithSingleSignOn(email: "pia@acme.example").requireID() }
                }
                return try await group.reduce(into: Set<UUID>()) { $0.insert($1) }
            }
            #expect(loginIDs.count == 1)
            #expect(try await app.store.members(of: org.admin).filter { $0.email == "pia@acme.example" }.count == 1)
            try await app.store.runDueJobs()
            let joined = try await app.store.auditLog(AuditQuery(type: .singleSignOnMemberJoined), of: org.admin).lines
            #expect(joined.count == 1)
        }
    }

    @Test("Requiring single sign-on turns passwords off for everyone but the break-glass admin, and is audited", arguments: TestBackend.all)
    func requireSingleSignOn(backend: TestBackend) async throws {
        let clock = TestClock()
        let provider = FakeIdentityProvider(clock: clock)
        try await withTestApp(backend, options: Self.options(provider), clock: clock) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = try await app.signedIn(org.adminEmail)
            let page = try await admin.get("/admin/single-sign-on")
            #expect(page.status == .ok)
            #expect(page.text.contains("Example ID"))

            // Not without a break-glass admin.
            let refused = try await admin.post("/admin/single-sign-on", form: ["require_sso": "true", "break_glass_account_id": ""])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Choose a break-glass admin"))
            // Not a participant as break-glass.
            let notAdmin = try await admin.post(
                "/admin/single-sign-on", form: ["require_sso": "true", "break_glass_account_id": org.participant.accountID.uuidString])
            #expect(notAdmin.status == .unprocessableContent)

            let saved = try await admin.post(
                "/admin/single-sign-on", form: ["require_sso": "true", "break_glass_account_id": org.admin.accountID.uuidString])
            #expect(saved.status == .ok)
            #expect(saved.text.contains("Single sign-on is now required"))

            for email in [org.participantEmail, org.managerEmail] {
                let browser = app.browser()
                let answer = try await browser.post("/sign-in", form: ["email": email, "password": Seeds.password])
                #expect(answer.status == .forbidden)
                #expect(answer.text.contains("signs in with single sign-on, so passwords are turned off"))
                #expect(browser.cookies["mutual_session"] == nil)
            }
            // A wrong password is still just a wrong password (the rule is not revealed without it).
            let wrong = try await app.browser().post("/sign-in", form: ["email": org.participantEmail, "password": "not-the-password"])
            #expect(wrong.status == .unauthorized)
            // The break-glass admin still signs in with a password.
            #expect(try await app.browser().post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password]).status == .seeOther)
            // Everyone else signs in with the provider.
            let sso = app.browser()
            #expect(try await sso.get(try provider.authorize(try await Self.start(sso), email: org.participantEmail)).location == "/dashboard")

            try await app.store.runDueJobs()
            let audit = try await app.store.auditLog(AuditQuery(), of: org.admin).lines
            #expect(audit.contains { $0.type == EventType.organisationSettingsChanged.rawValue })

            // Turned off again: passwords work for everyone.
            #expect(try await admin.post("/admin/single-sign-on", form: ["require_sso": "false", "break_glass_account_id": ""]).status == .ok)
            #expect(try await app.browser().post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password]).status == .seeOther)
        }
    }

    @Test("Without MUTUAL_OIDC_ISSUER there is no button and /sign-in/oidc says single sign-on is not set up", arguments: [TestBackend.sqlite])
    func notConfigured(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            _ = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            #expect(!(try await browser.get("/sign-in")).text.contains("Sign in with"))
            let start = try await browser.get("/sign-in/oidc")
            #expect(start.status == .notFound)
            #expect(start.text.contains("Single sign-on is not set up on this server"))
        }
    }

    @Test("The issuer must be https, or http on a loopback address; the name defaults to the issuer's host")
    func configuration() async throws {
        let base = ["MUTUAL_OIDC_CLIENT_ID": "c", "MUTUAL_OIDC_CLIENT_SECRET": "s"]
        let https = try await AppConfiguration.load(flags: [:], environment: base.merging(["MUTUAL_OIDC_ISSUER": "https://login.example.org/"]) { $1 }, dotEnvPath: nil)
        #expect(https.singleSignOn?.issuer == "https://login.example.org")
        #expect(https.singleSignOn?.name == "login.example.org")
        let named = try await AppConfiguration.load(
            flags: [:], environment: base.merging(["MUTUAL_OIDC_ISSUER": "http://127.0.0.1:9400", "MUTUAL_OIDC_NAME": "Acme SSO"]) { $1 }, dotEnvPath: nil)
        #expect(named.singleSignOn?.name == "Acme SSO")
        #expect(try await AppConfiguration.load(flags: [:], environment: base.merging(["MUTUAL_OIDC_ISSUER": "http://localhost:9400"]) { $1 }, dotEnvPath: nil).singleSignOn != nil)
        do {
            _ = try await AppConfiguration.load(flags: [:], environment: base.merging(["MUTUAL_OIDC_ISSUER": "http://login.example.org"]) { $1 }, dotEnvPath: nil)
            Issue.record("an http issuer off this machine was accepted")
        } catch let error as ConfigurationError {
            #expect(error.message.contains("allowed only on this machine"))
        }
        await #expect(throws: ConfigurationError.self) {
            _ = try await AppConfiguration.load(flags: [:], environment: ["MUTUAL_OIDC_ISSUER": "https://login.example.org"], dotEnvPath: nil)
        }
        #expect(try await AppConfiguration.load(flags: [:], environment: [:], dotEnvPath: nil).singleSignOn == nil)
    }
}
