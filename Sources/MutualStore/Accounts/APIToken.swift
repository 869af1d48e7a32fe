import FluentKit
import Foundation

/// A personal token for the JSON API. Shown once when created; only its digest is stored.
public final class APIToken: Model, @unchecked Sendable {
    public static let schema = "api_tokens"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "account_id") public var accountID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "token_digest") public var tokenDigest: String
    /// The first characters of the token, so a person can tell their tokens apart.
    @Field(key: "prefix") public var prefix: String
    /// What the token may do, within its owner's role (migration 017).
    @Field(key: "scope") public var scope: APITokenScope
    @Field(key: "created_at") public var createdAt: Date
    /// After this the token is refused (401, saying it expired); nil for a token that does not expire.
    @OptionalField(key: "expires_at") public var expiresAt: Date?
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?

    public init() {}

    public init(
        id: UUID? = nil, organisationID: UUID, accountID: UUID, name: String, tokenDigest: String,
        prefix: String, scope: APITokenScope, createdAt: Date, expiresAt: Date? = nil
    ) {
        self.id = id
        self.organisationID = organisationID
        self.accountID = accountID
        self.name = name
        self.tokenDigest = tokenDigest
        self.prefix = prefix
        self.scope = scope
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// Whether the token has expired as of `now`.
    public func isExpired(at now: Date) -> Bool {
        expiresAt.map { $0 <= now } ?? false
    }
}
