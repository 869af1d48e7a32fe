import Logging
import MutualStore

/// Chooses how email leaves this server from the configuration.
enum MailTransports {
    /// The SMTP transport when `MUTUAL_SMTP_URL` is set; otherwise the outbox table (messages
    /// are kept in the database and logged, for development and trials).
    static func make(_ configuration: AppConfiguration, database: MutualDatabase, clock: MutualClock, logger: Logger) throws -> any MailTransport {
        guard let smtpURL = configuration.smtpURL else {
            logger.notice("MUTUAL_SMTP_URL is not set: email is kept in the outbox table, not sent. Set it to send email.")
            return OutboxMailTransport(database: database, clock: clock, logger: logger)
        }
        do {
            let smtp = try SMTPConfiguration(smtpURL: smtpURL, mailFrom: configuration.mailFrom, caFile: configuration.smtpCAFile)
            return SMTPMailTransport(configuration: smtp, logger: logger)
        } catch {
            throw ConfigurationError(error.localizedDescription)
        }
    }
}
