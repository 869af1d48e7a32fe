import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

/// The rules every typed API body follows: snake_case keys by strategy, unknown keys and
/// `null` refused with the field named, enumerations answered with their values.
@Suite("API body rules")
struct APIBodyRulesTests {
    func call(
        _ app: TestApp, _ method: HTTPRequest.Method, _ path: String, token: String, json: String? = nil
    ) async throws -> (HTTPResponse.Status, [String: Any]) {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if json != nil { headers[.contentType] = "application/json" }
        let response = try await app.client.executeRequest(uri: path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
        return (response.status, (try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) as? [String: Any] ?? [:])
    }

    @Test("The directory writes external_id and timezone (snake_case), as the profile does")
    func directoryKeysAreSnakeCase() async throws {
        try await withTestApp(.sqlite) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", for: org.admin).secret
            let (status, page) = try await call(app, .get, "/api/v1/people", token: token)
            #expect(status == .ok)
            let first = try #require((page["items"] as? [[String: Any]])?.first)
            #expect(first["external_id"] is String)
            #expect(first["timezone"] is String)
            #expect(first["externalID"] == nil && first["timeZone"] == nil)
            #expect(page["page_size"] as? Int == 25)
        }
    }

    @Test("null for a field that can be left out is refused and named; manager_id: null still removes the manager")
    func nullIsRefusedWhereItMeansNothing() async throws {
        try await withTestApp(.sqlite) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", for: org.admin).secret
            let before = try await app.store.invitations(of: org.admin).count
            let (status, problem) = try await call(app, .post, "/api/v1/invitations", token: token, json: #"{"email":"new@acme.example","role":null}"#)
            #expect(status == .unprocessableContent)
            #expect(problem["field"] as? String == "role")
            #expect((problem["detail"] as? String)?.contains("cannot be null") == true)
            #expect(try await app.store.invitations(of: org.admin).count == before, "nothing may be written when the body is refused")

            let person = org.participant.personID
            let (patched, profile) = try await call(app, .patch, "/api/v1/people/\(person)", token: token, json: #"{"manager_id":null}"#)
            #expect(patched == .ok)
            #expect(profile["manager_id"] == nil)
        }
    }

    @Test("An enumeration's wrong value is answered with the values it takes")
    func enumerationValuesAreNamed() async throws {
        try await withTestApp(.sqlite) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", for: org.admin).secret
            let (status, problem) = try await call(
                app, .patch, "/api/v1/members/\(org.participant.accountID)", token: token, json: #"{"role":"boss"}"#)
            #expect(status == .unprocessableContent)
            #expect(problem["field"] as? String == "role")
            #expect(problem["detail"] as? String == #"The field "role" must be one of participant, programme_manager, admin."#)
        }
    }

    @Test("Unknown keys are refused with the keys the body takes, read from its type")
    func unknownKeysNameTheAcceptedOnes() async throws {
        try await withTestApp(.sqlite) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", for: org.admin).secret
            let (status, problem) = try await call(
                app, .post, "/api/v1/invitations", token: token, json: #"{"email":"x@acme.example","colour":"red"}"#)
            #expect(status == .badRequest)
            #expect(problem["field"] as? String == "colour")
            #expect((problem["detail"] as? String)?.hasSuffix("Accepted fields: email, role.") == true, "\(problem)")
        }
    }

    @Test("A programme with a blank question, or eleven, is refused rather than trimmed")
    func questionsAreCheckedNotDropped() async throws {
        try await withTestApp(.sqlite) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", for: org.manager).secret
            let base = #""name":"Swap","model":"pairs","cycle_start":"2027-01-04","cycle_end":"2027-06-30""#
            let (blank, blankProblem) = try await call(app, .post, "/api/v1/programmes", token: token, json: "{\(base),\"questions\":[\"Why?\",\" \"]}")
            #expect(blank == .unprocessableContent)
            #expect(blankProblem["field"] as? String == "questions.[1]")
            let eleven = (1...11).map { "\"Q\($0)?\"" }.joined(separator: ",")
            let (tooMany, _) = try await call(app, .post, "/api/v1/programmes", token: token, json: "{\(base),\"questions\":[\(eleven)]}")
            #expect(tooMany == .unprocessableContent)
            #expect(try await app.store.programmes(of: org.manager).isEmpty)
            let (fine, _) = try await call(app, .post, "/api/v1/programmes", token: token, json: "{\(base),\"questions\":[\"Why?\"]}")
            #expect(fine == .created)
        }
    }

    @Test("Merging into a skill that does not exist is a 422 on \"into\"; the skill in the path stays")
    func mergeIntoMissingSkill() async throws {
        try await withTestApp(.sqlite) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let token = try await app.store.createAPIToken(named: "t", for: org.admin).secret
            let skill = try await app.store.createSkill(name: "Kotlin", family: "Technical", by: org.admin)
            let (status, problem) = try await call(
                app, .post, "/api/v1/skills/\(try skill.requireID())/merge", token: token, json: "{\"into\":\"\(UUID())\"}")
            #expect(status == .unprocessableContent)
            #expect(problem["field"] as? String == "into")
            #expect(try await app.store.skills(of: org.admin).contains { $0.name == "Kotlin" })
        }
    }
}
