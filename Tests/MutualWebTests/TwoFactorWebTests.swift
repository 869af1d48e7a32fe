import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// Two-factor sign-in through the pages, as a browser sees it: setting it up, the second step
/// of signing in, recovery codes, and an organisation that requires it of its admins.
@Suite("Two-factor sign-in pages")
struct TwoFactorWebTests {
    /// The text between `start` and the next `end` in `text`.
    static func between(_ text: String, _ start: String, _ end: String) -> String? {
        guard let from = text.range(of: start), let to = text.range(of: end, range: from.upperBound..<text.endIndex) else { return nil }
        return String(text[from.upperBound..<to.lowerBound])
    }

    /// Signs in with the password, opens the set-up page, types a code computed from the secret
    /// it shows; returns the key and the recovery codes shown.
    static func enrolThroughPages(_ browser: BrowserSession, app: TestApp) async throws -> (key: [UInt8], recoveryCodes: [String]) {
        let page = try await browser.get("/account/two-factor")
        #expect(page.status == .ok)
        let secret = try #require(between(page.text, "id=\"totp-secret\">", "<"))
        let key = try #require(ReferenceTOTP.base32Decode(secret))
        #expect(page.text.contains("otpauth://totp/Mutual:"))
        #expect(page.text.contains("secret=\(secret)&amp;issuer=Mutual") || page.text.contains("secret=\(secret)&issuer=Mutual"))
        let enabled = try await browser.post(
            "/account/two-factor/enable", form: ["password": Seeds.password, "code": ReferenceTOTP.code(key: key, at: app.clock.now)])
        #expect(enabled.status == .ok)
        let list = try #require(between(enabled.text, "id=\"recovery-codes\">", "</ul>"))
        let codes = list.components(separatedBy: "<code>").dropFirst().compactMap { $0.components(separatedBy: "</code>").first }
        #expect(codes.count == 10)
        return (key, codes)
    }

    @Test("Full sign-in: password, then the code page (no session yet), then a code from the app", arguments: TestBackend.all)
    func fullFlow(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            let (key, recoveryCodes) = try await Self.enrolThroughPages(browser, app: app)
            // Shown once: the page afterwards lists no codes.
            #expect(!(try await browser.get("/account/two-factor")).text.contains(recoveryCodes[0]))
            try await browser.post("/sign-out")

            let password = try await browser.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password, "next": "/programmes"])
            #expect(password.status == .seeOther)
            #expect(password.location == "/sign-in/code?next=%2Fprogrammes")
            #expect(browser.cookies["mutual_session"] == nil, "no session before the code")
            #expect(browser.cookies["mutual_pending_sign_in"] != nil)
            #expect(try await browser.get("/dashboard").location?.hasPrefix("/sign-in") == true)
            let codePage = try await browser.get(try #require(password.location))
            #expect(codePage.status == .ok)
            #expect(codePage.text.contains("Enter the 6-digit code from your authenticator app, or a recovery code"))

            app.clock.advance(by: 30)
            let wrong = try await browser.post("/sign-in/code", form: ["code": "12345", "next": "/programmes"])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("That code is not right"))
            let right = try await browser.post("/sign-in/code", form: ["code": ReferenceTOTP.code(key: key, at: app.clock.now), "next": "/programmes"])
            #expect(right.status == .seeOther)
            #expect(right.location == "/programmes")
            #expect(browser.cookies["mutual_session"] != nil)
            #expect(browser.cookies["mutual_pending_sign_in"] == nil)
            #expect(try await browser.get("/dashboard").status == .ok)

            // A recovery code works once, in a new browser.
            let other = app.browser()
            try await other.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            #expect(try await other.post("/sign-in/code", form: ["code": recoveryCodes[0]]).location == "/dashboard")
            let again = app.browser()
            try await again.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            #expect(try await again.post("/sign-in/code", form: ["code": recoveryCodes[0]]).status == .unprocessableContent)
        }
    }

    @Test("Accepting an invitation with the password of a login that has two-factor sign-in asks for the code before any session", arguments: TestBackend.all)
    func invitationNeedsCode(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let a = try await Seeds.organisation("Acme", in: app.store)
            let b = try await Seeds.organisation("Bolt", in: app.store)
            let owner = app.browser()
            try await owner.post("/sign-in", form: ["email": a.participantEmail, "password": Seeds.password])
            let (key, _) = try await Self.enrolThroughPages(owner, app: app)
            // Someone who knows the password and gets hold of an invitation for the address.
            let issued = try await app.store.invite(email: a.participantEmail, role: .participant, by: b.admin) { "http://mutual.test/invitations/\($0)" }
            let browser = app.browser()
            let accepted = try await browser.post("/invitations/\(issued.token)", form: ["name": "Acme Participant", "password": Seeds.password])
            #expect(accepted.status == .seeOther)
            #expect(accepted.location == "/sign-in/code?next=%2Fdashboard")
            #expect(browser.cookies["mutual_session"] == nil)
            #expect(try await browser.get("/organisations").location?.hasPrefix("/sign-in") == true)
            app.clock.advance(by: 30)
            let code = try await browser.post("/sign-in/code", form: ["code": ReferenceTOTP.code(key: key, at: app.clock.now), "next": "/dashboard"])
            #expect(code.location == "/organisations?next=%2Fdashboard")
            #expect(browser.cookies["mutual_session"] != nil)
        }
    }

    @Test("The code step expires after five minutes and sends the person back to the password", arguments: TestBackend.all)
    func pendingExpires(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.managerEmail, "password": Seeds.password])
            let (key, _) = try await Self.enrolThroughPages(browser, app: app)
            try await browser.post("/sign-out")
            try await browser.post("/sign-in", form: ["email": org.managerEmail, "password": Seeds.password])
            app.clock.advance(by: 5 * 60 + 1)
            let late = try await browser.post("/sign-in/code", form: ["code": ReferenceTOTP.code(key: key, at: app.clock.now)])
            #expect(late.status == .gone)
            #expect(late.text.contains("Sign in again with your email and password"))
            #expect(browser.cookies["mutual_session"] == nil)
            #expect(try await browser.get("/sign-in/code").location == "/sign-in")
            // A made-up pending cookie is no better.
            let forged = app.browser()
            forged.setCookie("mutual_pending_sign_in", "forged")
            #expect(try await forged.post("/sign-in/code", form: ["code": ReferenceTOTP.code(key: key, at: app.clock.now)]).status == .gone)
        }
    }

    @Test("Turning two-factor off needs the password and a current code or a recovery code", arguments: TestBackend.all)
    func disable(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            let (_, codes) = try await Self.enrolThroughPages(browser, app: app)
            #expect(try await browser.post("/account/two-factor/disable", form: ["password": Seeds.password, "code": "000000"]).status == .unprocessableContent)
            #expect(try await app.store.twoFactorEnabled(loginID: org.participant.loginID))
            let regenerated = try await browser.post("/account/two-factor/recovery-codes", form: ["password": Seeds.password, "code": codes[0]])
            #expect(regenerated.status == .ok && regenerated.text.contains("id=\"recovery-codes\""))
            let off = try await browser.post("/account/two-factor/disable", form: ["password": Seeds.password, "code": codes[1]])
            #expect(off.status == .unprocessableContent, "codes from before regenerating no longer work")
            let fresh = try #require(Self.between(regenerated.text, "id=\"recovery-codes\">", "</ul>")?.components(separatedBy: "<code>").dropFirst().first?
                .components(separatedBy: "</code>").first)
            #expect(try await browser.post("/account/two-factor/disable", form: ["password": Seeds.password, "code": fresh]).status == .ok)
            #expect(try await !app.store.twoFactorEnabled(loginID: org.participant.loginID))
        }
    }

    @Test("A signed-in session without the password cannot turn two-factor on, off or make new recovery codes", arguments: TestBackend.all)
    func changesNeedThePassword(backend: TestBackend) async throws {
        // Limits high enough that every refusal here is the missing or wrong password, not a wait.
        let options = TestAppOptions(signInLimits: SignInLimits(perAccount: 100, perAddress: 100))
        try await withTestApp(backend, options: options) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            let setUp = try await browser.get("/account/two-factor")
            #expect(setUp.text.contains("<label for=\"enable-password\">Your current password</label>"))
            #expect(setUp.text.contains("<input id=\"enable-password\" name=\"password\" type=\"password\" required autocomplete=\"current-password\">"))
            let secret = try #require(Self.between(setUp.text, "id=\"totp-secret\">", "<"))
            let key = try #require(ReferenceTOTP.base32Decode(secret))
            let code = ReferenceTOTP.code(key: key, at: app.clock.now)
            for form in [["code": code], ["password": "wrong-password", "code": code]] {
                let refused = try await browser.post("/account/two-factor/enable", form: form)
                #expect(refused.status == .unprocessableContent)
                #expect(refused.text.contains("That is not your current password") && refused.text.contains("“Your current password”"))
                #expect(!refused.text.contains("id=\"recovery-codes\""))
            }
            #expect(try await !app.store.twoFactorEnabled(loginID: org.participant.loginID))
            let (key2, codes) = try await Self.enrolThroughPages(browser, app: app)
            #expect(key2 == key)

            let page = try await browser.get("/account/two-factor")
            for id in ["regenerate-password", "disable-password"] {
                #expect(page.text.contains("<label for=\"\(id)\">Your current password</label>"), "\(id)")
                #expect(page.text.contains("<input id=\"\(id)\" name=\"password\" type=\"password\" required autocomplete=\"current-password\">"), "\(id)")
            }
            app.clock.advance(by: 30)
            let current = ReferenceTOTP.code(key: key, at: app.clock.now)
            for path in ["/account/two-factor/recovery-codes", "/account/two-factor/disable"] {
                for form in [["code": codes[0]], ["password": "", "code": current]] {
                    let refused = try await browser.post(path, form: form)
                    #expect(refused.status == .unprocessableContent, "\(path)")
                    #expect(refused.text.contains("That is not your current password"), "\(path)")
                }
            }
            #expect(try await app.store.twoFactorEnabled(loginID: org.participant.loginID))
            #expect(try await app.store.twoFactorStatus(of: org.participant).recoveryCodesLeft == 10)
            let regenerated = try await browser.post("/account/two-factor/recovery-codes", form: ["password": Seeds.password, "code": codes[0]])
            #expect(regenerated.status == .ok && regenerated.text.contains("id=\"recovery-codes\""))
            #expect(try await browser.post("/account/two-factor/disable", form: ["password": Seeds.password, "code": current]).status == .ok)
            #expect(try await !app.store.twoFactorEnabled(loginID: org.participant.loginID))
        }
    }

    @Test("Wrong passwords on the two-factor forms count against the sign-in limits: 429 with Retry-After", arguments: TestBackend.all)
    func wrongPasswordsAreLimited(backend: TestBackend) async throws {
        let options = TestAppOptions(signInLimits: SignInLimits(perAccount: 3, perAddress: 50, window: 900))
        try await withTestApp(backend, options: options) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            let (key, _) = try await Self.enrolThroughPages(browser, app: app)
            app.clock.advance(by: 30)
            for guess in 0..<3 {
                let wrong = try await browser.post("/account/two-factor/disable", form: ["password": "guess-\(guess)", "code": ReferenceTOTP.code(key: key, at: app.clock.now)])
                #expect(wrong.status == .unprocessableContent)
            }
            let limited = try await browser.post("/account/two-factor/disable", form: ["password": Seeds.password, "code": ReferenceTOTP.code(key: key, at: app.clock.now)])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "1")
            #expect(try await app.store.twoFactorEnabled(loginID: org.participant.loginID))
            // The same count as signing in: another browser's sign-in waits too.
            let other = app.browser()
            #expect(try await other.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password]).status == .tooManyRequests)
            app.clock.advance(by: 1)
            let off = try await browser.post("/account/two-factor/disable", form: ["password": Seeds.password, "code": ReferenceTOTP.code(key: key, at: app.clock.now)])
            #expect(off.status == .ok)
            #expect(try await !app.store.twoFactorEnabled(loginID: org.participant.loginID))
        }
    }

    @Test("An organisation that requires it sends an un-enrolled admin to set it up, not a participant; bearer tokens still work", arguments: TestBackend.all)
    func adminRequirement(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let issued = try await app.store.invite(email: "second@acme.example", role: .admin, by: org.admin) { "http://mutual.test/invitations/\($0)" }
            let second = try await app.store.identity(
                for: try await app.store.acceptInvitation(token: issued.token, name: "Second Admin", password: Seeds.password))
            let apiToken = try await app.store.createAPIToken(named: "script", for: second).secret

            // The first admin cannot require it before having it.
            let admin = app.browser()
            try await admin.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            let refused = try await admin.post("/admin/sign-in-security", form: ["require_admin_two_factor": "true"])
            #expect(refused.status == .conflict)
            #expect(try await !app.store.adminTwoFactorRequired(organisationID: org.admin.organisationID))
            _ = try await Self.enrolThroughPages(admin, app: app)
            #expect(try await admin.post("/admin/sign-in-security", form: ["require_admin_two_factor": "true"]).status == .ok)
            #expect(try await app.store.adminTwoFactorRequired(organisationID: org.admin.organisationID))

            // The second admin signs in and lands on the set-up page; admin and manager pages send them there.
            let browser = app.browser()
            let signedIn = try await browser.post("/sign-in", form: ["email": "second@acme.example", "password": Seeds.password])
            #expect(signedIn.location == "/account/two-factor")
            let page = try await browser.get("/account/two-factor")
            #expect(page.text.contains("Your organisation requires admins to use two-factor sign-in"))
            // Every signed-in page but the set-up and the organisation chooser, participants' pages
            // too (the tokens page would otherwise make an admin token past the requirement).
            let staffPages = app.routes.filter {
                $0.method == "GET" && !$0.path.hasPrefix("/api/") && !$0.path.contains(":") && $0.access != .anyone
                    && !$0.path.hasPrefix("/account/two-factor") && !$0.path.hasPrefix("/organisations")
            }
            #expect(staffPages.count >= 5)
            #expect(staffPages.contains { $0.path == "/account/tokens" } && staffPages.contains { $0.path == "/dashboard" })
            for route in staffPages {
                let response = try await browser.get(route.path)
                #expect(response.status == .seeOther && response.location == "/account/two-factor", "\(route.path)")
            }
            let post = try await browser.post("/admin/members/invite", form: ["email": "x@acme.example", "role": "participant"])
            #expect(post.status == .forbidden)
            let token = try await browser.post("/account/tokens", form: ["name": "sneaky", "scope": "admin", "expires_in": "never"])
            #expect(token.status == .forbidden, "no admin token past the requirement")
            // The API with a bearer token is a separate credential and is not gated.
            let api = try await app.client.executeRequest(
                uri: "/api/v1/invitations", method: .get, headers: [.authorization: "Bearer \(apiToken)"], body: nil)
            #expect(api.status == .ok)

            // A participant and a manager are not affected.
            let participant = app.browser()
            #expect(try await participant.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password]).location == "/dashboard")
            #expect(try await participant.get("/admin/members").status == .forbidden)
            let manager = app.browser()
            try await manager.post("/sign-in", form: ["email": org.managerEmail, "password": Seeds.password])
            #expect(try await manager.get("/skills/map").status == .ok)

            // Once enrolled, the second admin's admin pages open.
            _ = try await Self.enrolThroughPages(browser, app: app)
            #expect(try await browser.get("/admin/members").status == .ok)
        }
    }
}
