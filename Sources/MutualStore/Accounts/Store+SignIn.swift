import FluentKit
import Foundation

extension Store {
    /// Checks an email and password, counting failures per account and per client address.
    /// Throws `tooManyAttempts` before checking anything once either limit is reached, so a
    /// guesser learns nothing more.
    public func signIn(email rawEmail: String, password: String, clientAddress: String?) async throws -> Account {
        let email = rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let subjects = ["account:\(email)"] + (clientAddress.map { ["address:\($0)"] } ?? [])
        let now = clock.now
        let windowStart = now.addingTimeInterval(-limits.window)
        for subject in subjects {
            let limit = subject.hasPrefix("account:") ? limits.perAccount : limits.perAddress
            let failures = try await SignInFailure.query(on: try db())
                .filter(\.$subject == subject)
                .filter(\.$occurredAt > windowStart)
                .sort(\.$occurredAt, .ascending)
                .all()
            if failures.count >= limit {
                // The oldest counted failure leaves the window first; that is when one more try is allowed.
                let oldestThatMustExpire = failures[failures.count - limit].occurredAt
                let retry = Int(ceil(oldestThatMustExpire.addingTimeInterval(limits.window).timeIntervalSince(now)))
                throw StoreError.tooManyAttempts(retryAfterSeconds: max(1, retry))
            }
        }
        let account = try await Account.query(on: try db()).filter(\.$email == email).first()
        let matches: Bool
        if let account {
            matches = try await passwords.verify(password, hash: account.passwordHash)
        } else {
            // Spend the same time as a real check so response times do not reveal which emails exist.
            _ = try await passwords.verify(password, hash: passwords.timingDummyHash)
            matches = false
        }
        guard let account, matches else {
            for subject in subjects {
                try await SignInFailure(subject: subject, occurredAt: now).create(on: try db())
            }
            throw StoreError.wrongCredentials
        }
        try await SignInFailure.query(on: try db()).filter(\.$subject == "account:\(email)").delete()
        account.lastSignInAt = now
        try await account.save(on: try db())
        return account
    }

}
