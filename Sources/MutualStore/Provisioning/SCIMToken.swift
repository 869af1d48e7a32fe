import FluentKit
import Foundation

/// An organisation's SCIM provisioning token: the bearer secret its identity provider sends to
/// `/scim/v2`. Only the SHA-256 digest is stored; the secret is shown once, when made.
public final class SCIMToken: Model, @unchecked Sendable {
    public static let schema = "scim_tokens"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "token_digest") public var tokenDigest: String
    /// The secret's first characters, so an admin can tell which token a provider holds.
    @Field(key: "prefix") public var prefix: String
    /// The person of the admin who made (or last rotated) it.
    @OptionalField(key: "created_by") public var createdBy: UUID?
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "last_used_at") public var lastUsedAt: Date?

    public init() {}
}
