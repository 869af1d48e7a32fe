import FluentKit
import Foundation

extension Store {
    /// Checks an email and password, counting failures per account and per client address.
    ///
    /// The attempt is counted before the password is checked, not after: each attempt first
    /// records itself (one row per subject), then counts the attempts in the window, itself
    /// included, and goes on only while that count is within the limit. Parallel attempts all
    /// see each other's rows, so no more than the limit ever reach bcrypt, however many arrive
    /// at once. A successful sign-in takes its own rows back and clears the account's count.
    /// Once a limit is reached it throws `tooManyAttempts` before checking anything.
    ///
    /// Returns the login; which organisation to enter is the caller's next step
    /// (``defaultMembership(of:)``, ``memberships(ofLogin:)``).
    public func signIn(email rawEmail: String, password: String, clientAddress: String?) async throws -> Login {
        let email = rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let subjects = ["account:\(email)"] + (clientAddress.map { ["address:\($0)"] } ?? [])
        let now = clock.now
        let windowStart = now.addingTimeInterval(-limits.window)
        var reserved: [SignInFailure] = []
        for subject in subjects {
            let attempt = SignInFailure(subject: subject, occurredAt: now)
            try await attempt.create(on: try db())
            reserved.append(attempt)
        }
        for subject in subjects {
            let limit = subject.hasPrefix("account:") ? limits.perAccount : limits.perAddress
            let attempts = try await SignInFailure.query(on: try db())
                .filter(\.$subject == subject)
                .filter(\.$occurredAt > windowStart)
                .sort(\.$occurredAt, .ascending)
                .all()
            if attempts.count > limit {
                // This attempt is over the limit: it does not count, and it learns nothing.
                for attempt in reserved { try await attempt.delete(on: try db()) }
                // The oldest counted failure leaves the window first; that is when one more try is allowed.
                let oldestThatMustExpire = attempts[attempts.count - 1 - limit].occurredAt
                let retry = Int(ceil(oldestThatMustExpire.addingTimeInterval(limits.window).timeIntervalSince(now)))
                throw StoreError.tooManyAttempts(retryAfterSeconds: max(1, retry))
            }
        }
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
            // The rows recorded above are the failure.
            throw StoreError.wrongCredentials
        }
        for attempt in reserved { try await attempt.delete(on: try db()) }
        try await SignInFailure.query(on: try db()).filter(\.$subject == "account:\(email)").delete()
        login.lastSignInAt = now
        try await login.save(on: try db())
        return login
    }
}
