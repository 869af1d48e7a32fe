import Foundation

/// What claiming an `Idempotency-Key` found (``Store/claimIdempotencyKey(_:)``).
public enum IdempotencyClaim: Sendable, Equatable {
    /// The key is new (or its last use expired): this request runs, then records its answer
    /// with ``Store/completeIdempotencyKey(_:with:)`` or gives the key up with
    /// ``Store/releaseIdempotencyKey(_:)``.
    case claimed(UUID)
    /// The same request ran before: answer with what it answered.
    case replay(StoredAPIAnswer)
    /// The key was used with a different request (another body or query) to the same address.
    case mismatch
    /// A request with this key is still running (since the date). It is never run twice, even
    /// when it looks abandoned: whether it took effect would be unknown.
    case inProgress(since: Date)
}

/// An API answer as remembered for an idempotency key.
public struct StoredAPIAnswer: Sendable, Equatable {
    public let status: Int
    public let contentType: String
    public let body: [UInt8]

    public init(status: Int, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// An `Idempotency-Key` as a request brought it: who sent it where, and a digest of what it asked.
public struct IdempotencyRequest: Sendable {
    public let key: String
    /// The method and path, e.g. `POST /api/v1/programmes` (the query belongs to the request digest).
    public let address: String
    /// The route's pattern, for the record.
    public let route: String
    /// SHA-256 of the request's query and body.
    public let requestDigest: String
    public let caller: Identity

    public init(key: String, address: String, route: String, requestDigest: String, caller: Identity) {
        self.key = key
        self.address = address
        self.route = route
        self.requestDigest = requestDigest
        self.caller = caller
    }
}
