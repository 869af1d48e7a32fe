import Foundation
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// The directory (`/people` and `GET /api/v1/people`) paged by a keyset cursor: every person
/// once, in name order; the total counted where an index can count it and estimated beyond
/// 1,000 otherwise; a bounded number of statements whatever the organisation's size; the
/// filter menus kept per organisation and forgotten when a profile changes them.
@Suite("Directory lists")
struct DirectoryListWebTests {
    /// `count` people "Member 0001"… of department Data (every third of Sales), all strong in
    /// SQL, every other one also wanting Python.
    static func people(_ app: TestApp, _ org: SeededOrganisation, count: Int, prefix: String = "D") async throws {
        var csv = "id,name,department,timezone,strengths,wants\n"
        for index in 1...count {
            let department = index % 3 == 0 ? "Sales" : "Data"
            csv += "\(prefix)\(index),Member \(String(format: "%04d", index)),\(department),Europe/Lisbon,SQL:3,\(index % 2 == 0 ? "Python" : "")\n"
        }
        let report = try await app.store.importPeople(into: org.admin.organisationID, csv: csv, options: .init(mode: .allOrNothing))
        #expect(report.created == count)
    }

    static func names(_ body: [String: Any]) -> [String] {
        (body["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    @Test("The API's pages return everyone once by name; totals are exact where cheap and estimated past 1,000", arguments: TestBackend.all)
    func apiPaging(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            try await Self.people(app, org, count: 1_205)
            let token = try await app.store.createAPIToken(named: "t", scope: .read, for: org.participant).secret
            let everyone = 1_205 + 3  // and the admin, the manager and the participant

            // Without filters and for one skill: exact, from an index.
            let (all, allBody) = try await app.callAPI(.get, "/api/v1/people?limit=100", token: token)
            #expect(all.status == .ok)
            #expect(allBody["total"] as? Int == everyone && allBody["total_estimate"] == nil)
            let (_, sqlBody) = try await app.callAPI(.get, "/api/v1/people?skill=sql", token: token)
            #expect(sqlBody["total"] as? Int == 1_205)
            // An erased person keeps their skills as anonymous rows, but is no longer counted.
            let erased = try #require(try await app.store.findPerson(reference: "D7", of: org.admin))
            _ = try await app.store.erasePerson(try erased.requireID(), by: org.admin)
            let (_, afterErasure) = try await app.callAPI(.get, "/api/v1/people?skill=sql", token: token)
            #expect(afterErasure["total"] as? Int == 1_204)
            let (_, everyoneLeft) = try await app.callAPI(.get, "/api/v1/people?limit=1", token: token)
            #expect(everyoneLeft["total"] as? Int == everyone - 1)
            let (_, wantBody) = try await app.callAPI(.get, "/api/v1/people?want=python", token: token)
            #expect(wantBody["total"] as? Int == 602)
            // Two filters with more than 1,000 people: estimated (two significant figures),
            // never below what was counted nor above everyone.
            let (_, bothBody) = try await app.callAPI(.get, "/api/v1/people?skill=sql&timezone=Europe/Lisbon", token: token)
            #expect(bothBody["total"] == nil)
            let estimate = try #require(bothBody["total_estimate"] as? Int)
            #expect((1_001...everyone).contains(estimate) && estimate % 10 == 0, "estimate \(estimate)")
            // Two filters with fewer than 1,000: exact.
            let (_, salesBody) = try await app.callAPI(.get, "/api/v1/people?want=python&department=Sales", token: token)
            #expect(salesBody["total"] as? Int == 200 && salesBody["total_estimate"] == nil)

            // Walking the pages of a filtered search: everyone once, by name, while someone is
            // added before the cursor (not shown: already passed) and after it (shown).
            var seen: [String] = []
            var after: String?
            var pages = 0
            repeat {
                let query = "department=Sales&limit=100" + (after.map { "&after=\($0)" } ?? "")
                let (answer, body) = try await app.callAPI(.get, "/api/v1/people?\(query)", token: token)
                #expect(answer.status == .ok)
                seen += Self.names(body)
                after = body["next"] as? String
                pages += 1
                if pages == 1 {
                    _ = try await app.store.importPeople(
                        into: org.admin.organisationID, csv: "id,name,department\nX1,Member 0000,Sales\nX2,Member 9999,Sales\n",
                        options: .init(mode: .allOrNothing))
                }
            } while after != nil && pages < 10
            #expect(pages == 5)
            let expected = (1...1_205).filter { $0 % 3 == 0 }.map { "Member \(String(format: "%04d", $0))" } + ["Member 9999"]
            #expect(seen == expected)

            // The older page parameter still reads by number, for one release.
            // (Member 0000, added above, is the first of all, so the 101st is Member 0300.)
            let (_, second) = try await app.callAPI(.get, "/api/v1/people?department=Sales&page=2&page_size=100", token: token)
            #expect(Self.names(second).first == "Member 0300" && second["page"] as? Int == 2)

            // A cursor Mutual did not make, or an empty one: 422 saying what to send.
            let (bad, badBody) = try await app.callAPI(.get, "/api/v1/people?after=Member", token: token)
            #expect(bad.status == .unprocessableContent)
            #expect((badBody["detail"] as? String)?.contains("Use the `next` value of the previous page") == true)
            let (empty, _) = try await app.callAPI(.get, "/api/v1/people?after=", token: token)
            #expect(empty.status == .unprocessableContent)
            let (tooMany, tooManyBody) = try await app.callAPI(.get, "/api/v1/people?limit=101", token: token)
            #expect(tooMany.status == .unprocessableContent)
            #expect((tooManyBody["detail"] as? String)?.contains("limit must be a whole number from 1 to 100") == true)
            // `limit=` with no value is not a number either (schemathesis sends it); left out is 25.
            let (emptyLimit, emptyLimitBody) = try await app.callAPI(.get, "/api/v1/people?limit=", token: token)
            #expect(emptyLimit.status == .unprocessableContent)
            #expect((emptyLimitBody["detail"] as? String)?.contains("limit is empty") == true)
            let adminToken = try await app.store.createAPIToken(named: "a", scope: .admin, for: org.admin).secret
            let (accessEmpty, accessEmptyBody) = try await app.callAPI(.get, "/api/v1/members/access?limit=", token: adminToken)
            #expect(accessEmpty.status == .unprocessableContent && accessEmptyBody["field"] as? String == "limit", "\(accessEmpty.status) \(accessEmptyBody)")
        }
    }

    @Test("The directory page links to the next page and back to the first, keeping the filters", arguments: TestBackend.all)
    func pageLinks(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            try await Self.people(app, org, count: 60)
            let participant = try await app.signedIn(org.participantEmail)
            let first = try await participant.get("/people?skill=SQL&limit=25")
            #expect(first.status == .ok)
            #expect(first.text.contains("Showing 25 of 60 people, by name."))
            #expect(first.text.contains("Member 0025<") && !first.text.contains("Member 0026<"))
            #expect(!first.text.contains(#"id="directory-first""#))
            let next = try #require(EnrolmentListWebTests.link(in: first.text, id: "directory-next"))
            #expect(next.contains("skill=SQL") && next.contains("after="))
            let second = try await participant.get(next)
            #expect(second.text.contains("Member 0026<") && second.text.contains("Member 0050<") && !second.text.contains("Member 0025<"))
            #expect(second.text.contains("(a later page)"))
            let back = try #require(EnrolmentListWebTests.link(in: second.text, id: "directory-first"))
            #expect(back == "/people?limit=25&skill=SQL")
            let third = try await participant.get(try #require(EnrolmentListWebTests.link(in: second.text, id: "directory-next")))
            #expect(third.text.contains("Member 0060<") && EnrolmentListWebTests.link(in: third.text, id: "directory-next") == nil)
            // A page that is not one: said on the page.
            let bad = try await participant.get("/people?after=zz")
            #expect(bad.status == .unprocessableContent && bad.text.contains("is not one Mutual made"))
        }
    }

    @Test("The directory page and API make as many statements for 1,200 people as for 10", arguments: TestBackend.all)
    func boundedStatements(backend: TestBackend) async throws {
        let counter = QueryCounter()
        var options = TestAppOptions()
        options.databaseLogger = counter.logger
        options.jobWorkers = 0
        try await withTestApp(backend, options: options) { app in
            var counts: [String: [Int]] = [:]
            for (name, size) in [("Small", 10), ("Large", 1_200)] {
                let org = try await Seeds.organisation(name, in: app.store)
                try await Self.people(app, org, count: size)
                let participant = try await app.signedIn(org.participantEmail)
                let token = try await app.store.createAPIToken(named: "t", scope: .read, for: org.participant).secret
                let paths = ["/people", "/people?skill=SQL", "/people?department=Data&want=Python", "/api/v1/people?skill=SQL&limit=100"]
                for round in 0..<2 {
                    for path in paths {
                        let measured = try await counter.statements {
                            path.hasPrefix("/api")
                                ? try await app.callAPI(.get, path, token: token).0.status
                                : try await participant.get(path).status
                        }
                        #expect(measured.result == .ok, "\(path)")
                        // The first round warms what is read once (a session's touch, the menus).
                        if round == 1 { counts[path, default: []].append(measured.statements.count) }
                    }
                }
            }
            for (path, statements) in counts {
                #expect(statements.count == 2 && statements[0] > 0, "\(path)")
                #expect(statements[0] == statements[1], "\(path): \(statements[0]) statements for 10 people, \(statements[1]) for 1,200")
                #expect(statements[1] <= 14, "\(path): \(statements[1]) statements")
            }
        }
    }

    @Test("The filter menus are read once per organisation and forgotten when a profile adds a department", arguments: TestBackend.all)
    func menus(backend: TestBackend) async throws {
        let counter = QueryCounter()
        var options = TestAppOptions()
        options.databaseLogger = counter.logger
        try await withTestApp(backend, options: options) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            try await Self.people(app, org, count: 5)
            let participant = try await app.signedIn(org.participantEmail)
            #expect(try await participant.get("/people").text.contains(#"<option value="Data""#))
            let again = try await counter.statements { try await participant.get("/people") }
            #expect(!again.statements.contains { $0.contains("DISTINCT") }, "the menus come from the cache")
            #expect(!again.result.text.contains("Research &amp; Development"))
            _ = try await app.store.updateProfile(
                personID: org.participant.personID,
                with: ProfileUpdate(name: "Pat", department: "Research & Development", timeZone: "Europe/Lisbon"), by: org.participant)
            let after = try await counter.statements { try await participant.get("/people") }
            #expect(after.statements.contains { $0.contains("DISTINCT") }, "read again after the change")
            #expect(after.result.text.contains(#"<option value="Research &amp; Development""#))
        }
    }
}
