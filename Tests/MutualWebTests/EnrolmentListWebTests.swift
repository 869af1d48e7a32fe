import Foundation
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// The programme's enrolment list, on the programme page and at
/// `GET /api/v1/programmes/{id}/enrolments`: keyset pages by name, a search, counts in SQL, a
/// bounded number of statements whatever the programme's size, and removal by a manager.
@Suite("Enrolment lists")
struct EnrolmentListWebTests {
    /// `count` people named "Person 0001"… (one name twice, so the id breaks a tie), every
    /// other one with a strength, all enrolled in a new programme that requires strengths.
    static func programme(
        _ app: TestApp, _ org: SeededOrganisation, people count: Int, prefix: String = "E", name: String = "Sized"
    ) async throws -> ProgrammeDetail {
        var csv = "id,name,timezone,strengths\n"
        for index in 1...count {
            let number = index == 2 ? 1 : index  // "Person 0001" twice
            csv += "\(prefix)\(index),Person \(String(format: "%04d", number)),Europe/Lisbon,\(index % 2 == 0 ? "SQL:3" : "")\n"
        }
        _ = try await app.store.importPeople(into: org.admin.organisationID, csv: csv, options: .init(mode: .allOrNothing))
        let programme = try await app.store.createProgramme(
            ProgrammeDraft(
                name: "\(name) \(count)", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31", requiredFields: [.strengths]),
            objectives: [], by: org.manager)
        let report = try await app.store.enrol(csv: "id\n" + (1...count).map { "\(prefix)\($0)" }.joined(separator: "\n"), in: programme.id, by: org.manager)
        #expect(report.problems.isEmpty && report.added == count)
        return programme
    }

    /// The page's items as (name, id), and its `next`.
    static func page(_ body: [String: Any]) -> (rows: [(name: String, id: String)], next: String?) {
        let items = body["items"] as? [[String: Any]] ?? []
        return (items.map { (($0["name"] as? String) ?? "", (($0["person_id"] as? String) ?? "").lowercased()) }, body["next"] as? String)
    }

    @Test("Walking the pages returns every enrolment once, in order, while people are enrolled between pages", arguments: TestBackend.all)
    func walk(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await Self.programme(app, org, people: 60)
            let token = try await app.store.createAPIToken(named: "t", scope: .read, for: org.manager).secret
            var seen: [(name: String, id: String)] = []
            var after: String?
            var pages = 0
            var addedLater: Set<String> = []
            repeat {
                let query = "limit=25" + (after.map { "&after=\($0)" } ?? "")
                let (answer, body) = try await app.callAPI(.get, "/api/v1/programmes/\(programme.id)/enrolments?\(query)", token: token)
                #expect(answer.status == .ok)
                #expect(body["total"] as? Int == 60 + addedLater.count)
                let page = Self.page(body)
                seen += page.rows
                after = page.next
                pages += 1
                if pages == 1 {
                    // One person before the cursor (not shown again: already passed) and one
                    // after it (shown on a later page), enrolled between pages.
                    _ = try await app.store.importPeople(
                        into: org.admin.organisationID, csv: "id,name\nX1,Person 0000\nX2,Person 9999\n", options: .init(mode: .allOrNothing))
                    _ = try await app.store.enrol(csv: "id\nX1\nX2\n", in: programme.id, by: org.manager)
                    addedLater = ["Person 0000", "Person 9999"]
                }
            } while after != nil && pages < 10
            #expect(pages == 3)
            let ids = seen.map(\.id)
            #expect(Set(ids).count == ids.count, "no row twice")
            #expect(seen.count == 61, "the 60 enrolled and the one added after the cursor")
            #expect(seen.map(\.name).contains("Person 9999") && !seen.map(\.name).contains("Person 0000"))
            for (earlier, later) in zip(seen, seen.dropFirst()) {
                #expect(earlier.name < later.name || (earlier.name == later.name && earlier.id < later.id), "\(earlier) before \(later)")
            }
            // The tie on "Person 0001" is broken by id, on the first page.
            #expect(seen.prefix(2).map(\.name) == ["Person 0001", "Person 0001"])

            // The search narrows the list and its total.
            let (_, found) = try await app.callAPI(.get, "/api/v1/programmes/\(programme.id)/enrolments?q=person%20005", token: token)
            #expect(Self.page(found).rows.map(\.name) == (50...59).map { "Person \(String(format: "%04d", $0))" })
            #expect(found["total"] as? Int == 10 && found["ready"] as? Int == 5 && found["next"] == nil)
        }
    }

    @Test("A cursor Mutual did not make, an empty after and a limit out of range are 422s that say what to send", arguments: TestBackend.all)
    func badCursor(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await Self.programme(app, org, people: 3)
            let token = try await app.store.createAPIToken(named: "t", scope: .read, for: org.manager).secret
            let path = "/api/v1/programmes/\(programme.id)/enrolments"
            let (bad, badBody) = try await app.callAPI(.get, "\(path)?after=not-a-cursor", token: token)
            #expect(bad.status == .unprocessableContent)
            #expect((badBody["detail"] as? String)?.contains("is not one Mutual made. Use the `next` value of the previous page") == true)
            let (empty, emptyBody) = try await app.callAPI(.get, "\(path)?after=", token: token)
            #expect(empty.status == .unprocessableContent)
            #expect((emptyBody["detail"] as? String)?.contains("after is empty") == true)
            for limit in ["0", "501", "ten"] {
                let (answer, body) = try await app.callAPI(.get, "\(path)?limit=\(limit)", token: token)
                #expect(answer.status == .unprocessableContent)
                #expect((body["detail"] as? String)?.contains("limit must be a whole number from 1 to 500") == true)
            }
            // The page says so too, instead of failing.
            let page = try await app.signedIn(org.managerEmail).get("/programmes/\(programme.id)?after=zz")
            #expect(page.status == .unprocessableContent && page.text.contains("is not one Mutual made"))
        }
    }

    @Test("The programme page shows 50 enrolments a page with a next link, a search, and counts over everyone", arguments: TestBackend.all)
    func pagePaging(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await Self.programme(app, org, people: 75)
            let manager = try await app.signedIn(org.managerEmail)
            let first = try await manager.get("/programmes/\(programme.id)")
            #expect(first.status == .ok)
            #expect(first.text.components(separatedBy: "/enrolments/remove").count - 1 == 50)
            #expect(first.text.contains("<strong>37</strong> ready to match, <strong>38</strong> still missing something"))
            let next = try #require(Self.link(in: first.text, id: "enrolments-next"))
            let second = try await manager.get(next)
            #expect(second.text.components(separatedBy: "/enrolments/remove").count - 1 == 25)
            #expect(second.text.contains("Person 0075") && !second.text.contains("Person 0003<"))
            #expect(Self.link(in: second.text, id: "enrolments-next") == nil && second.text.contains("First page"))
            let found = try await manager.get("/programmes/\(programme.id)?q=0042")
            #expect(found.text.contains("<strong>1</strong> of the enrolled match “0042”") && found.text.contains("Person 0042"))
        }
    }

    /// The `href` of the link with this id.
    static func link(in html: String, id: String) -> String? {
        guard let range = html.range(of: #"id="\#(id)""#) else { return nil }
        let before = html[..<range.lowerBound]
        guard let start = before.range(of: #"href=""#, options: .backwards) else { return nil }
        let rest = html[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "&amp;", with: "&")
    }

    @Test("The programme page and the enrolments API make as many statements for 600 enrolled as for 10", arguments: TestBackend.all)
    func boundedStatements(backend: TestBackend) async throws {
        let counter = QueryCounter()
        var options = TestAppOptions()
        options.databaseLogger = counter.logger
        options.jobWorkers = 0
        try await withTestApp(backend, options: options) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let small = try await Self.programme(app, org, people: 10, prefix: "S", name: "Small")
            // More than one batch of ids (Store.idsPerQuery, 500): a list that loaded its rows in
            // batches would make more statements for the larger programme.
            let large = try await Self.programme(app, org, people: 600, prefix: "L", name: "Large")
            let manager = try await app.signedIn(org.managerEmail)
            let token = try await app.store.createAPIToken(named: "t", scope: .read, for: org.manager).secret
            var counts: [String: [Int]] = [:]
            for programme in [small, large] {
                for round in 0..<2 {
                    let page = try await counter.statements { try await manager.get("/programmes/\(programme.id)") }
                    let api = try await counter.statements {
                        try await app.callAPI(.get, "/api/v1/programmes/\(programme.id)/enrolments?limit=500", token: token)
                    }
                    #expect(page.result.status == .ok && api.result.0.status == .ok)
                    // The first round warms what a first request does once (a session's touch).
                    if round == 1 {
                        counts["page", default: []].append(page.statements.count)
                        counts["api", default: []].append(api.statements.count)
                    }
                }
            }
            let page = try #require(counts["page"]), api = try #require(counts["api"])
            #expect(page[0] > 0 && api[0] > 0, "the counter sees the statements")
            #expect(page[0] == page[1], "programme page: \(page[0]) statements for 10 enrolled, \(page[1]) for 600")
            #expect(api[0] == api[1], "enrolments API: \(api[0]) statements for 10 enrolled, \(api[1]) for 600")
            #expect(api[1] <= 12, "enrolments API: \(api[1]) statements")
        }
    }

    @Test("A manager removes a person from the list (event and audit line); a participant cannot", arguments: TestBackend.all)
    func removal(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await Self.programme(app, org, people: 4)
            let target = try #require(try await app.store.enrolments(in: programme.id, by: org.manager).first { $0.externalID == "E3" })

            let participant = try await app.signedIn(org.participantEmail)
            let refused = try await participant.post("/programmes/\(programme.id)/enrolments/remove", form: ["person_id": target.personID.uuidString])
            #expect(refused.status == .forbidden)
            let unsigned = try await app.signedIn(org.managerEmail)
            let forged = try await unsigned.post("/programmes/\(programme.id)/enrolments/remove", form: ["person_id": target.personID.uuidString], csrf: false)
            #expect(forged.status == .forbidden)
            #expect(try await app.store.enrolments(in: programme.id, by: org.manager).count == 4)

            let manager = try await app.signedIn(org.managerEmail)
            let page = try await manager.get("/programmes/\(programme.id)")
            #expect(page.text.contains(#"name="person_id" value="\#(target.personID.uuidString)""#))
            let removed = try await manager.post("/programmes/\(programme.id)/enrolments/remove", form: ["person_id": target.personID.uuidString])
            #expect(removed.status == .ok && removed.text.contains("Removed one person from this programme"))
            #expect(!removed.text.contains(target.personID.uuidString))
            let left = try await app.store.enrolments(in: programme.id, by: org.manager)
            #expect(left.count == 3 && !left.contains { $0.personID == target.personID })

            let again = try await manager.post("/programmes/\(programme.id)/enrolments/remove", form: ["person_id": target.personID.uuidString])
            #expect(again.status == .notFound && again.text.contains("is not enrolled in this programme"))
            let nobody = try await manager.post("/programmes/\(programme.id)/enrolments/remove", form: ["person_id": "nobody"])
            #expect(nobody.status == .unprocessableContent && nobody.text.contains("Remove button"))

            try await app.store.runDueJobs()
            let audit = try await app.store.auditLog(AuditQuery(type: .enrolmentWithdrawn), of: org.admin)
            #expect(audit.lines.count == 1)
            #expect(audit.lines.first?.actorPersonID == org.manager.personID)
            #expect(audit.lines.first?.subjectID.lowercased() == programme.id.uuidString.lowercased())
            #expect(audit.lines.first?.payloadJSON.lowercased().contains(target.personID.uuidString.lowercased()) == true)
        }
    }
}
