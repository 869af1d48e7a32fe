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

    @Test("HEAD on a feed answers like GET, with the same headers and no body; an unknown or rotated feed is 404", arguments: TestBackend.all)
    func headAnswersLikeGet(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (_, relationshipID) = try await ProgrammeSeeds.relationship(app.store, org)
            _ = try await app.store.scheduleMeetings(
                in: relationshipID, MeetingDraft(startsAt: app.clock.now.addingTimeInterval(86_400), durationMinutes: 45, place: "Room 4"), by: org.participant)
            let token = try await app.store.createAPIToken(named: "calendar", for: org.participant).secret
            let path = Self.path(try await Self.feedURL(app, token: token))

            let get = try await app.client.executeRequest(uri: path, method: .get, headers: [:], body: nil)
            let head = try await app.client.executeRequest(uri: path, method: .head, headers: [:], body: nil)
            #expect(get.status == .ok && head.status == .ok)
            #expect(get.text.contains("BEGIN:VEVENT"))
            #expect(head.body.readableBytes == 0, "HEAD has no body")
            for field: HTTPField.Name in [.contentType, .contentDisposition, .contentLength, .cacheControl] {
                #expect(head.headers[field] != nil && head.headers[field] == get.headers[field], "\(field)")
            }
            #expect(head.headers[.contentLength] == String(get.body.readableBytes))

            let unknown = try await app.client.executeRequest(uri: "/calendar/nope.ics", method: .head, headers: [:], body: nil)
            #expect(unknown.status == .notFound && unknown.body.readableBytes == 0)
            _ = try await app.callAPI(.post, "/api/v1/me/calendar/rotate", token: token)
            #expect(try await app.client.executeRequest(uri: path, method: .head, headers: [:], body: nil).status == .notFound)
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

    /// The unfolded content lines of the VEVENT whose UID starts with the meeting's id.
    static func event(_ calendar: String, meetingID: String) -> [String]? {
        let lines = calendar.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n")
        var current: [String] = []
        var inside = false
        for line in lines {
            if line == "BEGIN:VEVENT" {
                inside = true
                current = []
            } else if line == "END:VEVENT" {
                inside = false
                if current.contains("UID:\(meetingID.lowercased())@mutual.test") { return current }
            } else if inside {
                current.append(line)
            }
        }
        return nil
    }

    static func value(_ name: String, in event: [String]?) -> String? {
        event?.first { $0.hasPrefix(name + ":") }.map { String($0.dropFirst(name.count + 1)) }
    }

    @Test("The feed follows a meeting: same UID, SEQUENCE raised on reschedule, STATUS:CANCELLED on cancel; each member's feed has it", arguments: TestBackend.all)
    func feedFollowsChanges(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (_, relationship) = try await ProgrammeSeeds.relationship(app.store, org)
            let pia = try await app.store.createAPIToken(named: "p", for: org.participant).secret
            let max = try await app.store.createAPIToken(named: "m", for: org.manager).secret
            let (created, meeting) = try await app.callAPI(
                .post, "/api/v1/relationships/\(relationship)/meetings", token: pia,
                json: #"{"starts_at": "2026-12-08T09:00:00Z", "duration_minutes": 45, "place": "Room 4, 2nd floor", "agenda": "Goals; feedback"}"#)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(meeting["id"] as? String)
            let url = try await Self.feedURL(app, token: pia)
            let first = try await app.client.executeRequest(uri: Self.path(url), method: .get, headers: [:], body: nil).text
            let event = try #require(Self.event(first, meetingID: id))
            #expect(Self.value("SEQUENCE", in: event) == "0")
            #expect(Self.value("STATUS", in: event) == "CONFIRMED")
            #expect(Self.value("DTSTART", in: event) == "20261208T090000Z")
            #expect(Self.value("DTEND", in: event) == "20261208T094500Z")
            #expect(Self.value("LOCATION", in: event) == "Room 4\\, 2nd floor")
            #expect(Self.value("DESCRIPTION", in: event)?.hasPrefix("Goals\\; feedback") == true)
            #expect(Self.value("SUMMARY", in: event) == "Mutual: Max Manager & Pia Participant")
            #expect(Self.value("DTSTAMP", in: event) != nil)

            let (changed, _) = try await app.callAPI(.patch, "/api/v1/meetings/\(id)", token: pia, json: #"{"starts_at": "2026-12-09T10:30:00Z"}"#)
            #expect(changed.status == .ok, "\(changed.text)")
            let second = try await app.client.executeRequest(uri: Self.path(url), method: .get, headers: [:], body: nil).text
            let moved = try #require(Self.event(second, meetingID: id), "the same UID after a reschedule")
            #expect(Self.value("SEQUENCE", in: moved) == "1")
            #expect(Self.value("DTSTART", in: moved) == "20261209T103000Z")
            #expect(second.components(separatedBy: "BEGIN:VEVENT").count == 2, "still one event")

            let (cancelled, _) = try await app.callAPI(.post, "/api/v1/meetings/\(id)/cancel", token: max, json: #"{"note": "Off sick"}"#)
            #expect(cancelled.status == .ok, "\(cancelled.text)")
            let maxURL = try await Self.feedURL(app, token: max)
            for feedURL in [url, maxURL] {
                let third = try await app.client.executeRequest(uri: Self.path(feedURL), method: .get, headers: [:], body: nil).text
                let gone = try #require(Self.event(third, meetingID: id), "a cancelled meeting stays in the feed")
                #expect(Self.value("STATUS", in: gone) == "CANCELLED")
                #expect(Self.value("SEQUENCE", in: gone) == "2")
            }
            // Someone else in the organisation does not see it.
            let admin = try await app.store.createAPIToken(named: "a", for: org.admin).secret
            let adminFeed = try await app.client.executeRequest(uri: Self.path(try await Self.feedURL(app, token: admin)), method: .get, headers: [:], body: nil)
            #expect(!adminFeed.text.contains("BEGIN:VEVENT"))
        }
    }

    @Test("The feed reaches from 90 days back to a year ahead, by the server's clock", arguments: TestBackend.all)
    func feedWindow(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (_, relationship) = try await ProgrammeSeeds.relationship(app.store, org)
            let now = app.clock.now
            var ids: [UUID] = []
            for days in [-80.0, -50, 300, 380] {
                let draft = MeetingDraft(startsAt: now.addingTimeInterval(days * 86_400), durationMinutes: 30)
                ids.append(try #require(try await app.store.scheduleMeetings(in: relationship, draft, by: org.participant).first).id)
            }
            let url = try await app.store.calendarFeedURL(of: org.participant)
            func shown() async throws -> [Bool] {
                let feed = try await app.client.executeRequest(uri: Self.path(url), method: .get, headers: [:], body: nil).text
                return ids.map { Self.event(feed, meetingID: $0.uuidString) != nil }
            }
            #expect(try await shown() == [true, true, true, false])
            app.clock.advance(by: 20 * 86_400)
            #expect(try await shown() == [false, true, true, true], "20 days later: the oldest is past 90 days, the farthest within a year")
        }
    }

    @Test("Scheduling, rescheduling and cancelling email each member an invitation with the .ics: REQUEST, REQUEST, CANCEL", arguments: TestBackend.all)
    func invitationEmails(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (_, relationship) = try await ProgrammeSeeds.relationship(app.store, org)
            /// The calendar files emailed to each member so far, oldest first, once `count` have
            /// arrived (the app's own worker may be running the jobs, so this waits up to 10 s).
            /// The test's clock stands still, so every message has the same `createdAt`; the order
            /// is the step at which each message was first seen (each step waits for its mail).
            let firstSeen = OrderBox()
            func calendarFiles(_ count: Int) async throws -> [String: [OutboxMessage]] {
                let deadline = ContinuousClock.now + .seconds(10)
                while true {
                    try await app.store.runDueJobs()
                    let messages = try await OutboxMessage.query(on: app.store.database.database()).all()
                        .filter { !$0.attachments.isEmpty }
                        .sorted { firstSeen.order(of: $0.id!) < firstSeen.order(of: $1.id!) }
                    let byRecipient = Dictionary(grouping: messages, by: \.recipient)
                    if [org.participantEmail, org.managerEmail].allSatisfy({ byRecipient[$0]?.count ?? 0 >= count }) || ContinuousClock.now > deadline {
                        return byRecipient
                    }
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            let draft = MeetingDraft(startsAt: Date(timeIntervalSince1970: 1_796_720_400), durationMinutes: 45, place: "https://meet.example.com/x", agenda: "Goals")
            let meeting = try #require(try await app.store.scheduleMeetings(in: relationship, draft, by: org.participant).first)
            _ = try await calendarFiles(1)
            _ = try await app.store.changeMeeting(id: meeting.id, MeetingChange(startsAt: meeting.startsAt.addingTimeInterval(3_600)), by: org.manager)
            _ = try await calendarFiles(2)
            _ = try await app.store.cancelMeeting(id: meeting.id, note: "Off sick", by: org.manager)
            let sent = try await calendarFiles(3)
            for email in [org.participantEmail, org.managerEmail] {
                let mine = sent[email] ?? []
                let files = mine.flatMap(\.attachments)
                #expect(files.map(\.contentType) == [
                    "text/calendar; method=REQUEST; charset=utf-8", "text/calendar; method=REQUEST; charset=utf-8",
                    "text/calendar; method=CANCEL; charset=utf-8",
                ], "\(email)")
                // Unfolded (the attendee lines are longer than 75 octets); the names are ASCII.
                let texts = files.map { String(decoding: $0.content, as: UTF8.self).replacingOccurrences(of: "\r\n ", with: "") }
                #expect(texts.map { $0.contains("METHOD:CANCEL") } == [false, false, true])
                for (sequence, text) in texts.enumerated() { #expect(text.contains("SEQUENCE:\(sequence)\r\n")) }
                #expect(texts.allSatisfy { $0.contains("UID:\(meeting.id.uuidString.lowercased())@mutual.test") })
                #expect(texts.allSatisfy { $0.contains("ATTENDEE;CN=Pia Participant") && $0.contains("ATTENDEE;CN=Max Manager") && $0.contains("mailto:\(email)") })
                #expect(mine.first?.subject.hasPrefix("Meeting with") == true)
                #expect(mine.last?.subject.hasPrefix("Cancelled:") == true)
            }
        }
    }
}


/// The order in which the calendar test first saw each outbox message.
private final class OrderBox: @unchecked Sendable {
    private var orders: [UUID: Int] = [:]

    func order(of id: UUID) -> Int {
        if let known = orders[id] { return known }
        orders[id] = orders.count
        return orders.count - 1
    }
}
