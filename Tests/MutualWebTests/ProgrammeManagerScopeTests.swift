import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import MutualWeb
import Testing

@Suite("Programme managers are scoped to the programmes they manage")
struct ProgrammeManagerScopeTests {
    /// An organisation where the seeded manager runs "Swap" (a run, published matches and an
    /// open relationship) and a second programme manager runs only their own programme.
    struct Scene {
        let org: SeededOrganisation
        let swap: ProgrammeDetail
        let relationship: UUID
        let run: UUID
        let match: UUID
        let other: Identity
        let otherEmail: String
        let own: ProgrammeDetail
    }

    static func scene(_ app: TestApp) async throws -> Scene {
        let org = try await Seeds.organisation("Acme", in: app.store)
        let (swap, relationship) = try await ProgrammeSeeds.relationship(app.store, org)
        let run = try #require(try await app.store.matchRuns(of: swap.id, by: org.manager).first).id
        let match = try #require(try await app.store.publishedMatchIDs(in: swap.id, by: org.manager).ids.first)
        let otherEmail = "second-manager@acme.example"
        let issued = try await app.store.invite(email: otherEmail, role: .programmeManager, by: org.admin) { "http://mutual.test/invitations/\($0)" }
        let account = try await app.store.acceptInvitation(token: issued.token, name: "Olu Other", password: Seeds.password)
        let other = try await Seeds.identity(for: account, in: app.store)
        let own = try await app.store.createProgramme(
            ProgrammeDraft(name: "Olu's circle", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: other)
        return Scene(org: org, swap: swap, relationship: relationship, run: run, match: match, other: other, otherEmail: otherEmail, own: own)
    }

    @Test("Every programme, run, match and relationship route of a programme someone else manages is refused, and changes nothing", arguments: TestBackend.all)
    func otherProgrammesAreRefused(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let scene = try await Self.scene(app)
            let token = try await app.store.createAPIToken(named: "olu's token", for: scene.other)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": scene.otherEmail, "password": Seeds.password])

            func foreignID(for path: String) -> UUID? {
                if path.contains("/programmes/:id") { return scene.swap.id }
                if path.contains("/runs/:id") { return scene.run }
                if path.contains("/matches/:id") { return scene.match }
                if path.contains("/relationships/:id") || path.hasPrefix("/attention/:id") { return scene.relationship }
                return nil
            }
            let routes = app.routes.filter { $0.path.contains(":id") && foreignID(for: $0.path) != nil }
            #expect(routes.count >= 60, "only \(routes.count) programme-scoped routes were found")
            for route in routes {
                let path = route.path.replacingOccurrences(of: ":id", with: foreignID(for: route.path)!.uuidString)
                let response: TestResponse
                if route.path.hasPrefix("/api/") {
                    response = try await app.client.executeRequest(
                        uri: path, method: HTTPRequest.Method(route.method)!,
                        headers: [.authorization: "Bearer \(token.secret)", .contentType: "application/json"],
                        body: route.method == "GET" || route.method == "DELETE"
                            ? nil : ByteBuffer(string: "{\"person_id\":\"\(scene.other.personID)\",\"person_ids\":[\"\(scene.other.personID)\"],\"name\":\"Hijacked\"}"))
                } else if route.method == "GET" {
                    response = try await browser.get(path)
                } else {
                    response = try await browser.post(path, form: ["person_id": scene.other.personID.uuidString, "name": "Hijacked", "body": "Hijacked"])
                }
                // Leaving a programme one is not in is idempotent (204) and changes nothing.
                let leavesSelf = route.method == "DELETE" && route.path.hasSuffix("/enrol")
                #expect(
                    response.status == .notFound || response.status == .forbidden || (leavesSelf && response.status == .noContent),
                    "\(route.method) \(route.path) answered \(response.status) to a manager of another programme")
                #expect(!response.text.contains("Pia Participant"), "\(route.method) \(route.path) showed a member of a programme they do not manage")
            }
            // Swap is as it was.
            let manager = scene.org.manager
            #expect(try await app.store.programme(id: scene.swap.id, of: manager).draft.name == "Swap")
            #expect(try await app.store.enrolments(in: scene.swap.id, by: manager).count == 4)
            #expect(try await app.store.matchRuns(of: scene.swap.id, by: manager).map(\.id) == [scene.run])
            #expect(try await app.store.programmeManagers(ofProgramme: scene.swap.id, by: scene.org.admin).map(\.personID) == [manager.personID])
            let relationship = try await app.store.relationship(id: scene.relationship, of: manager)
            #expect(relationship.status == .active)
            #expect(try await app.store.messages(inRelationship: scene.relationship, of: manager).isEmpty)
            // Their own programme is theirs to manage.
            let own = try await browser.get("/programmes/\(scene.own.id.uuidString)")
            #expect(own.status == .ok && own.text.contains("id=\"edit-programme\""))
            let managers = try await app.client.executeRequest(
                uri: "/api/v1/programmes/\(scene.own.id.uuidString)/managers", method: .get, headers: [.authorization: "Bearer \(token.secret)"], body: nil)
            #expect(managers.status == .ok && managers.text.contains("Olu Other"))
        }
    }

    @Test("Lists, the needs-attention list and the dashboards show a manager only their programmes", arguments: TestBackend.all)
    func listsAreScoped(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let scene = try await Self.scene(app)
            let token = try await app.store.createAPIToken(named: "olu's token", for: scene.other)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": scene.otherEmail, "password": Seeds.password])
            for path in ["/programmes", "/dashboard/programmes", "/dashboard/programmes.csv", "/attention"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path) answered \(page.status)")
                #expect(!page.text.contains("Swap"), "\(path) shows a programme the manager does not manage")
            }
            let list = try await browser.get("/programmes").text
            #expect(list.contains("Olu&#39;s circle") || list.contains("Olu's circle") || list.contains("Olu&#x27;s circle"))
            for path in ["/api/v1/programmes", "/api/v1/attention"] {
                let response = try await app.client.executeRequest(uri: path, method: .get, headers: [.authorization: "Bearer \(token.secret)"], body: nil)
                #expect(response.status == .ok)
                #expect(!response.text.contains(scene.swap.id.uuidString.lowercased()) && !response.text.contains("Swap"), "\(path) lists Swap")
            }
            #expect(try await app.store.programmes(of: scene.other).map(\.id) == [scene.own.id])
            #expect(try await app.store.programmeDashboards(of: scene.other).map(\.programmeID) == [scene.own.id])
            // The manager of Swap sees it, and an admin sees both.
            #expect(try await app.store.programmes(of: scene.org.manager).map(\.id) == [scene.swap.id])
            #expect(Set(try await app.store.programmes(of: scene.org.admin).map(\.id)) == [scene.swap.id, scene.own.id])
        }
    }

    @Test("An admin adds and removes a programme's managers from its page; each change is in the audit log", arguments: TestBackend.all)
    func adminsAssignManagers(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let scene = try await Self.scene(app)
            let swap = "/programmes/\(scene.swap.id.uuidString)"
            let olu = app.browser()
            try await olu.post("/sign-in", form: ["email": scene.otherEmail, "password": Seeds.password])
            #expect(try await olu.get(swap).status == .notFound)

            let admin = app.browser()
            try await admin.post("/sign-in", form: ["email": scene.org.adminEmail, "password": Seeds.password])
            let page = try await admin.get(swap)
            #expect(page.text.contains("id=\"managers\"") && page.text.contains("<option value=\"\(scene.other.personID.uuidString)\">Olu Other</option>"))
            let added = try await admin.post("\(swap)/managers", form: ["person_id": scene.other.personID.uuidString])
            #expect(added.status == .seeOther)
            #expect(try await olu.get(swap).status == .ok)
            #expect(try await olu.get("\(swap)/dashboard").status == .ok)
            // Now theirs in the store too: listed, and its runs readable.
            #expect(try await app.store.programmes(of: scene.other).contains { $0.id == scene.swap.id && $0.viewerManages })
            #expect(try await app.store.matchRuns(of: scene.swap.id, by: scene.other).map(\.id) == [scene.run])

            // A participant or an admin cannot be made a manager, and the message says why.
            let participant = try await admin.post("\(swap)/managers", form: ["person_id": scene.org.participant.personID.uuidString])
            #expect(participant.status == .conflict && participant.text.contains("is a participant. Change their role"))
            let anAdmin = try await admin.post("\(swap)/managers", form: ["person_id": scene.org.admin.personID.uuidString])
            #expect(anAdmin.status == .conflict && anAdmin.text.contains("manages every programme already"))
            let nobody = try await admin.post("\(swap)/managers", form: ["person_id": ""])
            #expect(nobody.status == .unprocessableContent && nobody.text.contains("Choose a programme manager"))

            // Programme managers do not assign managers, not even on their own programme.
            let manager = app.browser()
            try await manager.post("/sign-in", form: ["email": scene.org.managerEmail, "password": Seeds.password])
            #expect(try await manager.post("\(swap)/managers/remove", form: ["person_id": scene.other.personID.uuidString]).status == .forbidden)

            let removed = try await admin.post("\(swap)/managers/remove", form: ["person_id": scene.other.personID.uuidString])
            #expect(removed.status == .seeOther)
            let refused = try await olu.get("\(swap)/dashboard")
            #expect(refused.status == .forbidden && refused.text.contains("You are not a manager of “Swap”"))

            try await app.store.runDueJobs()
            let log = try await app.store.auditLog(AuditQuery(perPage: 200), of: scene.org.admin).lines
            let changes = log.filter { $0.type.hasPrefix("programme.manager_") && $0.subjectID == scene.swap.id.uuidString.lowercased() }
            // The seeded manager's own entry from creating Swap, then the admin's two changes.
            #expect(changes.filter { $0.actorPersonID == scene.org.manager.personID }.map(\.type) == ["programme.manager_added"])
            #expect(changes.filter { $0.actorPersonID == scene.org.admin.personID }.map(\.type).sorted() == ["programme.manager_added", "programme.manager_removed"])
        }
    }

    @Test("Fifty admins adding the same manager at once record them once", arguments: TestBackend.all)
    func parallelAddsRecordOnce(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let scene = try await Self.scene(app)
            let token = try await app.store.createAPIToken(named: "admin", for: scene.org.admin)
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await app.client.executeRequest(
                            uri: "/api/v1/programmes/\(scene.swap.id.uuidString)/managers", method: .post,
                            headers: [.authorization: "Bearer \(token.secret)", .contentType: "application/json"],
                            body: ByteBuffer(string: "{\"person_id\":\"\(scene.other.personID)\"}")
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0 == .created }, "\(Set(statuses.map(\.code)))")
            let managers = try await app.store.programmeManagers(ofProgramme: scene.swap.id, by: scene.org.admin)
            let recorded: Set<UUID> = Set(managers.map(\.personID))
            let expected: Set<UUID> = [scene.org.manager.personID, scene.other.personID]
            #expect(managers.count == 2 && recorded == expected)
            try await app.store.runDueJobs()
            let added = try await app.store.auditLog(AuditQuery(type: .programmeManagerAdded, perPage: 200), of: scene.org.admin).lines
                .filter { $0.subjectID == scene.swap.id.uuidString.lowercased() && $0.actorPersonID == scene.org.admin.personID }
            #expect(added.count == 1)
        }
    }
}
