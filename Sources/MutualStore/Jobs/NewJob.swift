import Foundation

/// A job to be written: what to do, with what, when, and how often to try.
public struct NewJob: Sendable {
    public var kind: String
    public var payload: String
    public var subject: String
    public var organisationID: UUID?
    /// Not before this time; `nil` means as soon as a worker is free.
    public var runAt: Date?
    /// A second job with the same key is not created (see ``Job/uniqueKey``).
    public var uniqueKey: String?
    public var policy: RetryPolicy

    public init(
        kind: String, payload: String, subject: String, organisationID: UUID?, runAt: Date? = nil, uniqueKey: String? = nil,
        policy: RetryPolicy = .standard
    ) {
        self.kind = kind
        self.payload = payload
        self.subject = subject
        self.organisationID = organisationID
        self.runAt = runAt
        self.uniqueKey = uniqueKey
        self.policy = policy
    }

    /// A job whose payload is `value` as JSON.
    public init<Payload: Encodable>(
        kind: String, payload value: Payload, subject: String, organisationID: UUID?, runAt: Date? = nil,
        uniqueKey: String? = nil, policy: RetryPolicy = .standard
    ) throws {
        self.init(
            kind: kind, payload: try JobCoding.encode(value), subject: subject, organisationID: organisationID, runAt: runAt,
            uniqueKey: uniqueKey, policy: policy)
    }
}

/// The one JSON convention for job payloads and event payloads: keys as the types name them
/// (a snake_case strategy would not round-trip names such as `eventID`), sorted, ISO 8601 dates.
public enum JobCoding {
    public static func encode<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(type, from: Data(text.utf8))
    }
}
