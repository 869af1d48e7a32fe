import FluentKit
import Foundation
import SQLKit

extension Store {
    /// How long an emailed unlock link works.
    public static let unlockLinkLifetime: TimeInterval = 24 * 3600

    /// Checks an email and password, slowing failures per account (a growing delay) and per
    /// client address (a limit in a sliding window). See ``SignInLimits``.
    ///
    /// The attempt is counted before the password is checked, not after: each attempt first
    /// records itself (one row per subject), then reads the other attempts and goes on only if
    /// they allow it. Per address, the count in the window, itself included, must be within the
    /// limit. Per account, once the free failures are used, the newest other attempt must be
    /// older than the delay their number calls for. Two attempts that both go on would each have
    /// had to read before the other recorded itself, which cannot happen; so parallel attempts
    /// never get more password checks than the rules allow, however many arrive at once (an
    /// attempt that was refused may still be seen by another, which only makes that one wait).
    /// A refused attempt takes its rows back and throws `tooManyAttempts` before checking
    /// anything. A successful sign-in takes its rows back and clears the account's failures.
    ///
    /// Returns the login; which organisation to enter is the caller's next step
    /// (``defaultMembership(of:)``, ``memberships(ofLogin:)``).
    public func signIn(email rawEmail: String, password: String, clientAddress: String?) async throws -> Login {
        let email = rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        // No login has such an address, and it must not reach the database: a long one overflows
        // PostgreSQL's index on `sign_in_failures.subject`. It gets a wrong password's answer,
        // after a wrong password's time.
        if email.count > TextLimits.email || InputRules.forbiddenScalar(in: email, allowingLineBreaks: false) != nil {
            _ = try await passwords.verify(password, hash: passwords.timingDummyHash)
            throw StoreError.wrongCredentials
        }
        let attempt = try await reservePasswordAttempt(email: email, clientAddress: clientAddress)
        let login = try await Login.query(on: try db()).filter(\.$email == email).first()
        let matches: Bool
        if let login {
            matches = try await passwords.verify(password, hash: login.passwordHash)
        } else {
            // Spend the same time as a real check so response times do not reveal which emails exist.
            _ = try await passwords.verify(password, hash: passwords.timingDummyHash)
            matches = false
        }
        guard let login, matches else {
            try await passwordAttemptFailed(attempt, login: login)
            throw StoreError.wrongCredentials
        }
        try await passwordAttemptSucceeded(attempt)
        // The right password is still not enough where the organisation requires single sign-on.
        try await refusePasswordIfSingleSignOnRequired(loginID: try login.requireID())
        login.lastSignInAt = clock.now
        login.lockoutNotifiedAt = nil
        try await login.save(on: try db())
        return login
    }

    /// A password check's reservation against the sign-in limits: its own rows (the account's
    /// first, then the address's), and how many other failures the account had in its window.
    struct PasswordAttempt {
        let reserved: [SignInFailure]
        let accountSubject: String
        let earlierFailures: Int
    }

    /// Reserves one password attempt for `email` (already trimmed and lower-cased) and the
    /// client address before any password is checked, as described on
    /// ``signIn(email:password:clientAddress:)``. Over a limit, the reservation is taken back and
    /// `tooManyAttempts` thrown. Every password check (sign-in, and confirming the password
    /// before a two-factor change) goes through here, so they share one count.
    func reservePasswordAttempt(email: String, clientAddress: String?) async throws -> PasswordAttempt {
        let accountSubject = "account:\(email)"
        let addressSubject = clientAddress.map { "address:\($0)" }
        let now = clock.now
        var reserved: [SignInFailure] = []
        for subject in [accountSubject] + (addressSubject.map { [$0] } ?? []) {
            let attempt = SignInFailure(subject: subject, occurredAt: now)
            try await attempt.create(on: try db())
            reserved.append(attempt)
        }
        func refuse(until allowedAt: Date) async throws -> Never {
            // This attempt is over the limit: it does not count, and it learns nothing.
            for attempt in reserved { try await attempt.delete(on: try db()) }
            throw StoreError.tooManyAttempts(retryAfterSeconds: max(1, Int(ceil(allowedAt.timeIntervalSince(now)))))
        }
        if let addressSubject {
            let attempts = try await SignInFailure.query(on: try db())
                .filter(\.$subject == addressSubject)
                .filter(\.$occurredAt > now.addingTimeInterval(-limits.window))
                .sort(\.$occurredAt, .ascending)
                .all()
            if attempts.count > limits.perAddress {
                // The oldest counted failure leaves the window first; that is when one more try is allowed.
                try await refuse(until: attempts[attempts.count - 1 - limits.perAddress].occurredAt.addingTimeInterval(limits.window))
            }
        }
        let ownID = try reserved[0].requireID()
        let earlier = try await SignInFailure.query(on: try db())
            .filter(\.$subject == accountSubject)
            .filter(\.$occurredAt > now.addingTimeInterval(-limits.accountWindow))
            .filter(\.$id != ownID)
            .sort(\.$occurredAt, .ascending)
            .all()
        let wait = limits.delay(afterFailures: earlier.count)
        if wait > 0, let newest = earlier.last, now < newest.occurredAt.addingTimeInterval(wait) {
            try await refuse(until: newest.occurredAt.addingTimeInterval(wait))
        }
        return PasswordAttempt(reserved: reserved, accountSubject: accountSubject, earlierFailures: earlier.count)
    }

    /// A wrong password: the reserved rows stay as the failure, and the owner is emailed an
    /// unlock link once the account reaches the lock threshold.
    func passwordAttemptFailed(_ attempt: PasswordAttempt, login: Login?) async throws {
        if let login, attempt.earlierFailures + 1 >= limits.lockThreshold {
            try await notifyLocked(login, failures: attempt.earlierFailures + 1)
        }
    }

    /// A right password: the reservation is not a failure, and the account's failures are cleared.
    func passwordAttemptSucceeded(_ attempt: PasswordAttempt) async throws {
        for row in attempt.reserved { try await row.delete(on: try db()) }
        try await SignInFailure.query(on: try db()).filter(\.$subject == attempt.accountSubject).delete()
    }

    /// The message when the password confirming a two-factor change is wrong.
    static let wrongCurrentPassword = StoreError.invalid(
        field: "password",
        message: "That is not your current password. Type the password you sign in with into “Your current password”, or use “Forgot your password?” on the sign-in page.")

    /// Checks the signed-in login's current password before a change that a stolen session alone
    /// must not make (turning two-factor sign-in on or off, new recovery codes). It is counted
    /// against the sign-in limits before the check, exactly like a sign-in
    /// (``reservePasswordAttempt(email:clientAddress:)``): too many throws `tooManyAttempts`, a
    /// wrong password throws `invalid(field: "password")` and stays counted as a failure.
    public func confirmCurrentPassword(_ password: String, for identity: Identity, clientAddress: String?) async throws {
        let login = try await Login.find(identity.loginID, on: try db())
        let attempt = try await reservePasswordAttempt(email: login?.email ?? identity.email, clientAddress: clientAddress)
        let matches: Bool
        if let login, !password.isEmpty {
            matches = try await passwords.verify(password, hash: login.passwordHash)
        } else {
            matches = false
        }
        guard matches else {
            try await passwordAttemptFailed(attempt, login: login)
            throw Self.wrongCurrentPassword
        }
        try await passwordAttemptSucceeded(attempt)
    }

    /// Emails the owner of a login that reached the lock threshold a single-use unlock link,
    /// once per lock: the first failure to claim `lockout_notified_at` sends it, in one
    /// transaction with the link's row and an `account.locked` event per organisation.
    private func notifyLocked(_ login: Login, failures: Int) async throws {
        let loginID = try login.requireID()
        let token = tokens.makeToken()
        let now = clock.now
        let link = "\(mailSettings.baseURL)/unlock/\(token)"
        try await transaction { database in
            guard let sql = database as? any SQLDatabase else { return }
            let claimed = try await sql.update(Login.schema)
                .set("lockout_notified_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(loginID))
                .where("lockout_notified_at", .is, SQLLiteral.null)
                .returning("id")
                .all()
            guard !claimed.isEmpty else { return }
            let row = LoginLink(
                loginID: loginID, purpose: .unlock, tokenDigest: SecretTokens.digest(token), createdAt: now,
                expiresAt: now.addingTimeInterval(Self.unlockLinkLifetime))
            try await row.create(on: database)
            let memberships = try await Account.query(on: database).filter(\.$loginID == loginID).all()
            for account in memberships {
                try await self.record(
                    NewEvent(.accountLocked, organisationID: account.organisationID, actor: nil, subject: try account.requireID(),
                             payload: ["failures": .int(failures)]),
                    on: database)
            }
            var values: [String: any Sendable] = ["link": link, "action": "Unlock my account", "failures": String(failures)]
            if let name = memberships.first?.name { values["name"] = name }
            _ = try await self.queueEmail(
                template: "account-locked", category: .essential,
                to: EmailRecipient(personID: nil, email: login.email, name: memberships.first?.name),
                organisationID: nil, values: values,
                uniqueKey: "email:unlock:\(try row.requireID().uuidString.lowercased())", on: database)
        }
    }

    /// Follows an unlock link: in one transaction it claims the link (once), clears the
    /// login's failed sign-ins so its owner can sign in at once, and re-arms the lock email.
    public func unlock(token: String) async throws -> Login {
        let (link, _) = try await pendingLoginLink(token: token, purpose: .unlock)
        let now = clock.now
        return try await transaction { database in
            try await self.claim(link, at: now, on: database)
            guard let login = try await Login.find(link.loginID, on: database) else {
                throw StoreError.gone(message: "This unlock link is not valid any more. Sign in, or use “Forgot your password?”.")
            }
            try await SignInFailure.query(on: database).filter(\.$subject == "account:\(login.email)").delete()
            login.lockoutNotifiedAt = nil
            try await login.save(on: database)
            let loginID = try login.requireID()
            for account in try await Account.query(on: database).filter(\.$loginID == loginID).all() {
                try await self.record(
                    NewEvent(.accountUnlocked, organisationID: account.organisationID, actor: account.personID, subject: try account.requireID()),
                    on: database)
            }
            return login
        }
    }
}
