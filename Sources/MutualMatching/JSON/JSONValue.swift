/// A JSON document, kept free of Foundation so that output is byte-for-byte deterministic:
/// objects keep their keys as given and ``JSONWriter`` sorts them; numbers keep their
/// literal text, so an integer weight is never rounded through a `Double`.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number as its JSON literal text (e.g. `"42"`, `"0.125"`).
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in source order; duplicate keys are rejected by the parser.
    case object([(String, JSONValue)])

    /// An integer number.
    public static func int(_ value: some BinaryInteger) -> JSONValue { .number(String(value)) }

    /// A fixed-point number with `decimals` digits after the point, from a scaled integer:
    /// `fixed(12345, decimals: 3)` is `12.345`. Avoids `Double` formatting differences.
    public static func fixed(_ scaled: Int64, decimals: Int) -> JSONValue {
        var divisor: Int64 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let negative = scaled < 0
        let magnitude = scaled.magnitude
        let whole = magnitude / UInt64(divisor)
        var fraction = String(magnitude % UInt64(divisor))
        while fraction.count < decimals { fraction = "0" + fraction }
        let text = decimals == 0 ? "\(whole)" : "\(whole).\(fraction)"
        return .number(negative ? "-" + text : text)
    }

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(a), .bool(b)): a == b
        case let (.number(a), .number(b)): a == b
        case let (.string(a), .string(b)): a == b
        case let (.array(a), .array(b)): a == b
        case let (.object(a), .object(b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .number(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .array(let value): hasher.combine(value)
        case .object(let members):
            for (key, value) in members {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }

    /// The member with this key, when this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == key }?.1
    }

    /// A short name of the kind of value, for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "true/false"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
