import FluentKit
import Foundation

/// One `Idempotency-Key` a caller sent to the API, and, once its request finished, the answer
/// it got (migration 017). Only digests of the key and the request are kept; the answer's body
/// is sealed, because a creating answer holds personal data (an invitee's address) and could hold a secret.
public final class IdempotencyRecord: Model, @unchecked Sendable {
    public static let schema = "idempotency_keys"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    /// The caller: a key is the caller's own, so two callers never see each other's answers.
    @Field(key: "account_id") public var accountID: UUID
    /// SHA-256 (hex) of the method and path the key was sent to: the key's scope.
    @Field(key: "request_scope") public var requestScope: String
    /// SHA-256 (hex) of the key.
    @Field(key: "key_digest") public var keyDigest: String
    /// SHA-256 (hex) of the query and body, to tell a retry from a different request.
    @Field(key: "request_digest") public var requestDigest: String
    /// The route's pattern (`POST /api/v1/programmes/:id/runs`), for whoever reads the table.
    @Field(key: "route") public var route: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    /// The answer; nil while the first request is still running.
    @OptionalField(key: "response_status") public var responseStatus: Int?
    @OptionalField(key: "response_content_type") public var responseContentType: String?
    /// The answer's body, sealed with ``SecretSealer``.
    @OptionalField(key: "response_body") public var responseBody: String?

    public init() {}
}
