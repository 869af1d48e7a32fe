import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

@Suite("Setup, sign-in and sign-out pages")
struct SessionPagesTests {
    @Test("An empty installation leads to setup, which creates the organisation and signs the admin in", arguments: TestBackend.all)
    func firstRunSetup(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let browser = app.browser()
            let root = try await browser.get("/")
            #expect(root.status == .seeOther)
            #expect(root.location == "/setup")
            let page = try await browser.get("/setup")
            #expect(page.status == .ok)
            #expect(page.text.contains("name=\"organisation_name\""))

            let created = try await browser.post(
                "/setup", form: ["organisation_name": "Acme", "name": "Ada Admin", "email": "ada@acme.example", "password": Seeds.password])
            #expect(created.status == .seeOther)
            #expect(created.location == "/dashboard")
            let dashboard = try await browser.get("/dashboard")
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.contains("Welcome, Ada"))

            // Setup is closed from now on, for everyone.
            let stranger = app.browser()
            #expect(try await stranger.get("/setup").location == "/")
            let again = try await stranger.post(
                "/setup", form: ["organisation_name": "Evil", "name": "Eve", "email": "eve@evil.example", "password": Seeds.password])
            #expect(again.location == "/")
            await #expect(throws: StoreError.wrongCredentials) {
                _ = try await app.store.signIn(email: "eve@evil.example", password: Seeds.password, clientAddress: nil)
            }
        }
    }

    @Test("Setup shows what was wrong and keeps what was typed", arguments: TestBackend.all)
    func setupValidation(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let browser = app.browser()
            let response = try await browser.post(
                "/setup", form: ["organisation_name": "Acme", "name": "Ada", "email": "not-an-email", "password": Seeds.password])
            #expect(response.status == .unprocessableContent)
            #expect(response.text.contains("role=\"alert\""))
            #expect(response.text.contains("name@example.org"))
            #expect(response.text.contains("value=\"Acme\""))
            #expect(try await app.store.isSetUp() == false)
        }
    }

    @Test("A wrong password is refused with a message, the right one signs in, sign-out ends the session", arguments: TestBackend.all)
    func signInAndOut(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            #expect(try await browser.get("/dashboard").location == "/sign-in?next=/dashboard")
            let wrong = try await browser.post("/sign-in", form: ["email": org.adminEmail, "password": "not-the-password"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("do not match an account"))
            #expect(browser.cookies["mutual_session"] == nil)

            let right = try await browser.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password, "next": "/admin/members"])
            #expect(right.status == .seeOther)
            #expect(right.location == "/admin/members")
            let session = try #require(browser.cookies["mutual_session"])
            #expect(try await browser.get("/dashboard").status == .ok)

            let out = try await browser.post("/sign-out")
            #expect(out.location == "/sign-in")
            #expect(browser.cookies["mutual_session"] == nil)
            #expect(try await app.store.identity(forSessionToken: session) == nil, "the session must be gone from the database")
            // Replaying the old cookie does not work either.
            browser.setCookie("mutual_session", session)
            #expect(try await browser.get("/dashboard").location == "/sign-in?next=/dashboard")
        }
    }

    @Test("Sign-in never redirects to another site", arguments: ["https://evil.example/", "//evil.example", "/\\evil.example"])
    func openRedirectIsRefused(next: String) async throws {
        try await withTestApp(.sqlite) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            let response = try await browser.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password, "next": next])
            #expect(response.location == "/dashboard")
        }
    }

    @Test("Session cookies are HttpOnly and SameSite=Lax, and Secure when the base URL is https", arguments: [false, true])
    func cookieAttributes(https: Bool) async throws {
        let options = TestAppOptions(baseURL: https ? "https://mentoring.example.org" : "http://mutual.test")
        try await withTestApp(.sqlite, options: options) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            let response = try await browser.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            let session = try #require(Self.setCookie("mutual_session", in: response))
            #expect(session.contains("HttpOnly"))
            #expect(session.contains("SameSite=Lax"))
            #expect(session.contains("Secure") == https)
            let csrf = Self.setCookie("mutual_csrf", in: try await app.browser().get("/sign-in"))
            #expect(try #require(csrf).contains("Secure") == https)
        }
    }

    /// The `Set-Cookie` header that sets `name`, if any.
    static func setCookie(_ name: String, in response: TestResponse) -> String? {
        for header in response.headers[values: .setCookie] where header.hasPrefix(name + "=") {
            return header
        }
        return nil
    }
}
