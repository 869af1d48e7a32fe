import FluentKit
import Foundation

/// A newly made API token with the only copy of its secret.
public struct IssuedAPIToken: Sendable {
    public let token: APIToken
    public let secret: String
}

extension Store {
    /// Creates a personal API token for the signed-in member. Only the pages call this (a signed-in
    /// browser session): the API has no route that makes tokens, so a token cannot mint another
    /// that outlives it.
    ///
    /// - Parameters:
    ///   - scope: what the token may do; nil gives the scope for the member's role (`admin` for
    ///     admins, `write` for everyone else). Only admins may make `admin` tokens.
    ///   - expiresAt: when the token stops working; nil for never. Must be in the future.
    public func createAPIToken(
        named rawName: String, scope: APITokenScope? = nil, expiresAt: Date? = nil, for identity: Identity
    ) async throws -> IssuedAPIToken {
        let name = try InputRules.requiredText(rawName, field: "name", label: "a name for the token", maxLength: TextLimits.tokenName)
        let scope = scope ?? .default(for: identity.role)
        guard APITokenScope.offered(to: identity.role).contains(scope) else {
            throw StoreError.invalid(
                field: "scope",
                message: "Only organisation admins can make a token with the admin scope. Choose read or write.")
        }
        if let expiresAt, expiresAt <= clock.now {
            throw StoreError.invalid(field: "expires_at", message: "The expiry date has already passed. Choose a date in the future, or no expiry.")
        }
        let secret = tokens.makeToken(prefix: "mut_")
        let token = APIToken(
            organisationID: identity.organisationID, accountID: identity.accountID, name: name,
            tokenDigest: SecretTokens.digest(secret), prefix: String(secret.prefix(8)), scope: scope, createdAt: clock.now,
            expiresAt: expiresAt)
        try await token.create(on: try db())
        return IssuedAPIToken(token: token, secret: secret)
    }

    /// The signed-in member's own tokens, newest first (expired ones included, so the page can
    /// say which have expired).
    public func apiTokens(of identity: Identity) async throws -> [APIToken] {
        try await APIToken.query(on: try db())
            .filter(\.$organisationID == identity.organisationID)
            .filter(\.$accountID == identity.accountID)
            .sort(\.$createdAt, .descending)
            .all()
    }

    /// Deletes one of the member's own tokens; anyone else's is "not found".
    public func revokeAPIToken(id: UUID, of identity: Identity) async throws {
        guard let token = try await APIToken.query(on: try db())
            .filter(\.$id == id)
            .filter(\.$organisationID == identity.organisationID)
            .filter(\.$accountID == identity.accountID)
            .first()
        else { throw StoreError.notFound(what: "API token") }
        try await token.delete(on: try db())
    }

    /// Looks up an `Authorization: Bearer` secret: a live token (with its owner as they are now,
    /// so a demoted owner's token loses what the role no longer allows), an expired one, or none.
    public func checkAPIToken(_ secret: String) async throws -> APITokenCheck {
        guard let token = try await APIToken.query(on: try db())
            .filter(\.$tokenDigest == SecretTokens.digest(secret))
            .first()
        else { return .unknown }
        let now = clock.now
        if let expiresAt = token.expiresAt, expiresAt <= now { return .expired(at: expiresAt) }
        guard let identity = try await identity(accountID: token.accountID) else { return .unknown }
        // Only the column that changes, so a scope or expiry read a moment ago is never written back.
        try await APIToken.query(on: try db()).filter(\.$id == token.requireID()).set(\.$lastUsedAt, to: now).update()
        return .valid(identity, scope: token.scope, tokenID: try token.requireID())
    }

    /// The member a live (known, unexpired) token belongs to, or nil.
    public func identity(forAPIToken secret: String) async throws -> Identity? {
        if case .valid(let identity, _, _) = try await checkAPIToken(secret) { return identity }
        return nil
    }
}
