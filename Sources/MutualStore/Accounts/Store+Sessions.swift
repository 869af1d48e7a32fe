import FluentKit
import Foundation

extension Store {
    /// How long a browser stays signed in without signing in again.
    public static let sessionLifetime: TimeInterval = 14 * 24 * 3600

    /// Starts a session; returns the token for the cookie (only its digest is stored).
    public func startSession(for account: Account) async throws -> (token: String, expiresAt: Date) {
        let token = tokens.makeToken()
        let now = clock.now
        let session = Session(
            tokenDigest: SecretTokens.digest(token), organisationID: account.organisationID,
            accountID: try account.requireID(), createdAt: now, expiresAt: now.addingTimeInterval(Self.sessionLifetime))
        try await session.create(on: try db())
        return (token, session.expiresAt)
    }

    /// The member a session cookie belongs to, or nil when it is unknown or expired.
    public func identity(forSessionToken token: String) async throws -> Identity? {
        guard let session = try await Session.find(SecretTokens.digest(token), on: try db()) else { return nil }
        guard session.expiresAt > clock.now else {
            try await session.delete(on: try db())
            return nil
        }
        return try await identity(accountID: session.accountID)
    }

    /// Ends a session (sign-out). Unknown tokens are ignored: signing out twice is fine.
    public func endSession(token: String) async throws {
        try await Session.query(on: try db()).filter(\.$id == SecretTokens.digest(token)).delete()
    }

    func identity(accountID: UUID) async throws -> Identity? {
        guard let account = try await Account.find(accountID, on: try db()),
            let organisation = try await Organisation.find(account.organisationID, on: try db())
        else { return nil }
        return try Identity(account: account, organisation: organisation)
    }
}
