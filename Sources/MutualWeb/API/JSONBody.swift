import Foundation
import Hummingbird

/// Reads and writes API bodies with errors a client can act on: malformed JSON, a field of the
/// wrong type, a missing field or an unknown field each answer 4xx naming the field.
enum JSONBody {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// Decodes a JSON object body into `T`, refusing keys outside `allowedKeys`.
    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, context: some RequestContext, allowedKeys: Set<String>
    ) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw APIProblem(status: .contentTooLarge, title: "Request too large", detail: "The body is larger than \(context.maxUploadSize / 1024) KB. Send less data at once.")
        }
        let data = Data(buffer: buffer)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw APIProblem(status: .badRequest, title: "Malformed JSON", detail: "The body is not valid JSON. Send a JSON object, e.g. {\"name\": \"…\"}, with Content-Type: application/json.")
        }
        guard let dictionary = object as? [String: Any] else {
            throw APIProblem(status: .badRequest, title: "Expected a JSON object", detail: "The body must be a JSON object with named fields, not an array or a single value.")
        }
        if let unknown = dictionary.keys.sorted().first(where: { !allowedKeys.contains($0) }) {
            throw APIProblem(
                status: .badRequest, title: "Unknown field",
                detail: "The field \"\(unknown)\" is not accepted here. Accepted fields: \(allowedKeys.sorted().joined(separator: ", ")).",
                field: unknown)
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw problem(for: error)
        }
    }

    static func problem(for error: DecodingError) -> APIProblem {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            (codingPath + (last.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
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

    /// The encoder for typed response bodies: snake_case keys by strategy, ISO 8601 dates.
    static let snakeCaseEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// A JSON response from a typed body, keys in snake_case.
    static func typed(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try snakeCaseEncoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A JSON response.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
