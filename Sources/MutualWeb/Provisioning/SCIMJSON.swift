import Foundation

/// A JSON value as SCIM sends and reads it. SCIM attribute names are case-insensitive
/// (RFC 7643 §2.1), so an object is looked up with ``subscript(_:)`` ignoring case, and
/// values are kept as they came (a `"False"` string stays a string until a rule reads it).
enum SCIMJSON: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([SCIMJSON])
    case object([String: SCIMJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([SCIMJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: SCIMJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 { try container.encode(Int(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The member of an object whose name equals `key` ignoring case; nil for a missing member
    /// or a value that is not an object.
    subscript(_ key: String) -> SCIMJSON? {
        guard case .object(let members) = self else { return nil }
        if let exact = members[key] { return exact }
        let lowered = key.lowercased()
        return members.first { $0.key.lowercased() == lowered }?.value
    }

    var objectMembers: [String: SCIMJSON]? {
        if case .object(let members) = self { return members }
        return nil
    }

    var isNull: Bool { self == .null }

    /// Reads a body: a JSON object, or a SCIM `invalidSyntax` error saying what is wrong.
    static func parseObject(_ data: Data) throws -> SCIMJSON {
        guard !data.isEmpty else {
            throw SCIMError(status: .badRequest, scimType: "invalidSyntax", detail: "The request has no body. Send a JSON object (Content-Type: application/scim+json).")
        }
        let value: SCIMJSON
        do {
            value = try JSONDecoder().decode(SCIMJSON.self, from: data)
        } catch {
            throw SCIMError(
                status: .badRequest, scimType: "invalidSyntax",
                detail: "The body is not valid JSON. Send a JSON object as RFC 7644 describes, e.g. {\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"ana@example.org\"}.")
        }
        guard case .object = value else {
            throw SCIMError(status: .badRequest, scimType: "invalidSyntax", detail: "The body must be a JSON object, not an array or a single value.")
        }
        return value
    }

    /// The answer body, keys sorted so answers are stable.
    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data("{}".utf8)
    }
}
