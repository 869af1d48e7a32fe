import Foundation

/// What an `Authorization: Bearer` secret turned out to be.
public enum APITokenCheck: Sendable, Equatable {
    /// A live token: its owner (with the owner's current role) and the token's scope.
    case valid(Identity, scope: APITokenScope, tokenID: UUID)
    /// A real token whose expiry has passed.
    case expired(at: Date)
    /// No token has this secret (never issued, or revoked).
    case unknown
}
