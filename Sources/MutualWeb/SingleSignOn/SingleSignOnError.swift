import Foundation

/// What can go wrong between "Sign in with …" and a session, each with the words a person
/// sees: what happened and what to do. None of them is a 500.
public enum SingleSignOnError: Error, LocalizedError, Equatable {
    /// The provider could not be reached, or answered with something that is not OpenID Connect.
    case providerUnavailable(name: String, detail: String)
    /// The provider sent the person back with an error instead of a code (cancelled, refused).
    case providerRefused(name: String, reason: String)
    /// The token endpoint refused the code: used already, expired, or not issued to Mutual.
    case codeRejected(name: String)
    /// The ID token failed a check.
    case invalidIDToken(IDTokenProblem)
    /// The ID token carries no email address.
    case noEmail(name: String)
    /// The provider did not say the address is verified.
    case emailNotVerified(name: String, email: String)
    /// `MUTUAL_OIDC_ISSUER` is not set.
    case notConfigured

    /// Which check an ID token failed.
    public enum IDTokenProblem: String, Sendable, Equatable {
        case malformed, unsupportedAlgorithm, unknownKey, badSignature, wrongIssuer, wrongAudience, wrongNonce, expired, issuedInFuture
    }

    public var errorDescription: String? {
        switch self {
        case .providerUnavailable(let name, let detail):
            return "Mutual could not reach \(name) to sign you in (\(detail)). Try again in a moment; if it keeps failing, tell your organisation's Mutual admin, who can still sign in with a password."
        case .providerRefused(let name, let reason):
            return "\(name) did not sign you in (\(reason)). Go back to the sign-in page and try again; if you cancelled, that is all there is to it."
        case .codeRejected(let name):
            return "\(name) no longer accepts this sign-in: its link was already used or has expired. Go back to the sign-in page and choose the single sign-on button again."
        case .invalidIDToken(.expired):
            return "The sign-in from your identity provider had expired by the time it reached Mutual. Sign in again; if it keeps happening, ask your admin to check the server's clock."
        case .invalidIDToken(let problem):
            return "The answer from your identity provider could not be verified (\(problem.explanation)), so you were not signed in. Try again; if it keeps happening, ask your organisation's Mutual admin to check the single sign-on settings."
        case .noEmail(let name):
            return "\(name) signed you in but did not tell Mutual your email address. Ask your admin to let Mutual read the email claim (the “email” scope) at the identity provider."
        case .emailNotVerified(let name, let email):
            return "\(name) has not confirmed that \(email) is your address, so Mutual cannot sign you in with it. Verify the address with your identity provider, or ask your admin."
        case .notConfigured:
            return "Single sign-on is not set up on this server. Sign in with your email and password, or ask your admin to configure MUTUAL_OIDC_ISSUER."
        }
    }

    /// The HTTP status of the error page.
    var status: Int {
        switch self {
        case .providerUnavailable: 502
        case .notConfigured: 404
        case .codeRejected: 410
        case .providerRefused, .invalidIDToken, .noEmail, .emailNotVerified: 403
        }
    }
}

extension SingleSignOnError.IDTokenProblem {
    var explanation: String {
        switch self {
        case .malformed: "the ID token is not a well-formed signed token"
        case .unsupportedAlgorithm: "the ID token is signed with an algorithm Mutual does not accept"
        case .unknownKey: "the ID token is signed with a key the provider does not publish"
        case .badSignature: "the ID token's signature does not match the provider's key"
        case .wrongIssuer: "the ID token was issued by another provider"
        case .wrongAudience: "the ID token was issued for another application"
        case .wrongNonce: "the ID token belongs to another sign-in"
        case .expired: "the ID token has expired"
        case .issuedInFuture: "the ID token is dated in the future"
        }
    }
}
