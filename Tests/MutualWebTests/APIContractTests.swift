import Foundation
import MutualTestSupport
import MutualWeb
import Testing

/// The OpenAPI document against the Swift types the handlers read and answer: every API route
/// is typed, and each body's recorded shape (keys, required keys, types, formats, enumerations)
/// must be exactly the document's schema. A field added to one and not the other fails here.
@Suite("API contract: the OpenAPI document and the body types agree")
struct APIContractTests {
    /// Routes whose bodies are not JSON: the CSV export answers a file.
    /// Downloads rather than typed bodies: the people CSV, and the two privacy exports (JSON files
    /// whose parts follow the database's tables, streamed with `Content-Disposition: attachment`).
    static let notJSON: Set<String> = ["GET /api/v1/people/export", "GET /api/v1/me/export", "GET /api/v1/organisation/export"]
    /// Routes that read a body the decoder does not: CSV files and the rules document (read by
    /// `RulesFile`, whose own errors name the field).
    static let rawRequest: Set<String> = [
        "POST /api/v1/people/import", "POST /api/v1/programmes/{id}/enrolments/import",
        "PUT /api/v1/programmes/{id}/rules", "POST /api/v1/programmes/{id}/rules/effect",
    ]

    @Test("Every API route has a typed contract, and every body's shape is the document's schema")
    func documentMatchesTypes() async throws {
        try await withTestApp(.sqlite) { app in
            let response = try await app.client.executeRequest(uri: "/api/openapi.json", method: .get, headers: [:], body: nil)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.text.utf8)) as? [String: Any])
            let checker = SchemaChecker(document: document)
            var problems: [String] = []
            for route in app.routes where route.path.hasPrefix("/api/v1/") {
                let name = "\(route.method) \(route.path.replacingOccurrences(of: ":id", with: "{id}"))"
                if Self.notJSON.contains(name) { continue }
                guard let contract = app.contracts["\(route.method) \(route.path)"] else {
                    problems.append("\(name): registered without a typed contract (use RouteTable.api)")
                    continue
                }
                guard let operation = checker.operation(name) else {
                    problems.append("\(name): not in the document")
                    continue
                }
                let responses = operation["responses"] as? [String: Any] ?? [:]
                guard let answer = responses[String(contract.status)] as? [String: Any] else {
                    problems.append("\(name): the document has no \(contract.status) answer")
                    continue
                }
                let answerSchema = ((answer["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"]
                if let shape = try contract.response?() {
                    if let answerSchema {
                        problems += checker.mismatches(shape, answerSchema, at: "\(name) → \(contract.status)", nullable: false)
                    } else {
                        problems.append("\(name): the \(contract.status) answer has no JSON schema, the handler answers \(shape)")
                    }
                } else if answerSchema != nil {
                    problems.append("\(name): the document gives the \(contract.status) answer a body, the handler sends none")
                }
                let requestSchema = (((operation["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["application/json"]
                    as? [String: Any])?["schema"]
                if let shape = try contract.request?() {
                    if let requestSchema {
                        problems += checker.mismatches(shape, requestSchema, at: "\(name) request", nullable: false)
                    } else {
                        problems.append("\(name): the handler reads a JSON body the document does not describe")
                    }
                } else if requestSchema != nil, !Self.rawRequest.contains(name) {
                    problems.append("\(name): the document describes a JSON request body the handler does not read")
                }
            }
            if let dump = ProcessInfo.processInfo.environment["MUTUAL_CONTRACT_DUMP"] {
                // For fixing the document after a deliberate change: scripts/openapi_sync.py reads this.
                var shapes: [String: Any] = [:]
                for (key, contract) in app.contracts {
                    let name = key.replacingOccurrences(of: ":id", with: "{id}")
                    shapes[name] = [
                        "status": contract.status, "response": try contract.response.map { try Self.json($0()) } ?? NSNull(),
                        "request": try contract.request.map { try Self.json($0()) } ?? NSNull(),
                    ]
                }
                try JSONSerialization.data(withJSONObject: shapes, options: [.sortedKeys, .prettyPrinted]).write(to: URL(fileURLWithPath: dump))
            }
            #expect(problems.isEmpty, "\(problems.count) disagreements:\n\(problems.joined(separator: "\n"))")
        }
    }

    static func json(_ shape: APIShape) -> Any {
        switch shape {
        case .object(let fields):
            return ["object": fields.mapValues { ["optional": $0.optional, "nullable": $0.nullable, "shape": json($0.shape)] }]
        case .array(let element): return ["array": json(element)]
        case .string(let format, let values): return ["string": ["format": format as Any? ?? NSNull(), "values": values as Any? ?? NSNull()]]
        case .integer: return "integer"
        case .number: return "number"
        case .boolean: return "boolean"
        case .freeForm: return "free-form"
        }
    }

    @Test("The checker itself catches a missing field, an extra field, a wrong type and a wrong required list")
    func checkerCanFail() {
        let document: [String: Any] = [
            "components": [
                "schemas": [
                    "Thing": [
                        "type": "object", "required": ["id", "name"],
                        "properties": ["id": ["type": "string", "format": "uuid"], "name": ["type": "string"], "count": ["type": "integer"]],
                    ]
                ]
            ]
        ]
        let checker = SchemaChecker(document: document)
        let schema: [String: Any] = ["$ref": "#/components/schemas/Thing"]
        let exact = APIShape.object([
            "id": APIField(shape: .string(format: "uuid", values: nil), optional: false),
            "name": APIField(shape: .string(format: nil, values: nil), optional: false),
            "count": APIField(shape: .integer, optional: true),
        ])
        #expect(checker.mismatches(exact, schema, at: "t", nullable: false).isEmpty)
        var fields: [String: APIField] = [:]
        if case .object(let f) = exact { fields = f }
        var extra = fields
        extra["colour"] = APIField(shape: .string(format: nil, values: nil), optional: false)
        #expect(checker.mismatches(.object(extra), schema, at: "t", nullable: false).count == 1)
        var missing = fields
        missing["count"] = nil
        #expect(checker.mismatches(.object(missing), schema, at: "t", nullable: false).count == 1)
        var wrongType = fields
        wrongType["count"] = APIField(shape: .string(format: nil, values: nil), optional: true)
        #expect(checker.mismatches(.object(wrongType), schema, at: "t", nullable: false).count == 1)
        var wrongRequired = fields
        wrongRequired["name"] = APIField(shape: .string(format: nil, values: nil), optional: true)
        #expect(checker.mismatches(.object(wrongRequired), schema, at: "t", nullable: false).count == 1)
    }
}

/// Compares a recorded `APIShape` with a JSON Schema of the OpenAPI document.
struct SchemaChecker {
    let document: [String: Any]

    func operation(_ name: String) -> [String: Any]? {
        let parts = name.split(separator: " ", maxSplits: 1).map(String.init)
        let paths = document["paths"] as? [String: Any] ?? [:]
        return (paths[parts[1]] as? [String: Any])?[parts[0].lowercased()] as? [String: Any]
    }

    func resolve(_ schema: Any) -> [String: Any] {
        guard var object = schema as? [String: Any] else { return [:] }
        while let reference = object["$ref"] as? String {
            let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
            object = ((document["components"] as? [String: Any])?["schemas"] as? [String: Any])?[name] as? [String: Any] ?? [:]
        }
        // allOf: one object with every part's properties and required keys.
        if let parts = object["allOf"] as? [Any] {
            var properties: [String: Any] = [:]
            var required: [String] = []
            for part in parts.map(resolve) {
                properties.merge(part["properties"] as? [String: Any] ?? [:]) { first, _ in first }
                required += part["required"] as? [String] ?? []
            }
            return ["type": "object", "properties": properties, "required": required]
        }
        return object
    }

    func types(_ schema: [String: Any]) -> Set<String> {
        if let one = schema["type"] as? String { return [one] }
        if let many = schema["type"] as? [String] { return Set(many) }
        if schema["properties"] != nil { return ["object"] }
        // anyOf: a date or an empty string, say: the types of the branches.
        if let branches = schema["anyOf"] as? [Any] { return branches.reduce(into: []) { $0.formUnion(types(resolve($1))) } }
        return []
    }

    func mismatches(_ shape: APIShape, _ rawSchema: Any, at path: String, nullable: Bool) -> [String] {
        let schema = resolve(rawSchema)
        let types = types(schema)
        if types.contains("null") != nullable {
            return [nullable ? "\(path): accepts null, the document does not say so" : "\(path): documented as nullable, but null is never written or accepted here"]
        }
        func expect(_ type: String) -> [String] {
            types.contains(type) ? [] : ["\(path): the type writes \(type), the document says \(types.sorted())"]
        }
        switch shape {
        case .freeForm:
            return []
        case .integer: return expect("integer")
        case .number: return expect("number")
        case .boolean: return expect("boolean")
        case .string(let format, let values):
            var problems = expect("string")
            if let format, schema["format"] as? String != format {
                problems.append("\(path): the type writes format \(format), the document says \(schema["format"] as? String ?? "none")")
            }
            let documented = (schema["enum"] as? [Any])?.compactMap { $0 as? String }
            if let values {
                if Set(values) != Set(documented ?? []) {
                    problems.append("\(path): the type's values are \(values.sorted()), the document's \((documented ?? []).sorted())")
                }
            }
            // A document may list the values of a plain string the store validates (formality).
            return problems
        case .array(let element):
            var problems = expect("array")
            if problems.isEmpty { problems += mismatches(element, schema["items"] ?? [:], at: "\(path)[]", nullable: false) }
            return problems
        case .object(let fields):
            var problems = expect("object")
            guard problems.isEmpty else { return problems }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            let required = Set(schema["required"] as? [String] ?? [])
            for key in Set(fields.keys).subtracting(properties.keys).sorted() {
                problems.append("\(path).\(key): written by the type, missing from the document")
            }
            for key in Set(properties.keys).subtracting(fields.keys).sorted() {
                problems.append("\(path).\(key): in the document, not in the type")
            }
            for (key, field) in fields.sorted(by: { $0.key < $1.key }) {
                guard let property = properties[key] else { continue }
                if field.optional == required.contains(key) {
                    problems.append("\(path).\(key): \(field.optional ? "optional in the type, required in the document" : "required in the type, not in the document's required list")")
                }
                problems += mismatches(field.shape, property, at: "\(path).\(key)", nullable: field.nullable)
            }
            return problems
        }
    }
}
