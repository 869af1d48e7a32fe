import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

@Suite("Calendar feeds over the web")
struct CalendarFeedWebTests {
    /// The path of an absolute feed URL on the test server.
    static func path(_ url: String) -> String {
        String(url.dropFirst("http://mutual.test".count))
    }

    static func feedURL(_ app: TestApp, token: String) async throws -> String {
        let (response, body) = try await app.callAPI(.get, "/api/v1/me/calendar", token: token)
        #expect(response.status == .ok)
        return try #require(body["url"] as? String)
    }

    @Test("GET /api/v1/me/calendar gives an absolute, stable URL whose feed is text/calendar; rotating retires it (404)", arguments: TestBackend.all)
    func urlAndRotation(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "calendar", for: org.participant).secret
            let url = try await Self.feedURL(app, token: token)
            #expect(url.hasPrefix("http://mutual.test/calendar/") && url.hasSuffix(".ics"), "\(url)")
            #expect(try await Self.feedURL(app, token: token) == url, "asking again gives the same URL")
            let secret = String(Self.path(url).dropFirst("/calendar/".count).dropLast(4))
            #expect(secret.count >= 43, "256 bits of randomness")

            let feed = try await app.client.executeRequest(uri: Self.path(url), method: .get, headers: [:], body: nil)
            #expect(feed.status == .ok)
            #expect(feed.headers[.contentType] == "text/calendar; charset=utf-8")
            #expect(feed.text.hasPrefix("BEGIN:VCALENDAR\r\nPRODID:") && feed.text.hasSuffix("END:VCALENDAR\r\n"))

            // Only the digest is looked up: the row holds no secret in the clear.
            let row = try #require(try await CalendarFeed.query(on: app.store.database.database()).first())
            #expect(row.tokenDigest == SecretTokens.digest(secret) && !row.sealedToken.contains(secret))

            let (rotated, body) = try await app.callAPI(.post, "/api/v1/me/calendar/rotate", token: token)
            #expect(rotated.status == .ok)
            let newURL = try #require(body["url"] as? String)
            #expect(newURL != url && newURL.hasPrefix("http://mutual.test/calendar/"))
            let old = try await app.client.executeRequest(uri: Self.path(url), method: .get, headers: [:], body: nil)
            #expect(old.status == .notFound && old.text.contains("replaced with a new one"))
            #expect(try await app.client.executeRequest(uri: Self.path(newURL), method: .get, headers: [:], body: nil).status == .ok)
            #expect(try await Self.feedURL(app, token: token) == newURL)

            for unknown in ["/calendar/nope.ics", "/calendar/\(secret)", Self.path(newURL).replacingOccurrences(of: ".ics", with: ".ical")] {
                #expect(try await app.client.executeRequest(uri: unknown, method: .get, headers: [:], body: nil).status == .notFound, "\(unknown)")
            }
        }
    }

    @Test("50 parallel rotations leave exactly one working URL, the one the API then gives", arguments: TestBackend.all)
    func parallelRotations(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "calendar", for: org.participant).secret
            let urls = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let (response, body) = try await app.callAPI(.post, "/api/v1/me/calendar/rotate", token: token)
                        return response.status == .ok ? body["url"] as? String : nil
                    }
                }
                var urls: [String?] = []
                for try await url in group { urls.append(url) }
                return urls
            }
            #expect(urls.allSatisfy { $0 != nil }, "every rotation succeeded")
            #expect(Set(urls.compactMap { $0 }).count == 50, "each rotation made its own URL")
            var working: [String] = []
            for case let url? in urls {
                let answer = try await app.client.executeRequest(uri: Self.path(url), method: .get, headers: [:], body: nil)
                if answer.status == .ok { working.append(url) } else { #expect(answer.status == .notFound) }
            }
            #expect(working.count == 1)
            #expect(try await Self.feedURL(app, token: token) == working.first)
            #expect(try await CalendarFeed.query(on: app.store.database.database()).count() == 1)
        }
    }

    @Test("50 parallel first requests make one feed: every answer is the same URL", arguments: TestBackend.all)
    func parallelFirstRequests(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "calendar", for: org.participant).secret
            let urls = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<50 {
                    group.addTask { try await app.callAPI(.get, "/api/v1/me/calendar", token: token).1["url"] as? String }
                }
                var urls: Set<String?> = []
                for try await url in group { urls.insert(url) }
                return urls
            }
            #expect(urls.count == 1 && urls.first! != nil)
            #expect(try await CalendarFeed.query(on: app.store.database.database()).count() == 1)
        }
    }

    @Test("The profile's calendar page shows the URL with instructions for Google, Outlook and Apple, and its button replaces it", arguments: TestBackend.all)
    func page(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            #expect(try await browser.get("/people/\(org.participant.personID)").text.contains("href=\"/profile/calendar\""))
            let page = try await browser.get("/profile/calendar")
            #expect(page.status == .ok)
            let url = try await app.store.calendarFeedURL(of: org.participant)
            for words in [url, "Google Calendar", "Outlook", "Apple Calendar", "webcal://mutual.test/calendar/", "Keep it private"] {
                #expect(page.text.contains(words), "\(words)")
            }
            let rotated = try await browser.post("/profile/calendar/rotate")
            #expect(rotated.status == .ok && rotated.text.contains("The old one no longer works"))
            let newURL = try await app.store.calendarFeedURL(of: org.participant)
            #expect(newURL != url && rotated.text.contains(newURL))
            #expect(try await app.client.executeRequest(uri: Self.path(url), method: .get, headers: [:], body: nil).status == .notFound)
            #expect(try await browser.post("/profile/calendar/rotate", csrf: false).status == .forbidden)
            #expect(try await app.store.calendarFeedURL(of: org.participant) == newURL, "a post without the CSRF token changed nothing")
        }
    }

    @Test("People in different organisations get different feeds, and a removed member's feed answers 404", arguments: TestBackend.all)
    func feedsBelongToTheirPerson(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let acme = try await Seeds.organisation("Acme", in: app.store)
            let globex = try await Seeds.organisation("Globex", in: app.store)
            let acmeURL = try await app.store.calendarFeedURL(of: acme.participant)
            let globexURL = try await app.store.calendarFeedURL(of: globex.participant)
            #expect(acmeURL != globexURL)
            #expect(try await app.client.executeRequest(uri: Self.path(acmeURL), method: .get, headers: [:], body: nil).status == .ok)
            try await Account.query(on: app.store.database.database()).filter(\.$id == acme.participant.accountID).delete()
            #expect(try await app.client.executeRequest(uri: Self.path(acmeURL), method: .get, headers: [:], body: nil).status == .notFound)
            #expect(try await app.client.executeRequest(uri: Self.path(globexURL), method: .get, headers: [:], body: nil).status == .ok)
        }
    }
}
