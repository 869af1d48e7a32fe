import Foundation
import Hummingbird

/// Reads and writes API bodies with errors a client can act on: malformed JSON, a field of the
/// wrong type, a missing field or an unknown field each answer 4xx naming the field.
enum JSONBody {
    /// Every API body is written by this encoder: keys in snake_case by strategy, ISO 8601
    /// dates, sorted keys (stable output for tests and caches).
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// Every API body is read by this decoder: `person_id` is looked for as `personId`.
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }()

    /// Decodes a JSON object body into `T`, refusing keys the type does not have.
    static func decode<T: APIBody>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let shape = APIShape.cached(T.self)
        do {
            return try await decode(
                type, from: request, context: context, allowedKeys: shape?.keys ?? [], nullableKeys: T.nullableKeys, emptyBodyAllowed: T.emptyBodyAllowed)
        } catch var problem as APIProblem {
            // "Cannot initialize Role from invalid String value x" helps nobody: name the values.
            if problem.title == "Invalid value", let field = problem.field,
                case .string(_, let values?)? = shape?.field(at: field)
            {
                problem.detail = "The field \"\(field)\" must be one of \(values.joined(separator: ", "))."
            }
            throw problem
        }
    }

    /// Decodes a JSON object body into `T`, refusing keys outside `allowedKeys`.
    private static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, context: some RequestContext, allowedKeys: Set<String>, nullableKeys: Set<String>,
        emptyBodyAllowed: Bool
    ) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw APIProblem(status: .contentTooLarge, title: "Request too large", detail: "The body is larger than \(context.maxUploadSize / 1024) KB. Send less data at once.")
        }
        var data = Data(buffer: buffer)
        // A route that says so reads no body at all as an empty object (`POST …/cancel` needs
        // nothing said); elsewhere an empty body is malformed, as the document's required bodies say.
        if emptyBodyAllowed, data.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { data = Data("{}".utf8) }
        let object: JSONFragment
        do {
            object = try JSONDecoder().decode(JSONFragment.self, from: data)
        } catch {
            throw APIProblem(status: .badRequest, title: "Malformed JSON", detail: "The body is not valid JSON. Send a JSON object, e.g. {\"name\": \"…\"}, with Content-Type: application/json.")
        }
        guard case .object(let dictionary) = object else {
            throw APIProblem(status: .badRequest, title: "Expected a JSON object", detail: "The body must be a JSON object with named fields, not an array or a single value.")
        }
        if let unknown = dictionary.keys.sorted().first(where: { !allowedKeys.contains($0) }) {
            throw APIProblem(
                status: .badRequest, title: "Unknown field",
                detail: "The field \"\(unknown)\" is not accepted here. Accepted fields: \(allowedKeys.sorted().joined(separator: ", ")).",
                field: unknown)
        }
        // `null` where a field can be left out would mean "default" by accident; say so instead.
        if let null = dictionary.keys.sorted().first(where: { dictionary[$0] == .null && !nullableKeys.contains($0) }) {
            throw APIProblem(
                status: .unprocessableContent, title: "Missing value",
                detail: "The field \"\(null)\" cannot be null. Give it a value, or leave it out to keep the default or the current value.",
                field: null)
        }
        try TextInputGuard.check(object)
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw problem(for: error)
        }
    }

    static func problem(for error: DecodingError) -> APIProblem {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            (codingPath + (last.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? APIShape.jsonKey($0.stringValue) }
                .joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath, key)
            return APIProblem(status: .unprocessableContent, title: "Missing field", detail: "The field \"\(field)\" is required.", field: field)
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            return APIProblem(status: .unprocessableContent, title: "Wrong type", detail: "The field \"\(field)\" must be \(describe(type)).", field: field)
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            return APIProblem(status: .unprocessableContent, title: "Missing value", detail: "The field \"\(field)\" must be \(describe(type)), not null.", field: field)
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            // The JSON parsed, so the decoder refused a value it cannot hold: a number too big.
            return APIProblem(
                status: .unprocessableContent, title: "Invalid value",
                detail: "A number in the body is out of range: whole numbers must be between -9223372036854775808 and 9223372036854775807.")
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return APIProblem(status: .unprocessableContent, title: "Invalid value", detail: "The field \"\(field)\" has an invalid value: \(context.debugDescription)", field: field.isEmpty ? nil : field)
        @unknown default:
            return APIProblem(status: .badRequest, title: "Invalid body", detail: "The body could not be read.")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Bool.Type: "true or false"
        case is Double.Type: "a number"
        default: "a value of the documented type"
        }
    }

    /// A JSON response from a typed body.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
