import FluentKit
import Foundation
import Logging

/// An email Mutual wants to send: a plain-text body and, where a template has one, an HTML
/// alternative. Codable because every message travels as a durable job.
public struct OutgoingEmail: Sendable, Equatable, Codable {
    public var organisationID: UUID?
    /// The address the message goes to.
    public var recipient: String
    /// The recipient's display name, when known (`Ana Silva <ana@example.org>`).
    public var recipientName: String?
    public var subject: String
    /// The text/plain part.
    public var body: String
    /// The text/html part, if any; a message with one is sent as multipart/alternative.
    public var html: String?
    /// A one-click unsubscribe address (RFC 8058) for non-essential messages; `nil` for essential
    /// ones (invitations, sign-in), which carry no `List-Unsubscribe`.
    public var unsubscribeURL: String?
    /// Files sent after the text (a meeting's `.ics`); a message with any is multipart/mixed.
    public var attachments: [EmailAttachment]

    public init(
        organisationID: UUID?, recipient: String, recipientName: String? = nil, subject: String, body: String,
        html: String? = nil, unsubscribeURL: String? = nil, attachments: [EmailAttachment] = []
    ) {
        self.organisationID = organisationID
        self.recipient = recipient
        self.recipientName = recipientName
        self.subject = subject
        self.body = body
        self.html = html
        self.unsubscribeURL = unsubscribeURL
        self.attachments = attachments
    }

    private enum CodingKeys: String, CodingKey {
        case organisationID, recipient, recipientName, subject, body, html, unsubscribeURL, attachments
    }

    /// Reads a message as queued; one queued before attachments existed has none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        organisationID = try container.decodeIfPresent(UUID.self, forKey: .organisationID)
        recipient = try container.decode(String.self, forKey: .recipient)
        recipientName = try container.decodeIfPresent(String.self, forKey: .recipientName)
        subject = try container.decode(String.self, forKey: .subject)
        body = try container.decode(String.self, forKey: .body)
        html = try container.decodeIfPresent(String.self, forKey: .html)
        unsubscribeURL = try container.decodeIfPresent(String.self, forKey: .unsubscribeURL)
        attachments = try container.decodeIfPresent([EmailAttachment].self, forKey: .attachments) ?? []
    }
}

/// How email leaves Mutual. Injected: the default keeps every message in the outbox table and
/// logs it, so nothing is silently dropped on a server without SMTP.
public protocol MailTransport: Sendable {
    /// Delivers one message or throws; a thrown error is retried by the email job unless it is
    /// a ``PermanentMailError``.
    func send(_ email: OutgoingEmail) async throws
}

/// A delivery failure that retrying cannot fix (a 5xx answer such as "no such mailbox").
public protocol PermanentMailError: Error {}

/// Keeps messages in the database (`outbox_messages`) and writes one log line each.
public struct OutboxMailTransport: MailTransport {
    let database: MutualDatabase
    let clock: MutualClock
    let logger: Logger

    public init(database: MutualDatabase, clock: MutualClock, logger: Logger) {
        self.database = database
        self.clock = clock
        self.logger = logger
    }

    public func send(_ email: OutgoingEmail) async throws {
        let message = OutboxMessage(
            organisationID: email.organisationID, recipient: email.recipient, subject: email.subject,
            body: email.body, attachments: email.attachments, createdAt: clock.now)
        try await message.create(on: try database.database())
        logger.info(
            "Email kept in outbox",
            metadata: ["recipient": "\(email.recipient)", "subject": "\(email.subject)"])
    }
}
