import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import MutualWeb
import Testing

@Suite("Organisations are isolated tenants")
struct TenantIsolationTests {
    @Test("Every route with an id answers 404 for another organisation's id and changes nothing", arguments: TestBackend.all)
    func idsFromAnotherOrganisationAreNotFound(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let a = try await Seeds.organisation("Acme", in: app.store)
            let b = try await Seeds.organisation("Globex", in: app.store)
            let bInvitation = try await app.store.invite(email: "pending@globex.example", role: .participant, by: b.admin) { $0 }
            let bToken = try await app.store.createAPIToken(named: "b's token", for: b.admin)
            let aToken = try await app.store.createAPIToken(named: "a's token", for: a.admin)
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": a.adminEmail, "password": Seeds.password])

            let bSkill = try #require(try await app.store.skills(of: b.admin).first)
            // Merging into one of A's own skills is what an attacker in A would try.
            let aSkill = try #require(try await app.store.skills(of: a.admin).first)
            let bProgramme = try await ProgrammeSeeds.programme(app.store, b)
            let bRun = try await app.store.matchRunner.start(programmeID: bProgramme.id, by: b.admin)
            await app.store.matchRunner.execute(runID: bRun.id)
            #expect(try await app.store.publishMatchRun(id: bRun.id, by: b.admin) == 3)
            let bMatch = try #require(try await app.store.publishedMatchIDs(in: bProgramme.id, by: b.admin).ids.first)
            let (_, bRelationship) = try await ProgrammeSeeds.relationship(app.store, b)
            let bGoal = try await app.store.addGoal(to: bRelationship, GoalDraft(title: "B's goal", progress: 20), by: b.participant)
            let bMilestone = try await app.store.addMilestone(toGoal: bGoal.id, MilestoneDraft(title: "B's step", dueOn: "2027-03-01"), by: b.participant)
            let bPool = try await ProgrammeSeeds.selfMatchPool(app.store, b)
            let bRequest = try await app.store.sendMatchRequest(in: bPool.programme.id, to: bPool.bo.personID, message: "", by: bPool.xena)
            func foreignID(for path: String) -> UUID {
                if path.contains("/goals/") { return bGoal.id }
                if path.contains("/milestones/") { return bMilestone.id }
                if path.contains("/people/") { return b.participant.personID }
                if path.contains("/skills/") { return bSkill.id }
                if path.contains("/programmes/") { return bProgramme.id }
                if path.contains("/runs/") { return bRun.id }
                if path.contains("/matches/") { return bMatch }
                if path.contains("/relationships/") { return bRelationship }
                if path.contains("/requests/") { return bRequest }
                if path.contains("/members/") { return b.participant.accountID }
                if path.contains("/invitations/") { return bInvitation.invitation.id! }
                return bToken.token.id!
            }
            // SCIM's routes know the organisation from its provisioning token, not a session;
            // SCIMProvisioningTests tries another organisation's ids with it.
            let routesWithIDs = app.routes.filter { $0.path.contains(":id") && !$0.path.hasPrefix("/scim/") }
            #expect(routesWithIDs.count >= 20)
            for route in routesWithIDs {
                let path = route.path.replacingOccurrences(of: ":id", with: foreignID(for: route.path).uuidString)
                let response: TestResponse
                if route.path.hasPrefix("/api/") {
                    response = try await app.client.executeRequest(
                        uri: path, method: HTTPRequest.Method(route.method)!,
                        headers: [.authorization: "Bearer \(aToken.secret)", .contentType: "application/json"],
                        body: route.method == "GET" || route.method == "DELETE" ? nil : ByteBuffer(string: Self.body(for: route.path, targetSkill: aSkill.id)))
                } else if route.method == "GET" {
                    response = try await browser.get(path)
                } else {
                    response = try await browser.post(path, form: ["role": "admin", "name": "x", "alias": "x", "into": aSkill.id.uuidString])
                }
                #expect(response.status == .notFound, "\(route.method) \(route.path) answered \(response.status) for another organisation's id")
                #expect(!response.text.contains("globex.example"), "\(route.path) leaked the other organisation's data")
            }
            // B's data is untouched.
            #expect(try await app.store.member(id: b.participant.accountID, of: b.admin).role == .participant)
            #expect(try await app.store.invitations(of: b.admin).first { $0.email == "pending@globex.example" }?.status(at: app.clock.now) == .pending)
            #expect(try await app.store.identity(forAPIToken: bToken.secret)?.accountID == b.admin.accountID)
            // The relationship seed named B's participant Pia; the hijack attempt would have renamed them.
            #expect(try await app.store.profile(personID: b.participant.personID, of: b.admin).name == "Pia Participant")
            #expect(try await app.store.skills(of: b.admin).contains { $0.id == bSkill.id && $0.aliases == bSkill.aliases })
            #expect(try await app.store.skills(of: a.admin).first { $0.id == aSkill.id }?.aliases == aSkill.aliases)
            #expect(try await app.store.programme(id: bProgramme.id, of: b.admin).draft.name == bProgramme.draft.name)
            #expect(try await app.store.enrolments(in: bProgramme.id, by: b.admin).count == 7)
            #expect(try await app.store.publishedMatches(in: bProgramme.id, by: b.admin).pending == 3)
            #expect(try await app.store.matchRuns(of: bProgramme.id, by: b.admin).map(\.id) == [bRun.id])
            let relationship = try await app.store.relationship(id: bRelationship, of: b.participant)
            #expect(relationship.status == .active && relationship.agreementVersion == 1 && !relationship.members.contains(where: \.signed))
            #expect(try await app.store.matchRequests(of: bPool.bo).map(\.status) == [.pending])
            let goal = try await app.store.goal(id: bGoal.id, of: b.participant)
            #expect(goal.title == "B's goal" && goal.progress == 20 && goal.status == .open && goal.milestones.map(\.isDone) == [false])
        }
    }

    /// A body that would change something if the route wrongly accepted the foreign id.
    static func body(for path: String, targetSkill: UUID) -> String {
        if path.contains("/people/") { return #"{"name":"Hijacked"}"# }
        if path.hasSuffix("/aliases") { return #"{"alias":"hijacked"}"# }
        if path.hasSuffix("/merge") { return "{\"into\":\"\(targetSkill)\"}" }
        return #"{"role":"admin"}"#
    }

    @Test("Lists show only the signed-in member's organisation", arguments: TestBackend.all)
    func listsAreScoped(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let a = try await Seeds.organisation("Acme", in: app.store)
            let b = try await Seeds.organisation("Globex", in: app.store)
            _ = try await app.store.invite(email: "someone@globex.example", role: .participant, by: b.admin) { $0 }
            _ = try await app.store.createAPIToken(named: "globex-token", for: b.admin)
            let token = try await app.store.createAPIToken(named: "t", for: a.admin).secret
            for path in ["/api/v1/members", "/api/v1/invitations", "/api/v1/tokens", "/api/v1/programmes"] {
                let response = try await app.client.executeRequest(uri: path, method: .get, headers: [.authorization: "Bearer \(token)"], body: nil)
                #expect(response.status == .ok)
                #expect(!response.text.contains("globex"), "\(path) shows another organisation's data")
            }
            let members = try await app.client.executeRequest(uri: "/api/v1/members", method: .get, headers: [.authorization: "Bearer \(token)"], body: nil)
            #expect(members.text.contains(a.participantEmail))
            let browser = app.browser()
            try await browser.post("/sign-in", form: ["email": a.adminEmail, "password": Seeds.password])
            let page = try await browser.get("/admin/members")
            #expect(page.text.contains(a.managerEmail))
            #expect(!page.text.contains("globex"))
        }
    }
}
