import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// The visible defects and dead ends people met on the pages (issue 19): empty message bars,
/// wrong articles, a wrong upload limit, wrong line numbers, links to pages that do not exist
/// yet, an error page without navigation, boxes shown before there is anything in them.
@Suite("Pages as people meet them")
struct PageDefectsTests {

    // MARK: Message bars

    @Test("No page shows an empty message bar, a link with an empty id or a link to a 404, for any role", arguments: TestBackend.all)
    func noEmptyMessageBars(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (programme, relationship) = try await ProgrammeSeeds.relationship(app.store, org)
            let meeting = try #require(
                try await app.store.scheduleMeetings(
                    in: relationship, MeetingDraft(startsAt: app.clock.now.addingTimeInterval(3 * 86_400), durationMinutes: 30), by: org.participant
                ).first)
            let run = try #require(try await app.store.matchRuns(of: programme.id, by: org.manager).first)
            func id(for path: String) -> UUID? {
                if path.hasPrefix("/meetings/") { return meeting.id }
                if path.hasPrefix("/people/") { return org.participant.personID }
                if path.hasPrefix("/programmes/") { return programme.id }
                if path.hasPrefix("/relationships/") { return relationship }
                if path.hasPrefix("/runs/") { return run.id }
                return nil
            }
            let pages = app.routes.filter {
                $0.method == "GET" && !$0.path.hasPrefix("/api/") && !$0.path.hasPrefix("/scim/") && !$0.path.hasSuffix(".csv") && !$0.path.hasSuffix(".css")
                    && !["/healthz", "/readyz", "/metrics"].contains($0.path)
            }
            var visited = 0
            var linksFollowed = 0
            for email in [org.adminEmail, org.managerEmail, org.participantEmail] {
                let browser = try await app.signedIn(email)
                // Every link a page shows this person, and the first page that showed it.
                var links: [String: String] = [:]
                for route in pages {
                    var path = route.path
                    if path.contains(":id") {
                        guard let id = id(for: path) else { continue }
                        path = path.replacingOccurrences(of: ":id", with: id.uuidString)
                    }
                    if path.contains(":") { continue }  // secret links (invitations, resets) have pages of their own tests
                    let response = try await browser.get(path)
                    guard response.headers[.contentType]?.hasPrefix("text/html") == true else { continue }
                    visited += 1
                    #expect(Self.emptyMessageBars(in: response.text).isEmpty, "\(email) \(path) shows an empty message bar: \(Self.emptyMessageBars(in: response.text))")
                    #expect(Self.linksWithEmptyID(in: response.text).isEmpty, "\(email) \(path) links to \(Self.linksWithEmptyID(in: response.text))")
                    for link in Self.internalLinks(in: response.text) where links[link] == nil { links[link] = path }
                }
                // No dead ends: each link leads somewhere for the person it is shown to.
                for (link, page) in links.sorted(by: { $0.key < $1.key }) {
                    let status = try await browser.get(link).status
                    linksFollowed += 1
                    #expect(status != .notFound && status.code < 500, "\(email): \(page) links to \(link), which answers \(status.code)")
                }
            }
            #expect(visited >= 60)
            #expect(linksFollowed >= 60, "only \(linksFollowed) links followed")
            // Signed out too: the sign-in, setup and forgotten-password pages.
            for path in ["/sign-in", "/forgot-password", "/setup"] {
                let response = try await app.browser().get(path)
                #expect(Self.emptyMessageBars(in: response.text).isEmpty, "\(path) shows an empty message bar")
            }
        }
    }

    @Test("The stylesheet hides a message bar that has nothing in it", arguments: [TestBackend.sqlite])
    func emptyBarsAreHidden(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let css = try await app.browser().get("/static/app.css").text
            #expect(css.contains(".notice:empty, .error:empty { display: none; }"))
        }
    }

    /// The site's own links on a page (`href="/…"`), without their fragment; static files and
    /// sign-out (a form, not a link) left out.
    static func internalLinks(in html: String) -> Set<String> {
        let href = try! NSRegularExpression(pattern: ##"<a\b[^>]*\bhref="(/[^"#]*)"##)
        let whole = NSRange(html.startIndex..., in: html)
        return Set(
            href.matches(in: html, range: whole).compactMap { match -> String? in
                let link = String(html[Range(match.range(at: 1), in: html)!]).replacingOccurrences(of: "&amp;", with: "&")
                return link.hasPrefix("/static/") || link.hasPrefix("//") ? nil : link
            })
    }

    /// Each element with the class `notice` or `error` whose text is empty or only spaces,
    /// as its opening tag.
    static func emptyMessageBars(in html: String) -> [String] {
        let opening = try! NSRegularExpression(pattern: #"<(p|div|section)\b[^>]*\bclass="([^"]*)"[^>]*>"#)
        let whole = NSRange(html.startIndex..., in: html)
        var empty: [String] = []
        for match in opening.matches(in: html, range: whole) {
            let classes = String(html[Range(match.range(at: 2), in: html)!]).split(separator: " ")
            guard classes.contains("notice") || classes.contains("error") else { continue }
            let tag = String(html[Range(match.range(at: 1), in: html)!])
            let afterOpening = Range(match.range, in: html)!.upperBound
            // The element's content, up to its own closing tag (divs and sections may nest).
            var depth = 1, cursor = afterOpening, contentEnd = html.endIndex
            while depth > 0, let close = html.range(of: "</\(tag)>", range: cursor..<html.endIndex) {
                if let open = html.range(of: "<\(tag)[\\s>]", options: .regularExpression, range: cursor..<close.lowerBound) {
                    depth += 1
                    cursor = open.upperBound
                } else {
                    depth -= 1
                    cursor = close.upperBound
                    if depth == 0 { contentEnd = close.lowerBound }
                }
            }
            let content = html[afterOpening..<contentEnd]
            let text = content.replacingOccurrences(of: #"<[^>]*>"#, with: "", options: .regularExpression)
            if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                empty.append(String(html[Range(match.range, in: html)!]))
            }
        }
        return empty
    }

    /// Links such as `/relationships/` whose id is missing: the list pages have no trailing slash.
    static func linksWithEmptyID(in html: String) -> [String] {
        let link = try! NSRegularExpression(pattern: #"href="(/[a-z-]+(?:/[a-z-]+)*/)""#)
        return link.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { String(html[Range($0.range(at: 1), in: html)!]) }
    }

    // MARK: Roles in sentences

    @Test("Roles read with the right article: an organisation admin, a programme manager, a participant", arguments: TestBackend.all)
    func roleArticles(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = try await app.signedIn(org.adminEmail)
            let manager = try await app.signedIn(org.managerEmail)
            let participant = try await app.signedIn(org.participantEmail)
            #expect(try await admin.get("/dashboard").text.contains("as an organisation admin."))
            #expect(try await manager.get("/dashboard").text.contains("as a programme manager."))
            #expect(try await participant.get("/dashboard").text.contains("as a participant."))
            let refused = try await participant.get("/admin/members")
            #expect(refused.status == .forbidden && refused.text.contains("you are signed in as a participant."))

            let invited = try await admin.post("/admin/members/invite", form: ["email": "olga@acme.example", "role": "admin"])
            #expect(invited.status == .ok)
            let secret = try #require(try await app.store.emailedSecret(under: "http://mutual.test/invitations/", to: "olga@acme.example"))
            let email = try #require(try await app.store.outbox().last { $0.recipient == "olga@acme.example" })
            #expect(email.body.contains("as an organisation admin."), "\(email.body)")
            #expect(try await app.browser().get("/invitations/\(secret)").text.contains("You were invited as an organisation admin"))

            let changed = try await admin.post("/admin/members/\(org.manager.accountID)/role", form: ["role": "admin"])
            #expect(changed.text.contains("is now an organisation admin."))
            for page in [try await admin.get("/dashboard"), refused, changed] {
                #expect(!page.text.contains("a organisation"))
            }
            #expect(!email.body.contains("a organisation"))
        }
    }

    // MARK: The import page's limit

    @Test("The import page states the upload limit it enforces", arguments: TestBackend.all)
    func importLimit(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = try await app.signedIn(org.adminEmail)
            let page = try await admin.get("/admin/people/import")
            // The API says the same limit in its 413; both come from PeopleImportAPI.maxBytes.
            #expect(page.text.contains("CSV file (at most 500 MB)"))
            #expect(!page.text.contains("50 MB)"))
        }
    }

    // MARK: Line numbers

    @Test("Objectives and milestone templates name the line as typed, whatever the line ends", arguments: TestBackend.all)
    func programmeFormLines(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let manager = try await app.signedIn(org.managerEmail)
            func form(_ field: String, _ text: String) -> [(String, String)] {
                ProgrammeWebTests.form.filter { $0.0 != field } + [(field, text)]
            }
            // A browser sends a textarea's lines with CRLF; the wrong KPI is on line 5.
            let objectives = "Keep early-career engineers\r\n- retention of participants >= 85 %\r\n\r\nSpread skills\r\n- retention is good\r\n"
            let kpi = try await manager.post("/programmes", fields: form("objectives", objectives))
            #expect(kpi.status == .unprocessableContent)
            #expect(kpi.text.contains("Line 5 (retention is good)"), "\(kpi.text)")
            for ending in ["\n", "\r"] {
                let other = try await manager.post("/programmes", fields: form("objectives", objectives.replacingOccurrences(of: "\r\n", with: ending)))
                #expect(other.text.contains("Line 5 (retention is good)"))
            }
            let orphan = try await manager.post("/programmes", fields: form("objectives", "\r\n\r\n- meetings >= 6"))
            #expect(orphan.text.contains("Line 3 is a KPI"))

            let milestones = "14d First meeting\r\n6w Shadow a session\r\n\r\nsoon Mid-cycle review\r\n"
            let milestone = try await manager.post("/programmes", fields: form("milestone_templates", milestones))
            #expect(milestone.status == .unprocessableContent)
            #expect(milestone.text.contains("Milestone line 4 (&quot;soon Mid-cycle review&quot;)"), "\(milestone.text)")
        }
    }

    @Test("Enrolling by pasted ids names the line as pasted, counted from 1, with CRLF line ends", arguments: TestBackend.all)
    func enrolmentLines(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.programme(app.store, org)
            let manager = try await app.signedIn(org.managerEmail)
            let path = "/programmes/\(programme.id)/enrolments"

            let ids = try await manager.post(path, fields: [("people", "A1\r\nB1\r\nA1\r\n\r\nNOBODY\r\n")])
            #expect(ids.status == .unprocessableContent)
            #expect(ids.text.contains("Line 3: &quot;A1&quot; is already listed on line 1"), "\(ids.text)")
            #expect(ids.text.contains("Line 5: nobody in the organisation has the id &quot;NOBODY&quot;"))

            // With a header the lines are the CSV's own, the header being line 1.
            let csv = try await manager.post(path, fields: [("people", "id,goals\r\nA1,Grow\r\nNOBODY,\r\n")])
            #expect(csv.text.contains("Line 3: nobody in the organisation has the id &quot;NOBODY&quot;"))
            let lone = try await manager.post(path, fields: [("people", "A1\rNOBODY")])
            #expect(lone.text.contains("Line 2: nobody in the organisation has the id &quot;NOBODY&quot;"))

            // The file upload through the API counts CRLF lines once too.
            let token = try await app.store.createAPIToken(named: "m", for: org.manager).secret
            let file = try await app.client.executeRequest(
                uri: "/api/v1/programmes/\(programme.id)/enrolments/import", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"], body: ByteBuffer(string: "id\r\nA1\r\nNOBODY\r\n"))
            let report = try JSONSerialization.jsonObject(with: Data(file.text.utf8)) as? [String: Any]
            #expect(file.status == .unprocessableContent)
            #expect((report?["problems"] as? [[String: Any]])?.first?["line"] as? Int == 3, "\(file.text)")
        }
    }

    // MARK: Matches not yet accepted by everyone

    @Test("A match accepted by one side says who it waits for and links to no relationship until there is one", arguments: TestBackend.all)
    func matchWaitingForPartner(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.accountsProgramme(app.store, org)
            let run = try await ProgrammeSeeds.run(app.store, programme, org)
            _ = try await app.store.publishMatchRun(id: run.id, by: org.manager)
            let match = try #require(try await app.store.myMatches(of: org.participant).first)
            let pia = try await app.signedIn(org.participantEmail)

            let accepted = try await pia.post("/matches/\(match.id)/accept")
            #expect(accepted.status == .ok)
            #expect(accepted.text.contains("You accepted. Waiting for Max Manager to accept"), "\(accepted.text)")
            #expect(!accepted.text.contains("Open your relationship"))
            #expect(!accepted.text.contains(#"href="/relationships/""#))

            try await app.store.respond(toMatch: match.id, accept: true, by: org.manager)
            let relationship = try #require(try await app.store.myMatches(of: org.participant).first?.relationshipID)
            let both = try await pia.get("/matches")
            #expect(both.text.contains(#"<a href="/relationships/\#(relationship)">Open your relationship and agreement</a>"#))
            #expect(!both.text.contains("Waiting for"))
            #expect(try await pia.get("/relationships/\(relationship)").status == .ok)
        }
    }

    // MARK: Error pages

    @Test("A signed-in person's error pages keep the site's navigation", arguments: TestBackend.all)
    func errorPagesKeepNavigation(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let pia = try await app.signedIn(org.participantEmail)
            let nowhere = try await pia.get("/no-such-page")
            let missing = try await pia.get("/relationships/\(UUID())")
            let forbidden = try await pia.get("/admin/jobs")
            for (response, status) in [(nowhere, HTTPResponse.Status.notFound), (missing, .notFound), (forbidden, .forbidden)] {
                #expect(response.status == status)
                #expect(response.text.contains(#"<nav aria-label="Main">"#), "the \(status.code) page has no navigation")
                #expect(response.text.contains(#"href="/matches""#) && response.text.contains("Acme Participant"))
                // Its sign-out form carries this browser's CSRF token, so signing out from it works.
                #expect(response.text.contains(#"name="csrf_token" value="\#(pia.csrfToken ?? "-")""#))
            }
            #expect(try await pia.post("/sign-out").status == .seeOther)
            // Signed out, the 404 page has no navigation to offer.
            let anonymous = try await app.browser().get("/no-such-page")
            #expect(anonymous.status == .notFound && !anonymous.text.contains(#"<nav aria-label="Main">"#))
        }
    }

    // MARK: Boxes for things that do not exist yet

    @Test("The new-token box shows only right after a token is made; no invitation link box shows on Members", arguments: TestBackend.all)
    func boxesOnlyWithContent(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = try await app.signedIn(org.adminEmail)
            let before = try await admin.get("/account/tokens")
            #expect(before.status == .ok)
            #expect(!before.text.contains("Copy your new token now") && !before.text.contains(#"id="new-token""#))
            let made = try await admin.post("/account/tokens", form: ["name": "HR sync", "scope": "read", "expires_in": "30"])
            #expect(made.text.contains("Copy your new token now"))
            let secret = try #require(made.text.range(of: #"<code id="new-token">"#).map { made.text[$0.upperBound...].prefix { $0 != "<" } })
            #expect(secret.hasPrefix("mut_"))
            // Shown once: the next visit lists the token without its secret.
            let after = try await admin.get("/account/tokens")
            #expect(!after.text.contains("Copy your new token now") && !after.text.contains(String(secret)))
            let refused = try await admin.post("/account/tokens", form: ["name": "", "scope": "read"])
            #expect(refused.status == .unprocessableContent && !refused.text.contains("Copy your new token now"))

            let members = try await admin.get("/admin/members")
            #expect(!members.text.contains("Invitation link") && !members.text.contains(#"id="invitation-link""#))
            let invited = try await admin.post("/admin/members/invite", form: ["email": "nia@acme.example", "role": "participant"])
            #expect(invited.text.contains("We emailed an invitation to nia@acme.example"))
            #expect(!invited.text.contains("Invitation link") && !invited.text.contains(#"id="invitation-link""#))
        }
    }
}
