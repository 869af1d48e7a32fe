import FluentKit
import Foundation

/// A single-use, expiring link emailed to a login's address: a password reset, or an unlock
/// after too many failed sign-ins. Only the SHA-256 digest of the link's secret is stored; the
/// secret itself is only ever in the (sealed) email.
public final class LoginLink: Model, @unchecked Sendable {
    public static let schema = "login_links"

    /// What following the link does.
    public enum Purpose: String, Codable, Sendable {
        /// Lets the person choose a new password; signs out every session of the login.
        case passwordReset = "password_reset"
        /// Clears the login's failed sign-ins, so its owner can sign in at once.
        case unlock
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "login_id") public var loginID: UUID
    @Field(key: "purpose") public var purpose: Purpose
    @Field(key: "token_digest") public var tokenDigest: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    /// Set, by a conditional update, when the link is used; a used link never works again.
    @OptionalField(key: "used_at") public var usedAt: Date?

    public init() {}

    public init(loginID: UUID, purpose: Purpose, tokenDigest: String, createdAt: Date, expiresAt: Date) {
        self.loginID = loginID
        self.purpose = purpose
        self.tokenDigest = tokenDigest
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
