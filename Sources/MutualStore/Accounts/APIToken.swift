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
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?

    public init() {}

    public init(
        id: UUID? = nil, organisationID: UUID, accountID: UUID, name: String, tokenDigest: String,
        prefix: String, createdAt: Date
    ) {
        self.id = id
        self.organisationID = organisationID
        self.accountID = accountID
        self.name = name
        self.tokenDigest = tokenDigest
        self.prefix = prefix
        self.createdAt = createdAt
    }
}
