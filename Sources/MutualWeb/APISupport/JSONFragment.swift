import Foundation

/// Open-ended JSON carried inside a typed body: the engine's result (the same document as
/// `mutual match` prints) and a rules document, which have documents of their own
/// (docs/matching.md, docs/rules.md). The contract test treats it as a free-form object.
enum JSONFragment: Codable, Sendable, Equatable, APIFreeForm {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONFragment])
    case object([String: JSONFragment])

    /// Parses JSON text; text that is not JSON (an empty result) is `{}`.
    init(text: String) {
        self = (try? JSONDecoder().decode(JSONFragment.self, from: Data(text.utf8))) ?? .object([:])
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONFragment].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONFragment].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}
