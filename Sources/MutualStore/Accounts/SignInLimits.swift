import Foundation

/// How failed sign-ins slow down further attempts.
///
/// Per account (email address), the first `perAccount` failures cost nothing; after that each
/// attempt must wait `firstDelay`, then twice as long after each further failure (1 s, 2 s,
/// 4 s, 8 s …), never more than `maxDelay`. Failures count for `accountWindow` and are cleared by
/// a successful sign-in, the unlock link or a password reset. At `lockThreshold` failures the
/// owner is emailed an unlock link, once per lock. Per client address, at most `perAddress`
/// failures in `window` (a sliding window) are allowed, across all accounts.
public struct SignInLimits: Sendable {
    /// Failures per account before each further attempt must wait.
    public var perAccount: Int
    public var perAddress: Int
    /// The per-address window.
    public var window: TimeInterval
    /// The wait after `perAccount` failures; it doubles with each further failure.
    public var firstDelay: TimeInterval
    /// The longest wait between two attempts on one account.
    public var maxDelay: TimeInterval
    /// How long an account's failures count when no sign-in succeeds.
    public var accountWindow: TimeInterval
    /// Failures at which the account's owner is emailed an unlock link.
    public var lockThreshold: Int
    /// Wrong two-factor codes per login in `window`. Codes have a limit of their own: they are
    /// guessed only after the password, and a correct password does not clear them.
    public var perSecondFactor: Int

    /// 3 free failures per account, then waits of 1 s doubling up to 15 minutes; the owner is
    /// emailed at 5 failures; 20 failures per client address in 15 minutes; 5 wrong two-factor
    /// codes per login in 15 minutes.
    public init(
        perAccount: Int = 3, perAddress: Int = 20, window: TimeInterval = 15 * 60, firstDelay: TimeInterval = 1,
        maxDelay: TimeInterval = 15 * 60, accountWindow: TimeInterval = 24 * 3600, lockThreshold: Int? = nil,
        perSecondFactor: Int = 5
    ) {
        self.perSecondFactor = perSecondFactor
        self.perAccount = perAccount
        self.perAddress = perAddress
        self.window = window
        self.firstDelay = firstDelay
        self.maxDelay = maxDelay
        self.accountWindow = accountWindow
        self.lockThreshold = lockThreshold ?? perAccount + 2
    }

    /// How long the next attempt must wait after the last of `failures` failures (0 while free).
    public func delay(afterFailures failures: Int) -> TimeInterval {
        guard failures >= perAccount else { return 0 }
        let doublings = min(failures - perAccount, 40)
        return min(maxDelay, firstDelay * pow(2, Double(doublings)))
    }
}
