import Foundation

/// Everything the store refuses, in words a person can act on. The web layer maps each case
/// to an HTTP status; nothing here knows about HTTP.
public enum StoreError: Error, LocalizedError, Equatable, Sendable {
    /// A value a person typed is wrong; `field` names the input.
    case invalid(field: String, message: String)
    /// The thing does not exist in the caller's organisation (or at all: we never say which).
    case notFound(what: String)
    /// The request clashes with existing data, e.g. an email that already has an account.
    case conflict(field: String?, message: String)
    /// The link or token is no longer usable.
    case gone(message: String)
    /// Email and password do not match an account.
    case wrongCredentials
    /// Too many failed sign-ins; try again after the given number of seconds.
    case tooManyAttempts(retryAfterSeconds: Int)
    /// The caller's role does not allow this.
    case forbidden(message: String)
    /// Mutual is set up wrongly (a bad database URL, say).
    case invalidConfiguration(String)
    /// The database cannot be reached, or the server is shutting down.
    case unavailable

    public var errorDescription: String? {
        switch self {
        case .invalid(_, let message): return message
        case .notFound(let what): return "No \(what) with that id exists in your organisation. Check the link or id and try again."
        case .conflict(_, let message): return message
        case .gone(let message): return message
        case .wrongCredentials:
            return "That email address and password do not match an account. Check both and try again."
        case .tooManyAttempts(let seconds):
            let wait: String
            if seconds < 60 {
                wait = "\(seconds) second\(seconds == 1 ? "" : "s")"
            } else {
                let minutes = (seconds + 59) / 60
                wait = "\(minutes) minute\(minutes == 1 ? "" : "s")"
            }
            return "Too many failed sign-in attempts. Wait \(wait) and try again. If you forgot your password, use “Forgot your password?” to get a link by email; after repeated failures the account's owner is also emailed a link that unlocks it at once."
        case .forbidden(let message): return message
        case .invalidConfiguration(let message): return message
        case .unavailable: return "The database is not available right now. Try again in a moment; if it persists, ask your admin to check the server."
        }
    }

    /// The input the error is about, when there is one.
    public var field: String? {
        switch self {
        case .invalid(let field, _): return field
        case .conflict(let field, _): return field
        default: return nil
        }
    }
}
