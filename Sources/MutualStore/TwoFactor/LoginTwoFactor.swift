import FluentKit
import Foundation

/// A login's TOTP secret and its state: started (secret shown, not yet confirmed) or enabled.
/// Belongs to the login, not a membership: one authenticator entry signs in to every
/// organisation the login belongs to.
public final class LoginTwoFactor: Model, @unchecked Sendable {
    public static let schema = "login_two_factor"

    /// The login's id.
    @ID(custom: .id, generatedBy: .user) public var id: UUID?
    /// The secret sealed by ``SecretSealer`` (AES-GCM under a key from `MUTUAL_SECRET`).
    @Field(key: "sealed_secret") public var sealedSecret: String
    @Field(key: "created_at") public var createdAt: Date
    /// When a valid code confirmed it; nil while the person is still setting up their app.
    @OptionalField(key: "enabled_at") public var enabledAt: Date?
    /// The last 30-second step a code was accepted for; codes of this step or earlier are refused.
    @OptionalField(key: "last_used_step") public var lastUsedStep: Int64?

    public init() {}

    init(loginID: UUID, sealedSecret: String, createdAt: Date) {
        self.id = loginID
        self.sealedSecret = sealedSecret
        self.createdAt = createdAt
    }
}
