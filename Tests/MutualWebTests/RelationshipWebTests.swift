import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

@Suite("Relationships and self-match over the web")
struct RelationshipWebTests {
    func api(_ app: TestApp, _ method: HTTPRequest.Method, _ path: String, token: String, json: String? = nil) async throws -> (TestResponse, [String: Any]) {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await app.client.executeRequest(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return (response, (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [String: Any] ?? [:])
    }

    @Test("Members write and sign the agreement on the relationship page, and one of them unwinds it", arguments: TestBackend.all)
    func agreementPages(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (programme, id) = try await ProgrammeSeeds.relationship(app.store, org)
            let pia = try await app.signedIn(org.participantEmail)
            let matches = try await pia.get("/matches")
            #expect(matches.text.contains("/relationships/\(id)") && matches.text.contains("agreement not signed by everyone yet"))

            let page = try await pia.get("/relationships/\(id)")
            #expect(page.status == .ok && page.text.contains("Max Manager (Hiring 4)"))
            #expect(page.text.contains("Not written yet."), "\(page.text)")
            // Signing before the vision is written says what to do.
            let early = try await pia.post("/relationships/\(id)/sign", form: ["version": "1"])
            #expect(early.status == .unprocessableContent && early.text.contains("Write down the shared vision"))

            let saved = try await pia.post(
                "/relationships/\(id)/agreement",
                form: [
                    "vision": "Hire and analyse with confidence", "goals": "My first structured interview", "boundaries": "No salary talk",
                    "confidentiality": "Stays between us", "cadence": "Every two weeks", "structure": "formal",
                ])
            #expect(saved.status == .ok && saved.text.contains("Agreement saved.") && saved.text.contains("version 2"))
            let badStructure = try await pia.post("/relationships/\(id)/agreement", form: ["vision": "x", "structure": "chaotic"])
            #expect(badStructure.status == .unprocessableContent && badStructure.text.contains("Choose formal or informal"))
            // A stale version (someone changed it since) is refused with what to do.
            let stale = try await pia.post("/relationships/\(id)/sign", form: ["version": "1"])
            #expect(stale.status == .conflict && stale.text.contains("Read the new version and sign again"))
            let signed = try await pia.post("/relationships/\(id)/sign", form: ["version": "2"])
            #expect(signed.text.contains("You signed the agreement.") && signed.text.contains("Not signed by everyone yet"))

            let max = try await app.signedIn(org.managerEmail)
            let maxSigns = try await max.post("/relationships/\(id)/sign", form: ["version": "2"])
            #expect(maxSigns.text.contains("Signed by everyone."))
            #expect(try await max.get("/programmes/\(programme.id)").text.contains("agreement signed"))

            // Another participant cannot see it at all.
            let olga = try await Seeds.participant("Olga", in: org, store: app.store, strengths: [], wants: [])
            _ = olga
            let outsider = try await app.signedIn("olga@acme.example")
            #expect(try await outsider.get("/relationships/\(id)").status == .notFound)

            let unwound = try await pia.post("/relationships/\(id)/status", form: ["status": "dissolved", "reason": "Our diaries never meet"])
            #expect(unwound.text.contains("The relationship is now ended early (unwound).") && unwound.text.contains("Our diaries never meet"))
            #expect(try await pia.post("/relationships/\(id)/status", form: ["status": "active"]).status == .conflict)
            #expect(try await pia.post("/relationships/\(id)/status", form: ["status": "finished"]).status == .unprocessableContent)
        }
    }

    @Test("The relationships API reads, writes, signs and ends a relationship", arguments: TestBackend.all)
    func relationshipsAPI(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (programme, id) = try await ProgrammeSeeds.relationship(app.store, org)
            let pia = try await app.store.createAPIToken(named: "p", for: org.participant).secret
            let max = try await app.store.createAPIToken(named: "m", for: org.manager).secret
            let (list, listed) = try await api(app, .get, "/api/v1/relationships", token: pia)
            #expect(list.status == .ok && (listed["items"] as? [[String: Any]])?.first?["id"] as? String == id.uuidString)
            let (matches, _) = try await api(app, .get, "/api/v1/matches", token: pia)
            #expect(matches.text.contains(#""relationship_id":"\#(id.uuidString)""#))

            let (written, relationship) = try await api(
                app, .put, "/api/v1/relationships/\(id)/agreement", token: pia, json: #"{"vision": "Grow together", "cadence": "Monthly"}"#)
            #expect(written.status == .ok)
            let agreement = try #require(relationship["agreement"] as? [String: Any])
            #expect(agreement["version"] as? Int == 2 && agreement["vision"] as? String == "Grow together" && agreement["structure"] as? String == "informal")
            let (unknownKey, _) = try await api(app, .put, "/api/v1/relationships/\(id)/agreement", token: pia, json: #"{"visoin": "typo"}"#)
            #expect(unknownKey.status == .unprocessableContent || unknownKey.status == .badRequest)
            let (stale, _) = try await api(app, .post, "/api/v1/relationships/\(id)/sign", token: pia, json: #"{"version": 1}"#)
            #expect(stale.status == .conflict)
            #expect(try await api(app, .post, "/api/v1/relationships/\(id)/sign", token: pia, json: #"{"version": 2}"#).0.status == .ok)
            let (_, both) = try await api(app, .post, "/api/v1/relationships/\(id)/sign", token: max, json: #"{"version": 2}"#)
            #expect(both["signed"] as? Bool == true)

            let (byProgramme, all) = try await api(app, .get, "/api/v1/programmes/\(programme.id)/relationships", token: max)
            #expect(byProgramme.status == .ok && (all["items"] as? [Any])?.count == 1)
            #expect(try await api(app, .get, "/api/v1/programmes/\(programme.id)/relationships", token: pia).0.status == .forbidden)
            let (paused, pausedBody) = try await api(app, .post, "/api/v1/relationships/\(id)/status", token: max, json: #"{"status": "paused"}"#)
            #expect(paused.status == .ok && pausedBody["status"] as? String == "paused")
            #expect(try await api(app, .post, "/api/v1/relationships/\(id)/status", token: max, json: #"{"status": "gone"}"#).0.status == .unprocessableContent)
        }
    }

    @Test("A participant finds a peer, asks them, and the peer accepts on My matches; the API does the same", arguments: TestBackend.all)
    func selfMatch(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let pool = try await ProgrammeSeeds.selfMatchPool(app.store, org, capacity: 2)
            let xena = try await app.signedIn("xena@acme.example")
            let programmePage = try await xena.get("/programmes/\(pool.programme.id)")
            #expect(programmePage.text.contains("/programmes/\(pool.programme.id)/suggestions"))
            let suggestions = try await xena.get("/programmes/\(pool.programme.id)/suggestions")
            #expect(suggestions.status == .ok && suggestions.text.contains("Ask Bo") && suggestions.text.contains("Ask Ari") && !suggestions.text.contains("Ask Cy"))
            let asked = try await xena.post("/programmes/\(pool.programme.id)/requests", form: ["person": pool.bo.personID.uuidString, "message": "Coffee?"])
            #expect(asked.text.contains("Request sent.") && asked.text.contains("You asked Bo; waiting for an answer."))
            let forbidden = try await xena.post("/programmes/\(pool.programme.id)/requests", form: ["person": pool.cy.personID.uuidString])
            #expect(forbidden.status == .conflict && forbidden.text.contains("do not allow you and Cy"))
            let garbage = try await xena.post("/programmes/\(pool.programme.id)/requests", form: ["person": "not-an-id"])
            #expect(garbage.status == .notFound || garbage.status == .badRequest || garbage.status == .unprocessableContent)

            let bo = try await app.signedIn("bo@acme.example")
            let inbox = try await bo.get("/matches")
            #expect(inbox.text.contains("Xena asked you") && inbox.text.contains("Coffee?"))
            let request = try #require(try await app.store.matchRequests(of: pool.bo).first)
            let accepted = try await bo.post("/requests/\(request.id)/accept")
            #expect(accepted.text.contains("You accepted.") && accepted.text.contains("Xena, Bo"))

            // The same through the API: Ari asks Xena, Xena accepts.
            let ari = try await app.store.createAPIToken(named: "a", for: pool.ari).secret
            let xenaToken = try await app.store.createAPIToken(named: "x", for: pool.xena).secret
            let (ranked, list) = try await api(app, .get, "/api/v1/programmes/\(pool.programme.id)/suggestions", token: ari)
            #expect(ranked.status == .ok && (list["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Xena"])
            let (sent, created) = try await api(
                app, .post, "/api/v1/programmes/\(pool.programme.id)/requests", token: ari, json: #"{"person_id": "\#(pool.xena.personID.uuidString)"}"#)
            #expect(sent.status == .created)
            let requestID = try #require(created["id"] as? String)
            let (_, requests) = try await api(app, .get, "/api/v1/requests", token: xenaToken)
            #expect((requests["items"] as? [[String: Any]])?.contains { $0["id"] as? String == requestID && $0["incoming"] as? Bool == true } == true)
            #expect(try await api(app, .post, "/api/v1/requests/\(requestID)/respond", token: ari, json: #"{"accept": true}"#).0.status == .forbidden)
            #expect(try await api(app, .post, "/api/v1/requests/\(requestID)/respond", token: xenaToken, json: #"{"accept": true}"#).0.status == .noContent)
            #expect(try await app.store.myRelationships(of: pool.xena).count == 2)
            #expect(try await api(app, .post, "/api/v1/requests/\(requestID)/withdraw", token: ari).0.status == .conflict)
        }
    }
}
