import FluentKit
import Foundation
import SQLKit

extension Store {
    /// How many recovery codes a login gets at a time.
    public static let recoveryCodeCount = 10

    /// Whether a login asks for a code at sign-in.
    public func twoFactorEnabled(loginID: UUID) async throws -> Bool {
        try await LoginTwoFactor.query(on: try db()).filter(\.$id == loginID).filter(\.$enabledAt != nil).count() > 0
    }

    /// The signed-in login's two-factor state.
    public func twoFactorStatus(of identity: Identity) async throws -> TwoFactorStatus {
        let row = try await LoginTwoFactor.find(identity.loginID, on: try db())
        let left = try await RecoveryCode.query(on: try db())
            .filter(\.$loginID == identity.loginID).filter(\.$usedAt == nil).count()
        return TwoFactorStatus(enabled: row?.enabledAt != nil, enabledAt: row?.enabledAt, recoveryCodesLeft: row?.enabledAt == nil ? 0 : left)
    }

    /// The secret to add to an authenticator app. The first call makes it (sealed, not yet in
    /// use); later calls show the same one until it is confirmed, so reloading the page does not
    /// undo what the person already scanned. Refused once two-factor sign-in is on.
    public func startTwoFactorEnrolment(for identity: Identity) async throws -> TwoFactorEnrolment {
        let row: LoginTwoFactor
        if let existing = try await LoginTwoFactor.find(identity.loginID, on: try db()) {
            guard existing.enabledAt == nil else {
                throw StoreError.conflict(field: nil, message: "Two-factor sign-in is already on for your account. Turn it off first to set up another app.")
            }
            if (try? sealer.open(existing.sealedSecret)) == nil {
                // Sealed under an earlier MUTUAL_SECRET and never confirmed: start afresh.
                existing.sealedSecret = try sealer.seal(TOTPCodes.makeSecret(tokens: tokens))
                try await existing.save(on: try db())
            }
            row = existing
        } else {
            let fresh = LoginTwoFactor(
                loginID: identity.loginID, sealedSecret: try sealer.seal(TOTPCodes.makeSecret(tokens: tokens)), createdAt: clock.now)
            do {
                try await fresh.create(on: try db())
                row = fresh
            } catch {
                // Another request (a second tab) made it first: show that one.
                guard let made = try await LoginTwoFactor.find(identity.loginID, on: try db()) else { throw error }
                row = made
            }
        }
        let codes = TOTPCodes(secret: try openSecret(row))
        return TwoFactorEnrolment(secretBase32: codes.base32, authenticatorURI: codes.authenticatorURI(email: identity.email))
    }

    /// Turns two-factor sign-in on once `password` is the login's current password and `code`
    /// shows the app has the secret; returns the new recovery codes, which are shown once and
    /// stored only as digests. The password is asked so that a stolen session cannot put its own
    /// authenticator app on the account and lock the owner out (a password reset does not clear
    /// two-factor sign-in).
    public func enableTwoFactor(for identity: Identity, password: String, code: String, clientAddress: String?) async throws -> [String] {
        let loginID = identity.loginID
        guard let row = try await LoginTwoFactor.find(loginID, on: try db()) else {
            throw StoreError.gone(message: "Set-up was not started. Open Two-factor sign-in again to see the secret for your app.")
        }
        guard row.enabledAt == nil else {
            throw StoreError.conflict(field: nil, message: "Two-factor sign-in is already on for your account.")
        }
        try await confirmCurrentPassword(password, for: identity, clientAddress: clientAddress)
        let now = clock.now
        let codes = makeRecoveryCodes()
        try await checkSecondFactor(
            loginID: loginID, email: identity.email, typed: code, clientAddress: clientAddress, row: row, acceptRecoveryCode: false
        ) { transaction, _ in
            guard let sql = transaction as? any SQLDatabase else { throw StoreError.unavailable }
            let enabled = try await sql.update(LoginTwoFactor.schema)
                .set("enabled_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(loginID))
                .where("enabled_at", .is, SQLLiteral.null)
                .returning("id").all()
            guard !enabled.isEmpty else {
                throw StoreError.conflict(field: nil, message: "Two-factor sign-in is already on for your account.")
            }
            try await self.replaceRecoveryCodes(codes, loginID: loginID, on: transaction)
            try await self.recordForLogin(.twoFactorEnabled, loginID: loginID, payload: ["recovery_codes": .int(codes.count)], on: transaction)
        }
        return codes
    }

    /// Turns two-factor sign-in off, given the login's current password and a current code or a
    /// recovery code. The secret and every recovery code are deleted.
    public func disableTwoFactor(for identity: Identity, password: String, code: String, clientAddress: String?) async throws {
        let loginID = identity.loginID
        let row = try await enabledTwoFactor(loginID)
        try await confirmCurrentPassword(password, for: identity, clientAddress: clientAddress)
        try await checkSecondFactor(
            loginID: loginID, email: identity.email, typed: code, clientAddress: clientAddress, row: row, acceptRecoveryCode: true
        ) { transaction, usedRecoveryCode in
            try await RecoveryCode.query(on: transaction).filter(\.$loginID == loginID).delete()
            try await LoginTwoFactor.query(on: transaction).filter(\.$id == loginID).delete()
            try await self.recordForLogin(
                .twoFactorDisabled, loginID: loginID, payload: ["with_recovery_code": .bool(usedRecoveryCode)], on: transaction)
        }
    }

    /// New recovery codes (the old ones stop working), given the login's current password and a
    /// current code or a recovery code.
    public func regenerateRecoveryCodes(for identity: Identity, password: String, code: String, clientAddress: String?) async throws -> [String] {
        let loginID = identity.loginID
        let row = try await enabledTwoFactor(loginID)
        try await confirmCurrentPassword(password, for: identity, clientAddress: clientAddress)
        let codes = makeRecoveryCodes()
        try await checkSecondFactor(
            loginID: loginID, email: identity.email, typed: code, clientAddress: clientAddress, row: row, acceptRecoveryCode: true
        ) { transaction, _ in
            try await self.replaceRecoveryCodes(codes, loginID: loginID, on: transaction)
            try await self.recordForLogin(.twoFactorRecoveryCodesRegenerated, loginID: loginID, payload: ["recovery_codes": .int(codes.count)], on: transaction)
        }
        return codes
    }

    // MARK: Checking a code

    /// Checks a typed code (or, where allowed, a recovery code) for a login, under the sign-in
    /// limits, and uses it up in the same transaction as `work`:
    ///
    /// - a TOTP code of the current step or one either side is accepted only if its step is
    ///   later than the last step used, and claiming it is one conditional update
    ///   (`… SET last_used_step = s WHERE last_used_step IS NULL OR last_used_step < s`), so two
    ///   parallel submissions of one code cannot both pass;
    /// - a recovery code is claimed with `… SET used_at = now WHERE used_at IS NULL`, so it
    ///   works once.
    ///
    /// The attempt is reserved before anything is checked (``reserveAttempt(_:)``). A wrong or
    /// reused code throws `invalid(field: "code")` and stays counted as a failure.
    func checkSecondFactor(
        loginID: UUID, email: String, typed: String, clientAddress: String?, row: LoginTwoFactor, acceptRecoveryCode: Bool,
        _ work: @escaping @Sendable (any Database, _ usedRecoveryCode: Bool) async throws -> Void
    ) async throws {
        let reserved = try await reserveAttempt(secondFactorSubjects(email: email, clientAddress: clientAddress))
        let now = clock.now
        let wrong = StoreError.invalid(
            field: "code",
            message: acceptRecoveryCode
                ? "That code is not right, or it was already used. Enter the current 6-digit code from your authenticator app (a new one appears every 30 seconds), or one of your unused recovery codes."
                : "That code is not right, or it was already used. Enter the current 6-digit code from your authenticator app (a new one appears every 30 seconds).")
        let claim: SecondFactorClaim
        if let digits = TOTPCodes.normalise(typed) {
            guard let step = TOTPCodes(secret: try openSecret(row)).matchingStep(digits, at: now) else { throw wrong }
            claim = .step(step)
        } else if acceptRecoveryCode, let recovery = Self.normaliseRecoveryCode(typed) {
            claim = .recoveryCode(digest: recoveryCodeDigest(recovery))
        } else {
            throw wrong
        }
        try await transaction { transaction in
            guard let sql = transaction as? any SQLDatabase else { throw StoreError.unavailable }
            switch claim {
            case .step(let step):
                let claimed = try await sql.update(LoginTwoFactor.schema)
                    .set("last_used_step", to: SQLBind(step))
                    .where("id", .equal, SQLBind(loginID))
                    .where(group: { $0.where("last_used_step", .is, SQLLiteral.null).orWhere("last_used_step", .lessThan, SQLBind(step)) })
                    .returning("id").all()
                guard !claimed.isEmpty else { throw wrong }
                try await work(transaction, false)
            case .recoveryCode(let digest):
                let claimed = try await sql.update(RecoveryCode.schema)
                    .set("used_at", to: SQLBind(now))
                    .where("login_id", .equal, SQLBind(loginID))
                    .where("code_digest", .equal, SQLBind(digest))
                    .where("used_at", .is, SQLLiteral.null)
                    .returning("id").all()
                guard !claimed.isEmpty else { throw wrong }
                let left = try await RecoveryCode.query(on: transaction).filter(\.$loginID == loginID).filter(\.$usedAt == nil).count()
                try await self.recordForLogin(.twoFactorRecoveryCodeUsed, loginID: loginID, payload: ["recovery_codes_left": .int(left)], on: transaction)
                try await work(transaction, true)
            }
        }
        try await releaseAttempts(reserved, clearing: ["account:\(email)", "two_factor:\(email)"])
    }

    private enum SecondFactorClaim: Sendable {
        case step(Int64)
        case recoveryCode(digest: String)
    }

    /// The login's secret in the clear, for this check only.
    private func openSecret(_ row: LoginTwoFactor) throws -> String {
        do {
            return try sealer.open(row.sealedSecret)
        } catch {
            throw StoreError.invalidConfiguration(
                "This account's two-factor secret cannot be read: MUTUAL_SECRET has changed since it was set up. Sign in with a recovery code, or ask whoever runs Mutual to restore the previous MUTUAL_SECRET or to run `mutual two-factor-off EMAIL`.")
        }
    }

    /// For operators (`mutual two-factor-off EMAIL`): turns two-factor sign-in off for a login
    /// that has lost its phone and its recovery codes. Recorded as `two_factor.disabled` with
    /// `by_operator: true` and no actor. Returns false when the login had it off (or does not exist).
    public func turnOffTwoFactor(email rawEmail: String) async throws -> Bool {
        let email = rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard let login = try await Login.query(on: try db()).filter(\.$email == email).first() else { return false }
        let loginID = try login.requireID()
        return try await transaction { transaction in
            guard let row = try await LoginTwoFactor.find(loginID, on: transaction) else { return false }
            let wasOn = row.enabledAt != nil
            try await RecoveryCode.query(on: transaction).filter(\.$loginID == loginID).delete()
            try await row.delete(on: transaction)
            guard wasOn else { return false }
            for membership in try await Account.query(on: transaction).filter(\.$loginID == loginID).all() {
                try await self.record(
                    NewEvent(
                        .twoFactorDisabled, organisationID: membership.organisationID, actor: nil, subject: loginID,
                        payload: ["with_recovery_code": .bool(false), "by_operator": .bool(true)]),
                    on: transaction)
            }
            return true
        }
    }

    private func enabledTwoFactor(_ loginID: UUID) async throws -> LoginTwoFactor {
        guard let row = try await LoginTwoFactor.find(loginID, on: try db()), row.enabledAt != nil else {
            throw StoreError.conflict(field: nil, message: "Two-factor sign-in is not on for your account.")
        }
        return row
    }

    // MARK: Recovery codes

    /// Ten codes of 12 hex digits (48 bits each), written `xxxx-xxxx-xxxx`.
    private func makeRecoveryCodes() -> [String] {
        (0..<Self.recoveryCodeCount).map { _ in
            let hex = Array(SecretTokens.digest(tokens.makeToken()).prefix(12))
            return [hex[0..<4], hex[4..<8], hex[8..<12]].map { String($0) }.joined(separator: "-")
        }
    }

    /// Lower case without dashes or spaces, when it has the shape of a recovery code.
    static func normaliseRecoveryCode(_ typed: String) -> String? {
        let text = typed.lowercased().filter { $0 != "-" && !$0.isWhitespace }
        guard text.count == 12, text.allSatisfy({ $0.isHexDigit && $0.isASCII }) else { return nil }
        return text
    }

    private func replaceRecoveryCodes(_ codes: [String], loginID: UUID, on database: any Database) async throws {
        try await RecoveryCode.query(on: database).filter(\.$loginID == loginID).delete()
        let now = clock.now
        for code in codes {
            guard let normalised = Self.normaliseRecoveryCode(code) else { continue }
            try await RecoveryCode(loginID: loginID, codeDigest: recoveryCodeDigest(normalised), createdAt: now).create(on: database)
        }
    }

    /// A recovery code's stored form: an HMAC under a key derived from `MUTUAL_SECRET`, not a plain
    /// hash. A code has 48 bits, few enough that a plain SHA-256 from a stolen database could be
    /// reversed by trying them all; without the server's secret there is nothing to try against.
    func recoveryCodeDigest(_ normalised: String) -> String {
        sealer.sign("recovery-code:" + normalised)
    }

    // MARK: Events

    /// Records a login's event once in each organisation it belongs to, acted by its person
    /// there, so every organisation's audit log shows it. Payloads hold counts and flags only.
    func recordForLogin(_ type: EventType, loginID: UUID, payload: [String: EventValue], on database: any Database) async throws {
        let memberships = try await Account.query(on: database).filter(\.$loginID == loginID).all()
        for membership in memberships {
            try await record(
                NewEvent(type, organisationID: membership.organisationID, actor: membership.personID, subject: loginID, payload: payload),
                on: database)
        }
    }
}
