import FluentKit
import Foundation

/// What the provisioning page shows of an organisation's SCIM token (never the secret).
public struct SCIMTokenStatus: Sendable, Equatable {
    public let prefix: String
    public let createdAt: Date
    public let lastUsedAt: Date?
}

extension Store {
    /// The prefix every SCIM token starts with, so a leaked one is recognisable in a log or a scan.
    public static let scimTokenPrefix = "scim_"

    /// The organisation's provisioning token, if it has one. Admins only.
    public func scimToken(of identity: Identity) async throws -> SCIMTokenStatus? {
        try requireRole(.admin, identity)
        guard let token = try await SCIMToken.query(on: try db()).filter(\.$organisationID == identity.organisationID).first() else {
            return nil
        }
        return SCIMTokenStatus(prefix: token.prefix, createdAt: token.createdAt, lastUsedAt: token.lastUsedAt)
    }

    /// Makes the organisation's provisioning token and returns its secret, which is not shown
    /// again. An organisation has at most one: when it has one already, rotate or revoke it.
    public func createSCIMToken(by identity: Identity) async throws -> String {
        try requireRole(.admin, identity)
        let secret = tokens.makeToken(prefix: Self.scimTokenPrefix)
        let now = clock.now
        try await transaction { database in
            // Two admins creating at once: the second waits here and then finds the first's token.
            try await Self.lockRows(Organisation.schema, where: "id", equals: identity.organisationID, on: database)
            guard try await SCIMToken.query(on: database).filter(\.$organisationID == identity.organisationID).first() == nil else {
                throw StoreError.conflict(
                    field: nil,
                    message: "This organisation already has a provisioning token. Rotate it to get a new secret, or revoke it first.")
            }
            let token = SCIMToken()
            token.id = UUID()
            token.organisationID = identity.organisationID
            token.tokenDigest = SecretTokens.digest(secret)
            token.prefix = String(secret.prefix(Self.scimTokenPrefix.count + 6))
            token.createdBy = identity.personID
            token.createdAt = now
            try await token.create(on: database)
            try await self.record(
                NewEvent(.scimTokenCreated, organisationID: identity.organisationID, actor: identity.personID, subject: try token.requireID()),
                on: database)
        }
        return secret
    }

    /// Replaces the organisation's provisioning token with a new secret, returned once. The old
    /// secret stops working at once: paste the new one into the identity provider straight away.
    public func rotateSCIMToken(by identity: Identity) async throws -> String {
        try requireRole(.admin, identity)
        let secret = tokens.makeToken(prefix: Self.scimTokenPrefix)
        let now = clock.now
        try await transaction { database in
            try await Self.lockRows(Organisation.schema, where: "id", equals: identity.organisationID, on: database)
            guard let token = try await SCIMToken.query(on: database).filter(\.$organisationID == identity.organisationID).first() else {
                throw StoreError.notFound(what: "provisioning token")
            }
            token.tokenDigest = SecretTokens.digest(secret)
            token.prefix = String(secret.prefix(Self.scimTokenPrefix.count + 6))
            token.createdBy = identity.personID
            token.createdAt = now
            token.lastUsedAt = nil
            try await token.save(on: database)
            try await self.record(
                NewEvent(.scimTokenRotated, organisationID: identity.organisationID, actor: identity.personID, subject: try token.requireID()),
                on: database)
        }
        return secret
    }

    /// Deletes the organisation's provisioning token: its identity provider is refused from now on.
    public func revokeSCIMToken(by identity: Identity) async throws {
        try requireRole(.admin, identity)
        try await transaction { database in
            try await Self.lockRows(Organisation.schema, where: "id", equals: identity.organisationID, on: database)
            guard let token = try await SCIMToken.query(on: database).filter(\.$organisationID == identity.organisationID).first() else {
                throw StoreError.notFound(what: "provisioning token")
            }
            let id = try token.requireID()
            try await token.delete(on: database)
            try await self.record(
                NewEvent(.scimTokenRevoked, organisationID: identity.organisationID, actor: identity.personID, subject: id), on: database)
        }
    }

    /// The organisation whose provisioning token `secret` is, or nil for an unknown secret.
    public func organisationForSCIMToken(_ secret: String) async throws -> UUID? {
        guard secret.hasPrefix(Self.scimTokenPrefix), secret.count < 200,
            let token = try await SCIMToken.query(on: try db()).filter(\.$tokenDigest == SecretTokens.digest(secret)).first()
        else { return nil }
        // Only the column that changes, and at most once a minute: a provider's sync sends
        // thousands of requests, and each need not be a write.
        let now = clock.now
        if token.lastUsedAt.map({ now.timeIntervalSince($0) > 60 }) ?? true {
            try await SCIMToken.query(on: try db()).filter(\.$id == token.requireID()).set(\.$lastUsedAt, to: now).update()
        }
        return token.organisationID
    }
}
