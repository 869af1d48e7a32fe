import FluentKit
import Foundation

/// A newly made API token with the only copy of its secret.
public struct IssuedAPIToken: Sendable {
    public let token: APIToken
    public let secret: String
}

extension Store {
    /// Creates a personal API token for the signed-in member.
    public func createAPIToken(named rawName: String, for identity: Identity) async throws -> IssuedAPIToken {
        let name = try InputRules.requiredText(rawName, field: "name", label: "a name for the token", maxLength: TextLimits.tokenName)
        let secret = tokens.makeToken(prefix: "mut_")
        let token = APIToken(
            organisationID: identity.organisationID, accountID: identity.accountID, name: name,
            tokenDigest: SecretTokens.digest(secret), prefix: String(secret.prefix(8)), createdAt: clock.now)
        try await token.create(on: try db())
        return IssuedAPIToken(token: token, secret: secret)
    }

    /// The signed-in member's own tokens, newest first.
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

    /// The member an `Authorization: Bearer` secret belongs to, or nil.
    public func identity(forAPIToken secret: String) async throws -> Identity? {
        guard let token = try await APIToken.query(on: try db())
            .filter(\.$tokenDigest == SecretTokens.digest(secret))
            .first()
        else { return nil }
        token.lastUsedAt = clock.now
        try await token.save(on: try db())
        return try await identity(accountID: token.accountID)
    }
}
