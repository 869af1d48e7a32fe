import FluentKit
import Foundation

/// A signed-in browser. Stored in the database so that every replica behind a load balancer
/// recognises it. The cookie carries a random token; only its SHA-256 digest is stored.
public final class Session: Model, @unchecked Sendable {
    public static let schema = "sessions"

    @ID(custom: "token_digest", generatedBy: .user) public var id: String?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "account_id") public var accountID: UUID
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date

    public init() {}

    public init(tokenDigest: String, organisationID: UUID, accountID: UUID, createdAt: Date, expiresAt: Date) {
        self.id = tokenDigest
        self.organisationID = organisationID
        self.accountID = accountID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
