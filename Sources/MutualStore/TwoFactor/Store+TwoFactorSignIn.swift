import FluentKit
import Foundation
import SQLKit

extension Store {
    /// How long the second step of a sign-in may take.
    public static let pendingSignInLifetime: TimeInterval = 5 * 60

    /// After a correct password for a login with two-factor sign-in: a token for the browser
    /// that stands for "password checked" for five minutes, once. No session exists yet.
    public func startPendingSignIn(for login: Login) async throws -> PendingSignInToken {
        try await startPendingSignIn(loginID: try login.requireID())
    }

    /// ``startPendingSignIn(for:)`` by the login's id.
    public func startPendingSignIn(loginID: UUID) async throws -> PendingSignInToken {
        let token = tokens.makeToken()
        let now = clock.now
        let pending = PendingSignIn(
            tokenDigest: SecretTokens.digest(token), loginID: loginID, createdAt: now,
            expiresAt: now.addingTimeInterval(Self.pendingSignInLifetime))
        try await pending.create(on: try db())
        // Expired halves of sign-ins are of no use to anyone; clear this login's.
        try await PendingSignIn.query(on: try db()).filter(\.$loginID == loginID).filter(\.$expiresAt <= now).delete()
        return PendingSignInToken(token: token, expiresAt: pending.expiresAt)
    }

    /// Whether a pending sign-in token is still usable (for showing the code page).
    public func pendingSignInIsValid(token: String) async throws -> Bool {
        try await pendingSignIn(token: token) != nil
    }

    /// The second step: `code` is a current TOTP code or a recovery code for the pending
    /// sign-in's login. Wrong codes count against the same limits as wrong passwords (the
    /// attempt is reserved before the check). On success the pending sign-in is used up, in the
    /// same transaction as the code, and the login is returned to choose a membership for.
    public func completeSignIn(pendingToken: String, code: String, clientAddress: String?) async throws -> Login {
        guard let pending = try await pendingSignIn(token: pendingToken), let login = try await Login.find(pending.loginID, on: try db())
        else { throw Self.pendingSignInGone }
        guard let row = try await LoginTwoFactor.find(pending.loginID, on: try db()), row.enabledAt != nil else {
            // Two-factor sign-in was turned off meanwhile: start again with the password.
            throw Self.pendingSignInGone
        }
        let digest = SecretTokens.digest(pendingToken)
        let now = clock.now
        try await checkSecondFactor(
            loginID: pending.loginID, email: login.email, typed: code, clientAddress: clientAddress, row: row, acceptRecoveryCode: true
        ) { transaction, _ in
            guard let sql = transaction as? any SQLDatabase else { throw StoreError.unavailable }
            let claimed = try await sql.delete(from: PendingSignIn.schema)
                .where("id", .equal, SQLBind(digest))
                .where("expires_at", .greaterThan, SQLBind(now))
                .returning("id").all()
            guard !claimed.isEmpty else { throw Self.pendingSignInGone }
        }
        login.lastSignInAt = now
        try await login.save(on: try db())
        return login
    }

    private func pendingSignIn(token: String) async throws -> PendingSignIn? {
        guard !token.isEmpty, let pending = try await PendingSignIn.find(SecretTokens.digest(token), on: try db()),
            pending.expiresAt > clock.now
        else { return nil }
        return pending
    }

    static let pendingSignInGone = StoreError.gone(
        message: "This sign-in has expired (the code must be entered within 5 minutes) or was already used. Sign in again with your email and password.")
}
