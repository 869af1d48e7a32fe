import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import MutualWeb
import Testing

@Suite("CSRF, rate limiting and roles")
struct SecurityTests {
    /// Every form route, with placeholders filled in.
    static func formRoutes(_ routes: [RouteRecord]) -> [RouteRecord] {
        // One-click unsubscribe (RFC 8058) is posted by mail clients without a session or a
        // CSRF token; its signed link is what authorises it (tested in EmailPreferenceWebTests).
        // SCIM takes a bearer token, never a form (SCIMProvisioningTests checks its refusals).
        routes.filter {
            $0.method == "POST" && !$0.path.hasPrefix("/api/") && !$0.path.hasPrefix("/email/unsubscribe/") && !$0.path.hasPrefix("/scim/")
        }
    }

    static func concrete(_ path: String) -> String {
        path.replacingOccurrences(of: ":id", with: UUID().uuidString).replacingOccurrences(of: ":token", with: "sometoken")
    }

    @Test("Every form post without the CSRF token, or with a wrong one, is refused before it acts", arguments: TestBackend.all)
    func csrfOnEveryForm(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            #expect(browser.cookies["mutual_session"] != nil)
            let forms = Self.formRoutes(app.routes)
            #expect(forms.count >= 8)
            for route in forms {
                let path = Self.concrete(route.path)
                let missing = try await browser.post(path, form: ["email": "x@acme.example", "role": "admin", "name": "x"], csrf: false)
                #expect(missing.status == .forbidden, "\(route.path) accepted a post without a CSRF token")
                let wrong = try await browser.post(path, form: ["csrf_token": "forged.0000", "email": "x@acme.example"], csrf: true)
                #expect(wrong.status == .forbidden, "\(route.path) accepted a forged CSRF token")
            }
            // Nothing happened: no invitation was created, the admin is still signed in.
            #expect(try await app.store.invitations(of: org.admin).allSatisfy { $0.email != "x@acme.example" })
            #expect(try await browser.get("/dashboard").status == .ok)
        }
    }

    @Test("A CSRF cookie signed with another secret is not trusted")
    func forgedCookieIsReplaced() async throws {
        try await withTestApp(.sqlite) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            browser.setCookie("mutual_csrf", "attacker-nonce.0123456789abcdef0123456789abcdef")
            let response = try await browser.post(
                "/sign-in", form: ["email": org.adminEmail, "password": Seeds.password, "csrf_token": "attacker-nonce.0123456789abcdef0123456789abcdef"],
                csrf: false)
            #expect(response.status == .forbidden)
        }
    }

    @Test("A CSRF cookie and token taken from another browser are refused with the victim's session")
    func csrfTokenIsBoundToTheSession() async throws {
        try await withTestApp(.sqlite) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            // The attacker signs in to their own account and keeps their CSRF cookie and token.
            let attacker = app.browser()
            _ = try await attacker.get("/sign-in")
            #expect(try await attacker.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password]).status == .seeOther)
            _ = try await attacker.get("/account/tokens")
            let stolen = try #require(attacker.csrfToken)

            let victim = app.browser()
            _ = try await victim.get("/sign-in")
            #expect(try await victim.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password]).status == .seeOther)
            _ = try await victim.get("/account/tokens")
            #expect(try await victim.post("/account/tokens", form: ["name": "mine"]).status == .ok, "the victim's own token works")
            victim.setCookie("mutual_csrf", stolen)
            let forged = try await victim.post("/account/tokens", form: ["name": "planted", "csrf_token": stolen], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await app.store.apiTokens(of: org.admin).map(\.name) == ["mine"])
        }
    }

    @Test("Failed sign-ins on an account are slowed with a 429 and Retry-After that point to the way out", arguments: TestBackend.all)
    func perAccountLimit(backend: TestBackend) async throws {
        let options = TestAppOptions(signInLimits: SignInLimits(perAccount: 3, perAddress: 50, window: 900))
        try await withTestApp(backend, options: options) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            for _ in 0..<3 {
                #expect(try await browser.post("/sign-in", form: ["email": org.adminEmail, "password": "wrong-password"]).status == .unauthorized)
            }
            let limited = try await browser.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "1")
            #expect(limited.text.contains("Too many failed sign-in attempts. Wait 1 second"))
            #expect(limited.text.contains("Forgot your password?") && limited.text.contains("unlocks it at once"))
            #expect(!limited.text.contains("ask your admin to reset your password"), "there was no such reset to ask for")
            #expect(browser.cookies["mutual_session"] == nil)
            // Another account is not affected by this account's failures.
            let other = app.browser()
            #expect(try await other.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password]).status == .seeOther)
            app.clock.advance(by: 1)
            #expect(try await browser.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password]).status == .seeOther)
        }
    }

    @Test("The emailed unlock link opens a page, and its button lets the owner sign in at once", arguments: TestBackend.all)
    func unlockThroughPages(backend: TestBackend) async throws {
        let options = TestAppOptions(signInLimits: SignInLimits(perAccount: 2, perAddress: 50, window: 900, lockThreshold: 3))
        try await withTestApp(backend, options: options) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            for _ in 0..<3 {
                app.clock.advance(by: 60)
                #expect(try await browser.post("/sign-in", form: ["email": org.managerEmail, "password": "wrong-password"]).status == .unauthorized)
            }
            #expect(try await browser.post("/sign-in", form: ["email": org.managerEmail, "password": Seeds.password]).status == .tooManyRequests)
            let token = try #require(try await app.store.emailedSecret(under: "/unlock/", to: org.managerEmail))
            #expect(try await app.store.outbox().contains { $0.body.contains("http://mutual.test/unlock/\(token)") })
            let page = try await browser.get("/unlock/\(token)")
            #expect(page.status == .ok && page.text.contains(org.managerEmail))
            #expect(try await browser.post("/sign-in", form: ["email": org.managerEmail, "password": Seeds.password]).status == .tooManyRequests, "opening the page unlocks nothing")
            let unlocked = try await browser.post("/unlock/\(token)")
            #expect(unlocked.location == "/sign-in?unlocked=done")
            #expect(try await browser.get("/sign-in?unlocked=done").text.contains("Your account is unlocked"))
            #expect(try await browser.post("/sign-in", form: ["email": org.managerEmail, "password": Seeds.password]).location == "/dashboard")
            #expect(try await app.browser().post("/unlock/\(token)").status == .gone)
        }
    }

    @Test("Failed sign-ins are limited per client address across accounts", arguments: TestBackend.all)
    func perAddressLimit(backend: TestBackend) async throws {
        let options = TestAppOptions(trustProxy: true, signInLimits: SignInLimits(perAccount: 100, perAddress: 4, window: 600))
        try await withTestApp(backend, options: options) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let attacker = app.browser()
            attacker.headers[.init("X-Forwarded-For")!] = "203.0.113.9"
            for index in 0..<4 {
                let response = try await attacker.post("/sign-in", form: ["email": "guess\(index)@acme.example", "password": "nope-nope-nope"])
                #expect(response.status == .unauthorized)
            }
            let limited = try await attacker.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 > 0)
            // The same account from another address still signs in.
            let colleague = app.browser()
            colleague.headers[.init("X-Forwarded-For")!] = "198.51.100.7"
            #expect(try await colleague.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password]).status == .seeOther)
        }
    }

    @Test("A participant is refused every admin page and every admin API route", arguments: TestBackend.all)
    func participantRefusedAdminRoutes(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            let token = try await app.store.createAPIToken(named: "t", for: org.participant).secret
            let guarded = app.routes.filter { $0.access == .member(.admin) || $0.access == .member(.programmeManager) }
            #expect(guarded.count >= 10)
            for route in guarded {
                let path = Self.concrete(route.path)
                let response: TestResponse
                if route.path.hasPrefix("/api/") {
                    response = try await app.client.executeRequest(
                        uri: path, method: HTTPRequest.Method(route.method)!,
                        headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                        body: ByteBuffer(string: "{\"role\":\"admin\",\"email\":\"x@acme.example\"}"))
                    #expect(response.headers[.contentType] == "application/problem+json")
                } else if route.method == "GET" {
                    response = try await browser.get(path)
                } else {
                    response = try await browser.post(path, form: ["email": "x@acme.example", "role": "admin"])
                }
                #expect(response.status == .forbidden, "\(route.method) \(route.path) answered \(response.status) to a participant")
            }
            #expect(try await app.store.invitations(of: org.admin).allSatisfy { $0.email != "x@acme.example" })
            #expect(try await app.store.member(id: org.participant.accountID, of: org.admin).role == .participant)
        }
    }

    @Test("Signed-out visitors are sent to sign-in from pages and get 401 from the API")
    func signedOutAccess() async throws {
        try await withTestApp(.sqlite) { app in
            _ = try await Seeds.organisation("Acme", in: app.store)
            for route in app.routes where route.access != .anyone {
                let path = Self.concrete(route.path)
                if route.path.hasPrefix("/api/") {
                    let response = try await app.client.executeRequest(uri: path, method: HTTPRequest.Method(route.method)!, headers: [:], body: nil)
                    #expect(response.status == .unauthorized, "\(route.path)")
                } else if route.method == "GET" {
                    let response = try await app.browser().get(path)
                    #expect(response.status == .seeOther, "\(route.path)")
                    #expect(response.location?.hasPrefix("/sign-in") == true)
                }
            }
        }
    }
}
