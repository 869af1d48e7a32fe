import Foundation

/// The shape of a body's JSON as its `Encodable` conformance writes it: what the contract test
/// compares with the OpenAPI document, and where a request's accepted keys come from.
public indirect enum APIShape: Sendable, Equatable, CustomStringConvertible {
    /// Keys in snake_case, as the API encoder writes them.
    case object([String: APIField])
    case array(APIShape)
    /// `format` is `uuid` or `date-time` when the Swift type says so; `values` are an
    /// enumeration's cases.
    case string(format: String?, values: [String]?)
    case integer
    case number
    case boolean
    /// Open-ended JSON; its inside is not compared.
    case freeForm

    public var description: String {
        switch self {
        case .object(let fields): "object{\(fields.keys.sorted().joined(separator: ","))}"
        case .array(let element): "array<\(element)>"
        case .string(let format, let values): "string\(format.map { "(\($0))" } ?? "")\(values.map { "\($0)" } ?? "")"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .freeForm: "free-form"
        }
    }

    /// The shape at a problem's field path (`objectives.[0].kpis.[1].comparison`).
    func field(at path: String) -> APIShape? {
        var shape: APIShape? = self
        for part in path.split(separator: ".") {
            switch shape {
            case .object(let fields)?: shape = fields[String(part)]?.shape
            case .array(let element)? where part.hasPrefix("["): shape = element
            default: return nil
            }
        }
        return shape
    }

    /// The JSON keys of an object shape (empty for anything else).
    public var keys: Set<String> {
        if case .object(let fields) = self { return Set(fields.keys) }
        return []
    }
}

/// One property of an object shape.
public struct APIField: Sendable, Equatable {
    public var shape: APIShape
    /// Written only when present (a Swift optional): not in the document's `required`.
    public var optional: Bool
    /// Accepts `null` (with a meaning of its own); nothing else is ever `null`.
    public var nullable: Bool

    public init(shape: APIShape, optional: Bool, nullable: Bool = false) {
        self.shape = shape
        self.optional = optional
        self.nullable = nullable
    }
}

/// Why a body's shape could not be recorded: its example leaves something out.
struct APIShapeError: Error, CustomStringConvertible {
    let description: String
}

extension APIShape {
    /// The shape `value` encodes to.
    static func of<Value: Encodable>(_ value: Value) throws -> APIShape {
        if let scalar = scalar(Value.self) { return scalar }
        if value is any APIFreeForm { return .freeForm }
        let box = ShapeBox()
        try value.encode(to: ShapeEncoder(box: box, codingPath: []))
        guard let shape = box.shape else {
            throw APIShapeError(description: "\(Value.self) encodes nothing")
        }
        return shape
    }

    /// The shape of a type that needs no value to know it (strings, numbers, dates, enums).
    static func scalar(_ type: Any.Type) -> APIShape? {
        switch type {
        case is Date.Type: return .string(format: "date-time", values: nil)
        case is UUID.Type: return .string(format: "uuid", values: nil)
        case is URL.Type: return .string(format: "uri", values: nil)
        case is String.Type, is Substring.Type: return .string(format: nil, values: nil)
        case is Bool.Type: return .boolean
        case is Int.Type, is Int8.Type, is Int16.Type, is Int32.Type, is Int64.Type,
            is UInt.Type, is UInt8.Type, is UInt16.Type, is UInt32.Type, is UInt64.Type:
            return .integer
        case is Double.Type, is Float.Type: return .number
        default: break
        }
        if let enumeration = type as? any APIEnumeration.Type {
            return .string(format: nil, values: enumeration.apiValues)
        }
        return nil
    }

    /// `personId` → `person_id`, exactly as the API's encoder converts it (asked of the encoder
    /// itself, so the two can never disagree).
    static func jsonKey(_ property: String) -> String {
        if let known = keyCache.withLock({ $0[property] }) { return known }
        let key: String
        if let data = try? JSONBody.encoder.encode(SingleKey(name: property)),
            case .object(let object)? = try? JSONDecoder().decode(JSONFragment.self, from: data), let converted = object.keys.first
        {
            key = converted
        } else {
            key = property
        }
        keyCache.withLock { $0[property] = key }
        return key
    }

    private static let keyCache = LockedDictionary<String, String>()

    /// The shape of `T`'s example, recorded once per type: every request a body type reads
    /// asks for it (for the keys it accepts and its enumerations' values).
    static func cached<T: APIBody>(_ type: T.Type) -> APIShape? {
        let key = ObjectIdentifier(type)
        if let known = shapeCache.withLock({ $0[key] }) { return known }
        let shape = try? T.shape
        shapeCache.withLock { $0[key] = shape }
        return shape
    }

    private static let shapeCache = LockedDictionary<ObjectIdentifier, APIShape?>()
}

/// A small lock-guarded cache (the shapes and key conversions every request's body reading uses).
private final class LockedDictionary<Key: Hashable, Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Key: Value] = [:]
    func withLock<T>(_ body: (inout [Key: Value]) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&values)
    }
}

private struct SingleKey: Encodable {
    let name: String
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyCodingKey.self)
        try container.encode(0, forKey: AnyCodingKey(name))
    }
}

struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        stringValue = "\(intValue)"
        self.intValue = intValue
    }
}

private final class ShapeBox {
    var shape: APIShape?
}

private struct ShapeEncoder: Encoder {
    let box: ShapeBox
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if box.shape == nil { box.shape = .object([:]) }
        return KeyedEncodingContainer(KeyedShapeContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        UnkeyedShapeContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleShapeContainer(box: box, codingPath: codingPath)
    }
}

private struct KeyedShapeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: ShapeBox
    var codingPath: [any CodingKey]

    private func record(_ key: Key, _ shape: APIShape, optional: Bool) {
        guard case .object(var fields) = box.shape ?? .object([:]) else { return }
        fields[APIShape.jsonKey(key.stringValue)] = APIField(shape: shape, optional: optional)
        box.shape = .object(fields)
    }

    private func present<T: Encodable>(_ value: T, _ key: Key, optional: Bool) throws {
        do {
            record(key, try APIShape.of(value), optional: optional)
        } catch let error as APIShapeError {
            throw APIShapeError(description: "\(key.stringValue): \(error.description)")
        }
    }

    private func absent<T>(_ type: T.Type, _ key: Key) throws {
        guard let shape = APIShape.scalar(type) else {
            throw APIShapeError(description: "\(key.stringValue) is nil in the example; set it so its shape can be recorded")
        }
        record(key, shape, optional: true)
    }

    mutating func encodeNil(forKey key: Key) throws {
        throw APIShapeError(description: "\(key.stringValue) is written as null; optional fields are left out instead")
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try present(value, key, optional: false) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { record(key, .boolean, optional: false) }
    mutating func encode(_ value: String, forKey key: Key) throws { record(key, .string(format: nil, values: nil), optional: false) }
    mutating func encode(_ value: Double, forKey key: Key) throws { record(key, .number, optional: false) }
    mutating func encode(_ value: Float, forKey key: Key) throws { record(key, .number, optional: false) }
    mutating func encode(_ value: Int, forKey key: Key) throws { record(key, .integer, optional: false) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { record(key, .integer, optional: false) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { record(key, .integer, optional: false) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { record(key, .integer, optional: false) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { record(key, .integer, optional: false) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { record(key, .integer, optional: false) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { record(key, .integer, optional: false) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { record(key, .integer, optional: false) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { record(key, .integer, optional: false) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { record(key, .integer, optional: false) }

    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try present(value, key, optional: true) } else { try absent(T.self, key) }
    }
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { record(key, .boolean, optional: true) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { record(key, .string(format: nil, values: nil), optional: true) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { record(key, .number, optional: true) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { record(key, .number, optional: true) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { record(key, .integer, optional: true) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { record(key, .integer, optional: true) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { record(key, .integer, optional: true) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { record(key, .integer, optional: true) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { record(key, .integer, optional: true) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { record(key, .integer, optional: true) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { record(key, .integer, optional: true) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { record(key, .integer, optional: true) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { record(key, .integer, optional: true) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { record(key, .integer, optional: true) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        let nested = ShapeBox()
        nested.shape = .object([:])
        record(key, .freeForm, optional: false)
        return KeyedEncodingContainer(KeyedShapeContainer<NestedKey>(box: nested, codingPath: codingPath + [key]))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        record(key, .freeForm, optional: false)
        return UnkeyedShapeContainer(box: ShapeBox(), codingPath: codingPath + [key])
    }
    mutating func superEncoder() -> any Encoder { ShapeEncoder(box: ShapeBox(), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { ShapeEncoder(box: ShapeBox(), codingPath: codingPath) }
}

private struct UnkeyedShapeContainer: UnkeyedEncodingContainer {
    let box: ShapeBox
    var codingPath: [any CodingKey]
    var count = 0

    init(box: ShapeBox, codingPath: [any CodingKey]) {
        self.box = box
        self.codingPath = codingPath
    }

    /// The first element decides the element shape; an example must hold one.
    private mutating func element(_ shape: APIShape) {
        if count == 0 { box.shape = .array(shape) }
        count += 1
    }

    mutating func encodeNil() throws { throw APIShapeError(description: "an array holds null") }
    mutating func encode<T: Encodable>(_ value: T) throws { element(try APIShape.of(value)) }
    mutating func encode(_ value: Bool) throws { element(.boolean) }
    mutating func encode(_ value: String) throws { element(.string(format: nil, values: nil)) }
    mutating func encode(_ value: Double) throws { element(.number) }
    mutating func encode(_ value: Int) throws { element(.integer) }
    mutating func encode(_ value: Int64) throws { element(.integer) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        element(.freeForm)
        return KeyedEncodingContainer(KeyedShapeContainer<NestedKey>(box: ShapeBox(), codingPath: codingPath))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        element(.freeForm)
        return UnkeyedShapeContainer(box: ShapeBox(), codingPath: codingPath)
    }
    mutating func superEncoder() -> any Encoder { ShapeEncoder(box: ShapeBox(), codingPath: codingPath) }
}

private struct SingleShapeContainer: SingleValueEncodingContainer {
    let box: ShapeBox
    var codingPath: [any CodingKey]

    mutating func encodeNil() throws { throw APIShapeError(description: "a value is null") }
    mutating func encode<T: Encodable>(_ value: T) throws { box.shape = try APIShape.of(value) }
    mutating func encode(_ value: Bool) throws { box.shape = .boolean }
    mutating func encode(_ value: String) throws { box.shape = .string(format: nil, values: nil) }
    mutating func encode(_ value: Double) throws { box.shape = .number }
    mutating func encode(_ value: Int) throws { box.shape = .integer }
    mutating func encode(_ value: Int64) throws { box.shape = .integer }
}
