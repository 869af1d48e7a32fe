import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("Bulk invitations, who can sign in and programme launches, through the pages and the API")
struct BulkInvitationWebTests {
    /// Six people: four in Data (one without an address), two in Sales.
    static let people = """
        id,name,email,department,level,timezone,languages,strengths,wants
        P1,Ada Lovelace,ada@acme.example,Data,3,Europe/Lisbon,en,SQL:4,Python:1
        P2,Bea Brown,bea@acme.example,Data,2,Europe/Lisbon,en,Python:4,SQL:1
        P3,Cal Chen,cal@acme.example,Data,3,Europe/Lisbon,en,SQL:2,
        P4,Dot Diaz,,Data,3,Europe/Lisbon,en,SQL:3,
        P5,Eve Evans,eve@acme.example,Sales,3,Europe/Lisbon,en,Negotiation:4,
        P6,Fin Ford,fin@acme.example,Sales,4,Europe/Lisbon,en,Negotiation:2,

        """

    @Test("The members page invites a department in one action, lists who can sign in by status, and refuses a bad level or cursor kindly", arguments: TestBackend.all)
    func membersPage(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            _ = try await app.store.importPeople(into: org.admin.organisationID, csv: Self.people, options: .init(mode: .allOrNothing))
            let admin = app.browser()
            try await admin.post("/sign-in", form: ["email": org.adminEmail, "password": Seeds.password])
            let before = try await admin.get("/admin/members")
            #expect(before.status == .ok)
            #expect(before.text.contains("No account (5)"))
            #expect(before.text.contains("No email address (1)"))

            let sent = try await admin.post("/admin/members/invite-all", form: ["department": "Data", "people": ""])
            #expect(sent.status == .ok)
            #expect(sent.text.contains("Invited 3 people (department Data)."))
            #expect(sent.text.contains("1 have no email address in the directory"))
            #expect(sent.text.contains("Invited, not yet accepted (3)"))
            let invited = try await admin.get("/admin/members?access=invited")
            #expect(invited.text.contains("Ada Lovelace") && !invited.text.contains("Eve Evans"))
            #expect(invited.text.contains("link works until"))

            let badLevel = try await admin.post("/admin/members/invite-all", form: ["level": "three", "department": "Sales"])
            #expect(badLevel.status == .unprocessableContent)
            #expect(badLevel.text.contains("Level must be a number"))
            #expect(badLevel.text.contains("value=\"Sales\""))  // what was typed is kept
            let badCursor = try await admin.get("/admin/members?after=%25%25%25")
            #expect(badCursor.status == .unprocessableContent)
            #expect(badCursor.text.contains("is not one Mutual made"))
            // Participants never reach it.
            let participant = app.browser()
            try await participant.post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            #expect(try await participant.post("/admin/members/invite-all", form: [:]).status == .forbidden)
        }
    }

    @Test("The API invites in bulk, pages who can sign in with next, and launches a programme with 201", arguments: TestBackend.all)
    func api(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            _ = try await app.store.importPeople(into: org.admin.organisationID, csv: Self.people, options: .init(mode: .allOrNothing))
            let token = try await app.store.createAPIToken(named: "t", scope: .admin, for: org.admin).secret
            let (bulk, body) = try await app.callAPI(.post, "/api/v1/invitations/bulk", token: token, json: #"{"people": ["P5", "P6", "P99"]}"#)
            #expect(bulk.status == .ok)
            #expect(body["invited"] as? Int == 2)
            #expect(body["unknown_entries"] as? [String] == ["P99"])

            var names: [String] = []
            var path = "/api/v1/members/access?limit=4"
            while true {
                let (page, list) = try await app.callAPI(.get, path, token: token)
                #expect(page.status == .ok)
                names += (list["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                #expect(list["total"] as? Int == 9)
                guard let next = list["next"] as? String else { break }
                path = "/api/v1/members/access?limit=4&after=\(next)"
            }
            #expect(names.count == 9 && Set(names).count == 9)
            #expect(names == names.sorted())
            let (badStatus, _) = try await app.callAPI(.get, "/api/v1/members/access?status=maybe", token: token)
            #expect(badStatus.status == .unprocessableContent || badStatus.status == .badRequest)

            let programme = try await app.store.createProgramme(
                ProgrammeDraft(name: "Open", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31", selfEnrolment: true), objectives: [],
                by: org.manager)
            let (launched, result) = try await app.callAPI(
                .post, "/api/v1/programmes/\(programme.id)/launches", token: token, json: #"{"department": "Sales"}"#)
            #expect(launched.status == .created)
            #expect(result["recipients"] as? Int == 2)
            let (_, launches) = try await app.callAPI(.get, "/api/v1/programmes/\(programme.id)/launches", token: token)
            #expect((launches["items"] as? [[String: Any]])?.first?["recipients"] as? Int == 2)
        }
    }

    @Test("The launch page sends, lists the send with its enrolments, and an invitee lands on the programme after joining", arguments: TestBackend.all)
    func launchPage(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            _ = try await app.store.importPeople(into: org.admin.organisationID, csv: Self.people, options: .init(mode: .allOrNothing))
            let programme = try await app.store.createProgramme(
                ProgrammeDraft(name: "Open", description: "Learn from each other.", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31", selfEnrolment: true),
                objectives: [], by: org.manager)
            let manager = app.browser()
            try await manager.post("/sign-in", form: ["email": org.managerEmail, "password": Seeds.password])
            #expect(try await manager.get("/programmes/\(programme.id)").text.contains("/programmes/\(programme.id)/launch"))
            let sent = try await manager.post("/programmes/\(programme.id)/launch", form: ["people": "P5"])
            #expect(sent.status == .ok)
            #expect(sent.text.contains("Emailed 1 person an invitation to enrol."))
            #expect(sent.text.contains("a pasted list of 1"))
            let secret = try #require(try await app.store.emailedSecret(under: "/invitations/", to: "eve@acme.example"))
            let eve = app.browser()
            let joined = try await eve.post("/invitations/\(secret)", form: ["name": "Eve Evans", "password": Seeds.password])
            #expect(joined.location == "/programmes/\(programme.id.uuidString)")
            let enrolled = try await eve.post("/programmes/\(programme.id)/enrol", form: ["goals": ""])
            #expect(enrolled.status.code < 400)
            let page = try await manager.get("/programmes/\(programme.id)/launch")
            #expect(page.text.contains("1 (100 %)"))
        }
    }
}
