import Foundation
import MutualStore
import MutualTestSupport
import Testing

/// The OpenAPI document states the input rules the server enforces, so a client (and
/// schemathesis) knows them before sending: every free-text string a client sends, in a request
/// body or the query, has a `maxLength` and a `pattern` that excludes control characters
/// (`scripts/openapi_text_rules.py` writes them).
@Suite("API contract: text rules in the document")
struct APITextRulesDocumentTests {
    /// How both of the script's patterns begin: no character from U+0000 up.
    static let controlRange = "^[^\\u0000-\\u00"

    @Test("Every text a client sends has a length limit and the control-character rule")
    func everyTextHasRules() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.client.executeRequest(uri: "/api/openapi.json", method: .get, headers: [:], body: nil)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]] ?? [:]
            var problems: [String] = []
            func check(_ schema: [String: Any], at place: String) {
                guard schema["type"] as? String == "string", schema["enum"] == nil, schema["format"] == nil,
                    schema["anyOf"] == nil
                else { return }
                guard let pattern = schema["pattern"] as? String else {
                    problems.append("\(place): no pattern")
                    return
                }
                // A fixed form (a date, a time) is anchored and bounds its own length.
                if pattern.hasPrefix("^(") && pattern.hasSuffix(")$") { return }
                if schema["maxLength"] == nil { problems.append("\(place): no maxLength") }
                if !pattern.hasPrefix(Self.controlRange) {
                    problems.append("\(place): pattern \(pattern) admits control characters")
                }
            }
            func references(_ node: Any) -> [String] {
                if let object = node as? [String: Any] {
                    return (object["$ref"] as? String).map { [String($0.split(separator: "/").last ?? "")] } ?? []
                        + object.values.flatMap(references)
                }
                if let array = node as? [Any] { return array.flatMap(references) }
                return []
            }
            var requestSchemas: Set<String> = []
            for (path, operations) in document["paths"] as? [String: [String: Any]] ?? [:] {
                for (method, operation) in operations {
                    guard let operation = operation as? [String: Any] else { continue }
                    if let body = operation["requestBody"] { requestSchemas.formUnion(references(body)) }
                    for parameter in operation["parameters"] as? [[String: Any]] ?? [] where parameter["in"] as? String == "query" {
                        check(parameter["schema"] as? [String: Any] ?? [:], at: "\(method.uppercased()) \(path) ?\(parameter["name"] ?? "")")
                    }
                }
            }
            var pending = Array(requestSchemas)
            while let name = pending.popLast() {
                for next in references(schemas[name] ?? [:]) where requestSchemas.insert(next).inserted { pending.append(next) }
            }
            #expect(requestSchemas.contains("ProfilePatch") && requestSchemas.contains("KPI"), "the walk reaches nested request schemas")
            for name in requestSchemas.sorted() {
                for (property, schema) in schemas[name]?["properties"] as? [String: [String: Any]] ?? [:] {
                    if schema["type"] as? String == "array", let items = schema["items"] as? [String: Any] {
                        check(items, at: "\(name).\(property)[]")
                    } else {
                        check(schema, at: "\(name).\(property)")
                    }
                }
            }
            #expect(problems.isEmpty, "\(problems.sorted().joined(separator: "\n"))")
        }
    }

    @Test("The document's limits are TextLimits")
    func limitsAgree() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.client.executeRequest(uri: "/api/openapi.json", method: .get, headers: [:], body: nil)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: [String: Any]] ?? [:]
            func limit(_ schema: String, _ property: String) -> Int? {
                ((schemas[schema]?["properties"] as? [String: Any])?[property] as? [String: Any])?["maxLength"] as? Int
            }
            #expect(limit("ProfilePatch", "name") == TextLimits.name)
            #expect(limit("ProfilePatch", "department") == TextLimits.department)
            #expect(limit("ProfilePatch", "timezone") == TextLimits.timeZone)
            #expect(limit("ProfilePatch", "bio") == TextLimits.bio)
            #expect(limit("SkillRequest", "name") == TextLimits.skillName)
            #expect(limit("SkillRequest", "family") == TextLimits.skillFamily)
            #expect(limit("ProgrammeRequest", "name") == TextLimits.programmeName)
            #expect(limit("ProgrammeRequest", "description") == TextLimits.programmeText)
            #expect(limit("Objective", "goal") == TextLimits.objectiveGoal)
            #expect(limit("AgreementUpdate", "vision") == TextLimits.agreementField)
            #expect(limit("MatchRequestCreate", "message") == TextLimits.message)
            #expect(limit("SelfEnrolRequest", "goals") == TextLimits.enrolmentText)
        }
    }
}
