import Foundation

/// An ``SMTPError`` that retrying cannot fix (``SMTPError/isPermanent``), thrown as a
/// ``PermanentMailError`` so the email job stops retrying the message.
///
/// A wrapper because permanence is a property of the case, and a protocol conformance belongs to
/// a whole type; the job only has to ask `error is PermanentMailError`.
public struct SMTPPermanentError: PermanentMailError, LocalizedError, Equatable, Sendable {
    /// What went wrong.
    public let error: SMTPError

    public init(_ error: SMTPError) {
        self.error = error
    }

    public var errorDescription: String? { error.errorDescription }
}
