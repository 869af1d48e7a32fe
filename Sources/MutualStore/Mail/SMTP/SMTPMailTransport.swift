import Logging
import NIOCore
import NIOPosix

/// Delivers email through the organisation's SMTP server: each message is written as MIME and
/// sent over its own connection (STARTTLS or implicit TLS, AUTH only when encrypted).
///
/// Errors worth retrying are thrown as ``SMTPError``; those retrying cannot fix as
/// ``SMTPPermanentError``, a ``PermanentMailError``.
public struct SMTPMailTransport: MailTransport {
    private let configuration: SMTPConfiguration
    private let builder: MIMEMessageBuilder
    private let client: SMTPClient
    private let logger: Logger

    /// A transport for the server and sender in `configuration`; logs one line per message sent.
    public init(configuration: SMTPConfiguration, logger: Logger) {
        self.init(configuration: configuration, logger: logger, builder: MIMEMessageBuilder())
    }

    /// For tests: a fixed clock and randomness, another event loop group.
    init(
        configuration: SMTPConfiguration, logger: Logger, builder: MIMEMessageBuilder,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.configuration = configuration
        self.builder = builder
        self.client = SMTPClient(configuration: configuration, eventLoopGroup: eventLoopGroup)
        self.logger = logger
    }

    public func send(_ email: OutgoingEmail) async throws {
        let message: String
        do {
            message = try builder.build(email, from: configuration.from)
        } catch {
            throw SMTPPermanentError(error)
        }
        try await client.send(Array(message.utf8), from: configuration.from.address, to: email.recipient)
        // Never the body or its links: they hold sign-in and unsubscribe tokens.
        logger.info(
            "Email sent",
            metadata: [
                "recipient": "\(email.recipient)", "subject": "\(email.subject)",
                "smtp_server": "\(configuration.server)",
            ])
    }
}
