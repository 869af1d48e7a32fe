import FluentKit
import Foundation

/// A sign-in halfway: the password was right, the second factor is still to come. Keyed by the
/// digest of the token the browser holds; no session exists until the code is accepted.
public final class PendingSignIn: Model, @unchecked Sendable {
    public static let schema = "pending_sign_ins"

    /// The hex SHA-256 of the token.
    @ID(custom: .id, generatedBy: .user) public var id: String?
    @Field(key: "login_id") public var loginID: UUID
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date

    public init() {}

    init(tokenDigest: String, loginID: UUID, createdAt: Date, expiresAt: Date) {
        self.id = tokenDigest
        self.loginID = loginID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
