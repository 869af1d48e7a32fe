import FluentKit
import Foundation

/// One single-use recovery code of a login, by digest: the code itself is shown once.
public final class RecoveryCode: Model, @unchecked Sendable {
    public static let schema = "two_factor_recovery_codes"

    @ID(key: .id) public var id: UUID?
    @Field(key: "login_id") public var loginID: UUID
    /// The hex SHA-256 of the normalised code (lower case, no dashes or spaces).
    @Field(key: "code_digest") public var codeDigest: String
    @Field(key: "created_at") public var createdAt: Date
    /// When it was used; a used code never works again.
    @OptionalField(key: "used_at") public var usedAt: Date?

    public init() {}

    init(loginID: UUID, codeDigest: String, createdAt: Date) {
        self.loginID = loginID
        self.codeDigest = codeDigest
        self.createdAt = createdAt
    }
}
