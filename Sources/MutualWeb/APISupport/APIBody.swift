import Hummingbird

/// A JSON request or response body of the API.
///
/// Every body is a `Codable` type whose JSON keys are its property names in snake_case, by the
/// encoder's and decoder's key strategy (never by hand-written keys). Because the decoder turns
/// `person_id` into `personId` before it looks for the property, properties are named in that
/// shape: `personId`, `acceptUrl`, not `personID`.
///
/// `example` is a value with every optional field set and every array non-empty: the contract
/// test records its shape (``APIShape``) and compares it with the OpenAPI document, so a field
/// added to the type and not to the document (or the other way round) fails the build's tests.
protocol APIBody: Codable, Sendable {
    /// A value with every optional set and every array holding at least one element.
    static var example: Self { get }
    /// A status other than the route's, for bodies that report a refusal (an import that wrote
    /// nothing answers 422 with its report).
    var status: HTTPResponse.Status? { get }
    /// Request keys where `null` means something ("remove the manager"). Everywhere else an
    /// optional field is left out, never sent as `null`, and a `null` is refused.
    static var nullableKeys: Set<String> { get }
    /// Whether a request may send no body at all, read as `{}` (a cancel with nothing to say).
    /// Off by default: the document marks request bodies required, so an empty one is refused.
    static var emptyBodyAllowed: Bool { get }
}

extension APIBody {
    var status: HTTPResponse.Status? { nil }
    static var nullableKeys: Set<String> { [] }
    static var emptyBodyAllowed: Bool { false }

    /// The shape the contract test compares: the example's, with ``nullableKeys`` marked.
    static var shape: APIShape {
        get throws {
            guard case .object(var fields) = try APIShape.of(example) else { return try APIShape.of(example) }
            for key in nullableKeys { fields[key]?.nullable = true }
            return .object(fields)
        }
    }
}

/// The body of a `204 No Content` answer: nothing.
struct NoContent: APIBody {
    static var example: NoContent { NoContent() }
}

/// `{"items": […]}`: every list the API returns that is not paged.
struct ItemList<Item: APIBody>: APIBody {
    let items: [Item]
    static var example: ItemList { ItemList(items: [.example]) }
}

/// A string-valued enumeration the API accepts or returns; its cases must be the document's
/// `enum`.
protocol APIEnumeration {
    static var apiValues: [String] { get }
}

extension APIEnumeration where Self: CaseIterable & RawRepresentable, RawValue == String {
    static var apiValues: [String] { allCases.map(\.rawValue) }
}

/// A value whose JSON is open-ended (the engine's result, an event's payload): documented as an
/// object, and its inside not compared.
protocol APIFreeForm {}
