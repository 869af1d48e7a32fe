import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import MutualWeb
import Testing

/// SCIM 2.0 provisioning at `/scim/v2` (issue 17, point 2), end to end through the router, on
/// both databases: the request sequences Okta and Microsoft Entra ID send, the token, the shared
/// key with the CSV import, deactivation, and bad input.
@Suite("SCIM provisioning")
struct SCIMProvisioningTests {
    static let enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
    static let patchOp = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    /// One SCIM call with the provisioning token; the answer and its body as a JSON object.
    func scim(
        _ app: TestApp, _ method: HTTPRequest.Method, _ path: String, token: String?, json: String? = nil
    ) async throws -> (TestResponse, [String: Any]) {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/scim+json" }
        let response = try await app.client.executeRequest(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        let object = (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [String: Any] ?? [:]
        return (response, object)
    }

    /// Checks an answer is a SCIM error with `status` (and `scimType` when given).
    func expectError(_ answer: (TestResponse, [String: Any]), _ status: HTTPResponse.Status, _ scimType: String? = nil, _ comment: String = "") {
        let (response, body) = answer
        #expect(response.status == status, "\(comment): \(response.status) \(response.text.prefix(300))")
        #expect(response.headers[.contentType] == "application/scim+json", "\(comment)")
        #expect(body["schemas"] as? [String] == ["urn:ietf:params:scim:api:messages:2.0:Error"], "\(comment)")
        #expect(body["status"] as? String == String(status.code), "\(comment)")
        #expect((body["detail"] as? String ?? "").count > 20, "\(comment): the detail says what to do")
        if let scimType { #expect(body["scimType"] as? String == scimType, "\(comment): \(body)") }
    }

    func people(_ app: TestApp, externalID: String, organisationID: UUID) async throws -> [Person] {
        try await Person.query(on: try app.store.database.database()).filter(\.$organisationID == organisationID)
            .filter(\.$externalID == externalID).all()
    }

    func events(_ app: TestApp, _ type: EventType) async throws -> [DomainEvent] {
        try await DomainEvent.query(on: try app.store.database.database()).filter(\.$type == type.rawValue).all()
    }

    static let oktaCreate = """
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"test.user@okta.local",\
        "name":{"givenName":"Test","familyName":"User"},\
        "emails":[{"primary":true,"value":"test.user@okta.local","type":"work"}],"displayName":"Test User","locale":"en-US",\
        "externalId":"00ujl29u0le5T6Aj10h7","groups":[],"password":"1mz050nq","active":true}
        """

    @Test("Okta's sequence: filter by userName finds nobody, create, read, replace, then PATCH active false deactivates", arguments: TestBackend.all)
    func oktaSequence(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createSCIMToken(by: org.admin)
            // Okta's lookup before creating (its documented request, encoded as it sends it).
            let lookup = "/scim/v2/Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100"
            let (empty, list) = try await scim(app, .get, lookup, token: token)
            #expect(empty.status == .ok)
            #expect(empty.headers[.contentType] == "application/scim+json")
            #expect(list["schemas"] as? [String] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"])
            #expect(list["totalResults"] as? Int == 0 && (list["Resources"] as? [Any])?.isEmpty == true && list["startIndex"] as? Int == 1)

            let (created, user) = try await scim(app, .post, "/scim/v2/Users", token: token, json: Self.oktaCreate)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(user["id"] as? String)
            #expect(created.location == "http://mutual.test/scim/v2/Users/\(id)")
            #expect(user["userName"] as? String == "test.user@okta.local" && user["externalId"] as? String == "00ujl29u0le5T6Aj10h7")
            #expect(user["active"] as? Bool == true)
            #expect((user["name"] as? [String: Any])?["formatted"] as? String == "Test User")
            let person = try #require(try await people(app, externalID: "00ujl29u0le5T6Aj10h7", organisationID: org.admin.organisationID).first)
            #expect(person.id?.uuidString.lowercased() == id && person.email == "test.user@okta.local" && person.name == "Test User")

            let (read, again) = try await scim(app, .get, "/scim/v2/Users/\(id)", token: token)
            #expect(read.status == .ok && again["id"] as? String == id)
            #expect((again["meta"] as? [String: Any])?["resourceType"] as? String == "User")
            let (_, found) = try await scim(app, .get, lookup, token: token)
            #expect(found["totalResults"] as? Int == 1)
            #expect(((found["Resources"] as? [[String: Any]])?.first?["id"] as? String) == id)

            // Okta's profile update is a PUT of the whole user.
            let replaced = Self.oktaCreate.replacingOccurrences(of: "\"givenName\":\"Test\"", with: "\"givenName\":\"Tess\"")
                .replacingOccurrences(of: "\"displayName\":\"Test User\",", with: "")
            let (put, afterPut) = try await scim(app, .put, "/scim/v2/Users/\(id)", token: token, json: replaced)
            #expect(put.status == .ok && (afterPut["name"] as? [String: Any])?["formatted"] as? String == "Tess User", "\(put.text)")

            // Okta deactivates with a PATCH without a path.
            let deactivate = #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"replace","value":{"active":false}}]}"#
            let (patched, afterPatch) = try await scim(app, .patch, "/scim/v2/Users/\(id)", token: token, json: deactivate)
            #expect(patched.status == .ok && afterPatch["active"] as? Bool == false, "\(patched.text)")
            let stored = try #require(try await people(app, externalID: "00ujl29u0le5T6Aj10h7", organisationID: org.admin.organisationID).first)
            #expect(stored.deactivatedAt != nil)
            #expect(try await events(app, .personDeactivated).map(\.subjectID) == [id])
            #expect(try await events(app, .personProvisioned).count == 2, "the create and the PUT's change of name")
            // Reactivating (Okta's "activate") sets active true again.
            let activate = #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"replace","value":{"active":true}}]}"#
            let (_, reactivated) = try await scim(app, .patch, "/scim/v2/Users/\(id)", token: token, json: activate)
            #expect(reactivated["active"] as? Bool == true)
            #expect(try await events(app, .personReactivated).count == 1)
        }
    }

    @Test("Deactivation pauses the person's relationships and tells the other members, ends their enrolments and sign-in; reactivation restores sign-in only", arguments: TestBackend.all)
    func deactivationPausesRelationships(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (programme, relationshipID) = try await ProgrammeSeeds.relationship(app.store, org)
            let token = try await app.store.createSCIMToken(by: org.admin)
            let browser = try await app.signedIn(org.participantEmail)
            #expect(try await browser.get("/dashboard").status == .ok)
            let apiToken = try await app.store.createAPIToken(named: "script", for: org.participant).secret
            #expect(try await app.store.enrolments(in: programme.id, by: org.manager).contains { $0.personID == org.participant.personID })

            let id = org.participant.personID.uuidString.lowercased()
            // Entra ID's style: a path and the string "False".
            let body = #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"Replace","path":"active","value":"False"}]}"#
            let (patched, user) = try await scim(app, .patch, "/scim/v2/Users/\(id)", token: token, json: body)
            #expect(patched.status == .ok && user["active"] as? Bool == false, "\(patched.text)")

            #expect(try await app.store.relationship(id: relationshipID, of: org.manager).status == .paused)
            #expect(try await !app.store.enrolments(in: programme.id, by: org.manager).contains { $0.personID == org.participant.personID })
            let paused = try await events(app, .relationshipPaused)
            #expect(paused.count == 1 && paused.first?.actorPersonID == nil && paused.first?.payload.contains(id) == true)
            #expect(try await events(app, .enrolmentWithdrawn).contains { $0.subjectID == programme.id.uuidString.lowercased() })
            // The manager (the other member) is told; the deactivated participant is not.
            // (The app's own worker may hold the jobs a moment, so look for up to 10 seconds.)
            let deadline = ContinuousClock.now + .seconds(10)
            var sent = try await app.store.outboxAfterJobs()
            while !sent.contains(where: { $0.recipient == org.managerEmail && $0.subject.contains("paused") }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                sent = try await app.store.outboxAfterJobs()
            }
            let toManager = sent.filter { $0.recipient == org.managerEmail && $0.subject.contains("paused") }
            #expect(toManager.count == 1, "\(sent.map { ($0.recipient, $0.subject) })")
            #expect(toManager.first?.body.contains("no longer active in your organisation's directory") == true)
            #expect(!sent.contains { $0.recipient == org.participantEmail && $0.subject.contains("paused") })
            // Signed out at once, the API token gone, and a password sign-in is refused with why.
            #expect(try await browser.get("/dashboard").status == .seeOther)
            #expect(try await app.store.identity(forAPIToken: apiToken) == nil)
            let refused = try await app.browser().post("/sign-in", form: ["email": org.participantEmail, "password": Seeds.password])
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("deactivated your Mutual account"))
            // The audit log shows what provisioning did.
            try await app.store.runDueJobs()
            let audit = try await app.store.auditLog(AuditQuery(type: .personDeactivated), of: org.admin)
            #expect(audit.lines.count == 1 && audit.lines.first?.actorName == "Mutual")

            let activate = #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"Replace","path":"active","value":"True"}]}"#
            let (_, back) = try await scim(app, .patch, "/scim/v2/Users/\(id)", token: token, json: activate)
            #expect(back["active"] as? Bool == true)
            #expect(try await app.signedIn(org.participantEmail).get("/dashboard").status == .ok)
            // Not silently re-enrolled, and the relationship stays paused for its members to resume.
            #expect(try await !app.store.enrolments(in: programme.id, by: org.manager).contains { $0.personID == org.participant.personID })
            #expect(try await app.store.relationship(id: relationshipID, of: org.manager).status == .paused)
        }
    }

    @Test("Deactivation declines the matches waiting for the person's answer and tells the others; a deactivated person cannot be enrolled until reactivated", arguments: TestBackend.all)
    func deactivationDeclinesWaitingMatches(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.accountsProgramme(app.store, org)
            let run = try await ProgrammeSeeds.run(app.store, programme, org)
            #expect(try await app.store.publishMatchRun(id: run.id, by: org.manager) == 2)
            let token = try await app.store.createSCIMToken(by: org.admin)
            let id = org.participant.personID.uuidString.lowercased()
            let off = #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"replace","value":{"active":false}}]}"#
            let (patched, _) = try await scim(app, .patch, "/scim/v2/Users/\(id)", token: token, json: off)
            #expect(patched.status == .ok, "\(patched.text)")

            // Their match is declined for them; the other pair's is untouched.
            let summary = try await app.store.publishedMatches(in: programme.id, by: org.manager)
            #expect(summary.declined == 1 && summary.pending == 1)
            let declined = try await events(app, .matchDeclined)
            #expect(declined.count == 1 && declined.first?.actorPersonID == nil && declined.first?.payload.contains(id) == true)
            // The manager, their partner, is told; they are not.
            let deadline = ContinuousClock.now + .seconds(10)
            var sent = try await app.store.outboxAfterJobs()
            while !sent.contains(where: { $0.recipient == org.managerEmail && $0.subject.contains("will not go ahead") }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
                sent = try await app.store.outboxAfterJobs()
            }
            #expect(sent.filter { $0.recipient == org.managerEmail && $0.subject.contains("will not go ahead") }.count == 1)
            #expect(!sent.contains { $0.recipient == org.participantEmail && $0.subject.contains("will not go ahead") })

            // Enrolling them again is refused, saying why, and enrols nobody from the same request.
            let before = try await app.store.enrolments(in: programme.id, by: org.manager).count
            await #expect(throws: StoreError.self) {
                _ = try await app.store.enrol(personIDs: [org.participant.personID], in: programme.id, by: org.manager)
            }
            do {
                _ = try await app.store.enrol(personIDs: [org.participant.personID, org.admin.personID], in: programme.id, by: org.manager)
                Issue.record("a deactivated person was enrolled")
            } catch let error as StoreError {
                #expect(error.errorDescription?.contains("deactivated by your identity provider") == true, "\(error)")
            }
            #expect(try await app.store.enrolments(in: programme.id, by: org.manager).count == before)
            let on = #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"replace","value":{"active":true}}]}"#
            _ = try await scim(app, .patch, "/scim/v2/Users/\(id)", token: token, json: on)
            #expect(try await app.store.enrol(personIDs: [org.participant.personID], in: programme.id, by: org.manager).added == 1)
        }
    }

    @Test("Entra ID's create and path-style PATCH: name parts, department, manager, ignored emails path; an unknown path is invalidPath", arguments: TestBackend.all)
    func entraPatch(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createSCIMToken(by: org.admin)
            // Entra's connection test: a filter on a random userName.
            let (probe, none) = try await scim(app, .get, "/scim/v2/Users?filter=userName+eq+%22a1b2c3d4-0000%22", token: token)
            #expect(probe.status == .ok && none["totalResults"] as? Int == 0)
            let create = """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","\(Self.enterprise)"],"externalId":"ana.silva",\
                "userName":"ana.silva@acme.example","active":true,"displayName":"Ana Silva",\
                "emails":[{"primary":true,"type":"work","value":"ana.silva@acme.example"}],"meta":{"resourceType":"User"},\
                "name":{"familyName":"Silva","givenName":"Ana"},"title":"Engineer",\
                "\(Self.enterprise)":{"department":"Data"}}
                """
            let (created, user) = try await scim(app, .post, "/scim/v2/Users", token: token, json: create)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(user["id"] as? String)
            #expect((user[Self.enterprise] as? [String: Any])?["department"] as? String == "Data")
            let managerID = org.manager.personID.uuidString.lowercased()
            let patch = """
                {"schemas":["\(Self.patchOp)"],"Operations":[\
                {"op":"Replace","path":"name.givenName","value":"Anna"},\
                {"op":"Add","path":"emails[type eq \\"work\\"].value","value":"anna@elsewhere.example"},\
                {"op":"Replace","path":"\(Self.enterprise):department","value":"Finance"},\
                {"op":"Add","path":"\(Self.enterprise):manager","value":"\(managerID)"},\
                {"op":"Replace","path":"title","value":"Lead"}]}
                """
            let (patched, after) = try await scim(app, .patch, "/scim/v2/Users/\(id)", token: token, json: patch)
            #expect(patched.status == .ok, "\(patched.text)")
            #expect((after["name"] as? [String: Any])?["formatted"] as? String == "Anna Silva")
            #expect(after["userName"] as? String == "ana.silva@acme.example", "the email is the userName; emails paths are ignored")
            let extensionPart = try #require(after[Self.enterprise] as? [String: Any])
            #expect(extensionPart["department"] as? String == "Finance")
            #expect((extensionPart["manager"] as? [String: Any])?["value"] as? String == managerID)
            let person = try #require(try await people(app, externalID: "ana.silva", organisationID: org.admin.organisationID).first)
            #expect(person.name == "Anna Silva" && person.department == "Finance" && person.managerID == org.manager.personID)
            // Removing the manager, and a family name.
            let remove = #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"Remove","path":"\#(Self.enterprise):manager"},{"op":"Replace","path":"name.familyName","value":"Costa"}]}"#
            let (_, removed) = try await scim(app, .patch, "/scim/v2/Users/\(id)", token: token, json: remove)
            #expect((removed[Self.enterprise] as? [String: Any])?["manager"] == nil)
            #expect((removed["name"] as? [String: Any])?["formatted"] as? String == "Anna Costa")

            let unknown = #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"Replace","path":"favouriteColour","value":"blue"}]}"#
            expectError(try await scim(app, .patch, "/scim/v2/Users/\(id)", token: token, json: unknown), .badRequest, "invalidPath", "unknown path")
            // A refused patch changes nothing, even the operations before the bad one.
            let half = #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"Replace","path":"displayName","value":"Zed"},{"op":"Replace","path":"active","value":"maybe"}]}"#
            expectError(try await scim(app, .patch, "/scim/v2/Users/\(id)", token: token, json: half), .badRequest, "invalidValue", "active maybe")
            #expect(try await people(app, externalID: "ana.silva", organisationID: org.admin.organisationID).first?.name == "Anna Costa")
        }
    }

    @Test("Without the organisation's current token every SCIM address is 401; another organisation's token cannot see its people", arguments: TestBackend.all)
    func authentication(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let acme = try await Seeds.organisation("Acme", in: app.store)
            let globex = try await Seeds.organisation("Globex", in: app.store)
            let first = try await app.store.createSCIMToken(by: acme.admin)
            let apiToken = try await app.store.createAPIToken(named: "admin", scope: .admin, for: acme.admin).secret
            let scimRoutes = app.routes.filter { $0.path.hasPrefix("/scim/") }
            #expect(scimRoutes.count == 11)
            let someone = acme.participant.personID.uuidString.lowercased()
            for route in scimRoutes {
                let path = route.path.replacingOccurrences(of: ":id", with: route.path.contains("Users") ? someone : "User")
                let method = HTTPRequest.Method(route.method)!
                let body = method == .get || method == .delete ? nil : #"{"userName":"x@acme.example","active":false}"#
                for token in [nil, "scim_wrong", apiToken, "Basic \(first)"] as [String?] {
                    let answer = try await scim(app, method, path, token: token, json: body)
                    expectError(answer, .unauthorized, nil, "\(route.method) \(route.path) with \(token?.prefix(6) ?? "none")")
                    #expect(answer.0.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                }
            }
            // A signed-in admin's browser session is not a SCIM credential either.
            let browser = try await app.signedIn(acme.adminEmail)
            #expect(try await browser.get("/scim/v2/Users").status == .unauthorized)
            #expect(try await app.store.identity(forSessionToken: "x") == nil)
            #expect(try await Person.find(acme.participant.personID, on: try app.store.database.database())?.deactivatedAt == nil)

            // The first token works, then stops when rotated; the new one works until revoked.
            #expect(try await scim(app, .get, "/scim/v2/Users", token: first).0.status == .ok)
            let second = try await app.store.rotateSCIMToken(by: acme.admin)
            expectError(try await scim(app, .get, "/scim/v2/Users", token: first), .unauthorized, nil, "rotated")
            #expect(try await scim(app, .get, "/scim/v2/ServiceProviderConfig", token: second).0.status == .ok)
            try await app.store.revokeSCIMToken(by: acme.admin)
            expectError(try await scim(app, .get, "/scim/v2/Users", token: second), .unauthorized, nil, "revoked")

            // Globex's token reads only Globex: Acme's people are 404 and absent from lists.
            let globexToken = try await app.store.createSCIMToken(by: globex.admin)
            expectError(try await scim(app, .get, "/scim/v2/Users/\(someone)", token: globexToken), .notFound, nil, "foreign id")
            let patch = #"{"schemas":["\#(Self.patchOp)"],"Operations":[{"op":"replace","value":{"active":false}}]}"#
            expectError(try await scim(app, .patch, "/scim/v2/Users/\(someone)", token: globexToken, json: patch), .notFound, nil, "foreign patch")
            expectError(try await scim(app, .delete, "/scim/v2/Users/\(someone)", token: globexToken), .notFound, nil, "foreign delete")
            let filter = "/scim/v2/Users?filter=" + "userName eq \"\(acme.participantEmail)\"".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let (_, list) = try await scim(app, .get, filter, token: globexToken)
            #expect(list["totalResults"] as? Int == 0)
            let (_, all) = try await scim(app, .get, "/scim/v2/Users", token: globexToken)
            #expect((all["Resources"] as? [[String: Any]])?.allSatisfy { ($0["userName"] as? String)?.hasSuffix("globex.example") == true } == true)
            #expect(try await Person.find(acme.participant.personID, on: try app.store.database.database())?.deactivatedAt == nil)
        }
    }

    @Test("CSV then SCIM, and SCIM then CSV, update one person: externalId is the CSV id; SCIM leaves skills alone", arguments: TestBackend.all)
    func csvAndSCIMShareTheKey(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let organisationID = org.admin.organisationID
            let token = try await app.store.createSCIMToken(by: org.admin)
            let csv = "id,name,email,department,level,timezone,strengths\nE100,Eve Imported,eve@acme.example,Data,3,Europe/Lisbon,SQL:4\n"
            let imported = try await app.store.importPeople(into: organisationID, csv: csv, options: .init(mode: .allOrNothing))
            #expect(imported.created == 1)
            let eve = try #require(try await people(app, externalID: "E100", organisationID: organisationID).first)
            let skillsBefore = try await PersonSkill.query(on: try app.store.database.database()).filter(\.$personID == eve.id!).count()
            #expect(skillsBefore == 1)

            let create = #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"externalId":"E100","userName":"eve@acme.example","name":{"givenName":"Eve","familyName":"Provisioned"},"active":true}"#
            let (linked, user) = try await scim(app, .post, "/scim/v2/Users", token: token, json: create)
            #expect(linked.status == .ok, "an existing person is updated, not created: \(linked.text)")
            #expect(user["id"] as? String == eve.id?.uuidString.lowercased())
            let after = try await people(app, externalID: "E100", organisationID: organisationID)
            #expect(after.count == 1 && after.first?.name == "Eve Provisioned" && after.first?.department == "Data" && after.first?.timeZone == "Europe/Lisbon")
            #expect(try await PersonSkill.query(on: try app.store.database.database()).filter(\.$personID == eve.id!).count() == skillsBefore)

            // The reverse: SCIM first, then the HR file with the same id.
            let scimFirst = #"{"externalId":"E200","userName":"finn@acme.example","name":{"formatted":"Finn Scim"}}"#
            let (made, finn) = try await scim(app, .post, "/scim/v2/Users", token: token, json: scimFirst)
            #expect(made.status == .created)
            let report = try await app.store.importPeople(
                into: organisationID, csv: "id,name,email,department\nE200,Finn Hr,finn@acme.example,Sales\n", options: .init(mode: .allOrNothing))
            #expect(report.created == 0 && report.changed == 1, "\(report)")
            let finnNow = try await people(app, externalID: "E200", organisationID: organisationID)
            #expect(finnNow.count == 1 && finnNow.first?.id?.uuidString.lowercased() == finn["id"] as? String && finnNow.first?.name == "Finn Hr")
            let (_, read) = try await scim(app, .get, "/scim/v2/Users/\(finn["id"] as? String ?? "")", token: token)
            #expect((read[Self.enterprise] as? [String: Any])?["department"] as? String == "Sales")

            // Another person's email is a uniqueness conflict, whatever the externalId.
            let clash = #"{"externalId":"E300","userName":"eve@acme.example","name":{"formatted":"Someone Else"}}"#
            expectError(try await scim(app, .post, "/scim/v2/Users", token: token, json: clash), .conflict, "uniqueness", "duplicate userName")
            #expect(try await people(app, externalID: "E300", organisationID: organisationID).isEmpty)
        }
    }

    @Test("50 parallel creates of one user make one person (with externalId: one 201, the rest 200; without: one 201, the rest 409)", arguments: TestBackend.all)
    func parallelCreates(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createSCIMToken(by: org.admin)
            for (externalID, email) in [("00u-race", "race@acme.example"), (nil, "nokey@acme.example")] as [(String?, String)] {
                let externalPart = externalID.map { "\"externalId\":\"\($0)\"," } ?? ""
                let body = #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],\#(externalPart)"userName":"\#(email)","name":{"givenName":"Ray","familyName":"Race"},"active":true}"#
                let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                    for _ in 0..<50 { group.addTask { try await scim(app, .post, "/scim/v2/Users", token: token, json: body).0.status } }
                    var statuses: [HTTPResponse.Status] = []
                    for try await status in group { statuses.append(status) }
                    return statuses
                }
                let count = try await Person.query(on: try app.store.database.database()).filter(\.$organisationID == org.admin.organisationID)
                    .filter(\.$email == email).count()
                #expect(count == 1, "\(email): \(count) people")
                #expect(statuses.filter { $0 == .created }.count == 1, "\(statuses.map(\.code))")
                #expect(statuses.filter { $0 == (externalID == nil ? .conflict : .ok) }.count == 49, "\(statuses.map(\.code))")
            }
            let made = try await events(app, .personProvisioned).filter { $0.payload.contains("\"created\":true") }
            #expect(made.count == 2)
        }
    }

    @Test("Bad input is a SCIM error saying what to fix, never a 500, and changes nothing", arguments: TestBackend.all)
    func badInput(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createSCIMToken(by: org.admin)
            let peopleBefore = try await Person.query(on: try app.store.database.database()).count()
            let creates: [(String, String)] = [
                ("not json", "invalidSyntax"), ("[]", "invalidSyntax"), ("", "invalidSyntax"),
                (#"{"name":{"formatted":"No User Name"}}"#, "invalidValue"),
                (#"{"userName":5,"name":{"formatted":"A"}}"#, "invalidValue"),
                (#"{"userName":"not-an-email","name":{"formatted":"A"}}"#, "invalidValue"),
                (#"{"userName":"a@acme.example"}"#, "invalidValue"),
                (#"{"userName":"a@acme.example","name":"A"}"#, "invalidValue"),
                (#"{"userName":"a@acme.example","name":{"formatted":"A"},"externalId":""}"#, "invalidValue"),
                (#"{"userName":"a@acme.example","name":{"formatted":"A"},"externalId":"\#(String(repeating: "x", count: 101))"}"#, "invalidValue"),
                (#"{"userName":"a@acme.example","name":{"formatted":"A\u0007"}}"#, "invalidValue"),
                (#"{"userName":"a@acme.example","name":{"formatted":"A"},"active":"perhaps"}"#, "invalidValue"),
                (#"{"userName":"a@acme.example","name":{"formatted":"A"},"timezone":"Mars/Olympus"}"#, "invalidValue"),
                (#"{"userName":"a@acme.example","name":{"formatted":"A"},"\#(Self.enterprise)":{"manager":{"value":"nobody"}}}"#, "invalidValue"),
                (#"{"userName":"a@acme.example","name":{"formatted":"A"},"\#(Self.enterprise)":{"department":["x"]}}"#, "invalidValue"),
            ]
            for (body, scimType) in creates {
                expectError(try await scim(app, .post, "/scim/v2/Users", token: token, json: body), .badRequest, scimType, body)
            }
            #expect(try await Person.query(on: try app.store.database.database()).count() == peopleBefore)

            let id = org.participant.personID.uuidString.lowercased()
            let patches: [(String, String)] = [
                (#"{"Operations":[]}"#, "invalidSyntax"), (#"{"Operations":{"op":"replace"}}"#, "invalidSyntax"),
                (#"{"Operations":[{"op":"move","path":"active","value":false}]}"#, "invalidSyntax"),
                (#"{"Operations":[{"op":"replace","path":"active"}]}"#, "invalidValue"),
                (#"{"Operations":[{"op":"remove"}]}"#, "noTarget"),
                (#"{"Operations":[{"op":"replace","path":"id","value":"x"}]}"#, "mutability"),
                (#"{"Operations":[{"op":"remove","path":"externalId"}]}"#, "mutability"),
                (#"{"Operations":[{"op":"replace","value":"active"}]}"#, "invalidValue"),
                (#"{"Operations":[{"op":"replace","path":"userName","value":"admin@acme.example"}]}"#, "uniqueness"),
                (#"{"Operations":[{"op":"remove","path":"name.formatted"}]}"#, "invalidValue"),
            ]
            for (body, scimType) in patches {
                let status: HTTPResponse.Status = scimType == "uniqueness" ? .conflict : .badRequest
                expectError(try await scim(app, .patch, "/scim/v2/Users/\(id)", token: token, json: body), status, scimType, body)
            }
            let queries: [(String, String)] = [
                ("/scim/v2/Users?filter=displayName%20co%20%22a%22", "invalidFilter"), ("/scim/v2/Users?filter=userName%20eq%20bare", "invalidFilter"),
                ("/scim/v2/Users?startIndex=abc", "invalidValue"), ("/scim/v2/Users?count=1.5", "invalidValue"),
            ]
            for (path, scimType) in queries { expectError(try await scim(app, .get, path, token: token), .badRequest, scimType, path) }
            expectError(try await scim(app, .get, "/scim/v2/Users/not-a-uuid", token: token), .notFound, nil, "bad id")
            expectError(try await scim(app, .get, "/scim/v2/Users/\(UUID().uuidString)", token: token), .notFound, nil, "unknown id")
            expectError(try await scim(app, .get, "/scim/v2/Groups", token: token), .notFound, nil, "no groups")
            let wrongMethod = try await scim(app, .post, "/scim/v2/Users/\(id)", token: token, json: "{}")
            expectError(wrongMethod, .methodNotAllowed, nil, "POST to a user")
            #expect(wrongMethod.0.headers[.allow]?.contains("PATCH") == true)
            // Paging: count=0 gives the total only; startIndex below 1 counts as 1.
            let (_, counted) = try await scim(app, .get, "/scim/v2/Users?count=0", token: token)
            #expect(counted["totalResults"] as? Int == 3 && (counted["Resources"] as? [Any])?.isEmpty == true)
            let (_, second) = try await scim(app, .get, "/scim/v2/Users?startIndex=2&count=1", token: token)
            #expect(second["startIndex"] as? Int == 2 && (second["Resources"] as? [Any])?.count == 1 && second["itemsPerPage"] as? Int == 1)
            #expect(try await Person.find(org.participant.personID, on: try app.store.database.database())?.deactivatedAt == nil)
        }
    }

    @Test("The discovery documents answer; DELETE deactivates and answers 204", arguments: TestBackend.all)
    func discoveryAndDelete(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createSCIMToken(by: org.admin)
            let (config, configBody) = try await scim(app, .get, "/scim/v2/ServiceProviderConfig", token: token)
            #expect(config.status == .ok && (configBody["patch"] as? [String: Any])?["supported"] as? Bool == true)
            let (_, types) = try await scim(app, .get, "/scim/v2/ResourceTypes", token: token)
            #expect(((types["Resources"] as? [[String: Any]])?.first?["endpoint"] as? String) == "/Users")
            #expect(try await scim(app, .get, "/scim/v2/ResourceTypes/User", token: token).0.status == .ok)
            let (_, schemas) = try await scim(app, .get, "/scim/v2/Schemas", token: token)
            #expect((schemas["Resources"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["urn:ietf:params:scim:schemas:core:2.0:User", Self.enterprise])
            #expect(try await scim(app, .get, "/scim/v2/Schemas/\(Self.enterprise)", token: token).0.status == .ok)

            let id = org.participant.personID.uuidString.lowercased()
            let (deleted, _) = try await scim(app, .delete, "/scim/v2/Users/\(id)", token: token)
            #expect(deleted.status == .noContent)
            let (_, user) = try await scim(app, .get, "/scim/v2/Users/\(id)", token: token)
            #expect(user["active"] as? Bool == false)
            // Deactivating twice records one deactivation.
            #expect(try await scim(app, .delete, "/scim/v2/Users/\(id)", token: token).0.status == .noContent)
            #expect(try await events(app, .personDeactivated).count == 1)
        }
    }

    @Test("The admin page makes, shows once, rotates and revokes the token, each in the audit log; only admins reach it", arguments: TestBackend.all)
    func adminPage(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let admin = try await app.signedIn(org.adminEmail)
            let empty = try await admin.get("/admin/provisioning")
            #expect(empty.status == .ok && empty.text.contains("http://mutual.test/scim/v2") && empty.text.contains("Create a provisioning token"))
            #expect(try await admin.get("/dashboard").text.contains("href=\"/admin/provisioning\""))
            let created = try await admin.post("/admin/provisioning/token")
            #expect(created.status == .ok)
            let secret = try #require(created.text.firstMatch(of: /id="new-token"[^>]*>(scim_[A-Za-z0-9_-]+)</).map { String($0.1) })
            #expect(try await scim(app, .get, "/scim/v2/Users", token: secret).0.status == .ok)
            let shown = try await admin.get("/admin/provisioning")
            #expect(!shown.text.contains(secret) && shown.text.contains(String(secret.prefix(11))))
            #expect(try await admin.post("/admin/provisioning/token").status == .conflict)
            let rotated = try await admin.post("/admin/provisioning/token/rotate")
            let newSecret = try #require(rotated.text.firstMatch(of: /id="new-token"[^>]*>(scim_[A-Za-z0-9_-]+)</).map { String($0.1) })
            #expect(newSecret != secret)
            #expect(try await scim(app, .get, "/scim/v2/Users", token: secret).0.status == .unauthorized)
            #expect(try await admin.post("/admin/provisioning/token/revoke").status == .ok)
            #expect(try await scim(app, .get, "/scim/v2/Users", token: newSecret).0.status == .unauthorized)
            #expect(try await admin.post("/admin/provisioning/token/revoke").status == .notFound)
            try await app.store.runDueJobs()
            for type in [EventType.scimTokenCreated, .scimTokenRotated, .scimTokenRevoked] {
                let log = try await app.store.auditLog(AuditQuery(type: type), of: org.admin)
                #expect(log.lines.count == 1 && log.lines.first?.actorPersonID == org.admin.personID, "\(type)")
            }
            #expect(try await app.signedIn(org.participantEmail).get("/admin/provisioning").status == .forbidden)
        }
    }
}
