import FluentKit
import Foundation
import Logging

/// An email Mutual wants to send.
public struct OutgoingEmail: Sendable, Equatable {
    public var organisationID: UUID?
    public var recipient: String
    public var subject: String
    public var body: String

    public init(organisationID: UUID?, recipient: String, subject: String, body: String) {
        self.organisationID = organisationID
        self.recipient = recipient
        self.subject = subject
        self.body = body
    }
}

/// How email leaves Mutual. Injected: the default keeps every message in the outbox table and
/// logs it, so nothing is silently dropped on a server without SMTP.
public protocol MailTransport: Sendable {
    func send(_ email: OutgoingEmail) async throws
}

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
            body: email.body, createdAt: clock.now)
        try await message.create(on: try database.database())
        logger.info(
            "Email kept in outbox",
            metadata: ["recipient": "\(email.recipient)", "subject": "\(email.subject)"])
    }
}
