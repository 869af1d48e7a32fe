import Foundation

/// The payload of an email's job. The message itself (which may hold a secret link, such as an
/// invitation's) is sealed with the server's secret; the rest is what the jobs page and the
/// sent-mail record show.
public struct EmailJob: Codable, Sendable, Equatable {
    public var template: String
    public var category: EmailCategory
    public var recipient: String
    public var subject: String
    /// The ``OutgoingEmail`` as JSON, sealed by ``SecretSealer``.
    public var sealedMessage: String
}
