import Foundation

/// How many failed sign-ins are allowed in a sliding window before Mutual answers 429.
public struct SignInLimits: Sendable {
    public var perAccount: Int
    public var perAddress: Int
    public var window: TimeInterval

    /// 5 failures per account and 20 per client address in 15 minutes.
    public init(perAccount: Int = 5, perAddress: Int = 20, window: TimeInterval = 15 * 60) {
        self.perAccount = perAccount
        self.perAddress = perAddress
        self.window = window
    }
}
