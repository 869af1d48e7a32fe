import FluentKit
import Foundation

/// One "Sign in with …" in flight: made when the browser is sent to the identity provider,
/// used up (once) when the provider sends it back. Keyed by the SHA-256 digest of the `state`
/// parameter, so the database never holds a value that could be replayed on its own.
public final class SingleSignOnAttempt: Model, @unchecked Sendable {
    public static let schema = "sso_sign_in_attempts"

    @ID(key: .id) public var id: UUID?
    /// Hex SHA-256 of the `state` sent to the provider (and kept in the browser's cookie).
    @Field(key: "state_digest") public var stateDigest: String
    /// The `nonce` the ID token must carry.
    @Field(key: "nonce") public var nonce: String
    /// The PKCE code verifier; the provider saw only its S256 challenge.
    @Field(key: "code_verifier") public var codeVerifier: String
    /// Where to go after signing in (a local path), if the sign-in page was given one.
    @OptionalField(key: "next") public var next: String?
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    /// When the provider's answer claimed it; an attempt is used at most once.
    @OptionalField(key: "used_at") public var usedAt: Date?

    public init() {}

    init(stateDigest: String, nonce: String, codeVerifier: String, next: String?, createdAt: Date, expiresAt: Date) {
        self.stateDigest = stateDigest
        self.nonce = nonce
        self.codeVerifier = codeVerifier
        self.next = next
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// The secrets of a new sign-in attempt, for the redirect to the provider. Only the `state`'s
/// digest is stored.
public struct StartedSingleSignOn: Sendable {
    /// The `state` parameter, also kept in the browser's cookie.
    public let state: String
    public let nonce: String
    public let codeVerifier: String
    public let expiresAt: Date
}

/// A claimed attempt: what the callback needs to finish the sign-in.
public struct ClaimedSingleSignOn: Sendable {
    public let nonce: String
    public let codeVerifier: String
    public let next: String?
}
