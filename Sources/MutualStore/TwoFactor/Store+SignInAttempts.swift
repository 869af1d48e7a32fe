import FluentKit
import Foundation

extension Store {
    /// One thing a guess is counted against, and how many guesses it may have in the window.
    struct AttemptSubject: Sendable {
        let subject: String
        let limit: Int
    }

    /// The subjects a second-factor guess counts against: the login's second factor, which a
    /// correct password does not clear (so knowing the password does not buy a fresh round of
    /// code guesses), and the client address. Not the account's password failures: anyone who
    /// knows the address can add those with wrong passwords, and counting them here would let
    /// them keep the owner, who has the password and the code, from ever getting past the code.
    func secondFactorSubjects(email: String, clientAddress: String?) -> [AttemptSubject] {
        [AttemptSubject(subject: "two_factor:\(email)", limit: limits.perSecondFactor)]
            + (clientAddress.map { [AttemptSubject(subject: "address:\($0)", limit: limits.perAddress)] } ?? [])
    }

    /// Reserves one attempt for each subject before anything secret is checked, the way
    /// ``signIn(email:password:clientAddress:)`` does for passwords: each attempt records itself,
    /// then counts the window's attempts (itself included), and goes on only while that count is
    /// within the limit. Parallel attempts see each other's rows, so no more than the limit are
    /// ever checked. Over the limit, the reservation is taken back and `tooManyAttempts` thrown.
    /// The returned rows are the failure if the check fails; ``releaseAttempts(_:clearing:)``
    /// takes them back on success.
    func reserveAttempt(_ subjects: [AttemptSubject]) async throws -> [SignInFailure] {
        let now = clock.now
        let windowStart = now.addingTimeInterval(-limits.window)
        var reserved: [SignInFailure] = []
        for subject in subjects {
            let attempt = SignInFailure(subject: subject.subject, occurredAt: now)
            try await attempt.create(on: try db())
            reserved.append(attempt)
        }
        for subject in subjects {
            let attempts = try await SignInFailure.query(on: try db())
                .filter(\.$subject == subject.subject)
                .filter(\.$occurredAt > windowStart)
                .sort(\.$occurredAt, .ascending)
                .all()
            if attempts.count > subject.limit {
                for attempt in reserved { try await attempt.delete(on: try db()) }
                let oldestThatMustExpire = attempts[attempts.count - 1 - subject.limit].occurredAt
                let retry = Int(ceil(oldestThatMustExpire.addingTimeInterval(limits.window).timeIntervalSince(now)))
                throw StoreError.tooManyAttempts(retryAfterSeconds: max(1, retry))
            }
        }
        return reserved
    }

    /// After a successful check: the reservation is not a failure, and the subjects in
    /// `clearing` (the account's) start again from zero.
    func releaseAttempts(_ reserved: [SignInFailure], clearing: [String]) async throws {
        for attempt in reserved { try await attempt.delete(on: try db()) }
        if !clearing.isEmpty {
            try await SignInFailure.query(on: try db()).filter(\.$subject ~~ clearing).delete()
        }
    }
}
