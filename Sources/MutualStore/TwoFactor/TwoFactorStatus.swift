import Foundation

/// Where a login stands with two-factor sign-in, as the account page shows it.
public struct TwoFactorStatus: Sendable, Equatable {
    /// Codes are asked for at sign-in.
    public let enabled: Bool
    public let enabledAt: Date?
    /// Recovery codes not yet used.
    public let recoveryCodesLeft: Int
}

/// What a person needs to add Mutual to an authenticator app. Shown only on their own account page.
public struct TwoFactorEnrolment: Sendable {
    /// The secret in base32, to type into an app.
    public let secretBase32: String
    /// `otpauth://totp/Mutual:<email>?secret=…&issuer=Mutual`, for apps that read a link or QR code.
    public let authenticatorURI: String
}

/// A pending sign-in's token for the browser's cookie, and when it stops working.
public struct PendingSignInToken: Sendable {
    public let token: String
    public let expiresAt: Date
}
