import FluentKit
import Foundation

/// What signs in: one email address and one password for the whole installation. A login has
/// one membership (``Account``) per organisation it belongs to; sessions and API tokens are
/// issued for a membership, never for the login alone.
public final class Login: Model, @unchecked Sendable {
    public static let schema = "logins"

    @ID(key: .id) public var id: UUID?
    /// Lower-cased; unique across the installation, so signing in needs only an email address.
    @Field(key: "email") public var email: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "last_sign_in_at") public var lastSignInAt: Date?
    /// When the owner was emailed an unlock link for the current run of failed sign-ins; nil
    /// when there is none. Claimed with a conditional update, so one lock sends one email.
    @OptionalField(key: "lockout_notified_at") public var lockoutNotifiedAt: Date?

    public init() {}

    public init(id: UUID? = nil, email: String, passwordHash: String, createdAt: Date) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}
