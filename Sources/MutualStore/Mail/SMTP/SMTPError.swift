import Foundation

/// Why a message could not be sent over SMTP, in words an admin can act on.
///
/// ``isPermanent`` tells whether retrying the same message can ever work. The transport throws
/// the permanent ones wrapped in ``SMTPPermanentError`` (a ``PermanentMailError``), so the email
/// job gives up on them, and the others as they are, so it retries. Problems with the settings
/// (a wrong password, no TLS) are not permanent on purpose: once the admin fixes them, the
/// messages still waiting go out.
public enum SMTPError: Error, LocalizedError, Equatable, Sendable {
    /// A point in the conversation with the server, for messages and for deciding permanence.
    public enum Stage: String, Sendable {
        case greeting = "the greeting"
        case ehlo = "EHLO"
        case helo = "HELO"
        case startTLS = "STARTTLS"
        case tlsHandshake = "the TLS handshake"
        case authentication = "AUTH"
        case mailFrom = "MAIL FROM"
        case recipient = "RCPT TO"
        case data = "DATA"
        case messageContent = "the end of the message"
        case quit = "QUIT"
    }

    /// No TCP connection: refused, unreachable, unknown host or timed out.
    case connectionFailed(server: String, reason: String)
    /// The server hung up in the middle of the conversation.
    case connectionClosed(server: String, during: Stage)
    /// The server did not answer in time.
    case timedOut(server: String, during: Stage, seconds: Int)
    /// The TLS handshake failed: an untrusted certificate, a wrong host name, or no TLS at all.
    case tlsFailed(server: String, reason: String)
    /// Credentials are configured but the server offers no STARTTLS, so Mutual did not send them.
    case startTLSNotOffered(server: String)
    /// Credentials are configured but the server offers no AUTH mechanism Mutual speaks.
    case authenticationNotOffered(server: String, offered: [String])
    /// The server refused the user name and password (535).
    case authenticationFailed(server: String, reply: String)
    /// The server wants a login (530) but no credentials are configured.
    case authenticationRequired(server: String, reply: String)
    /// The server refused a command with a 4xx or 5xx reply.
    case rejected(server: String, stage: Stage, code: Int, reply: String)
    /// The server sent something that is not SMTP, or broke the protocol.
    case protocolViolation(server: String, detail: String)
    /// The recipient's address cannot be sent to; permanent.
    case invalidRecipient(address: String, reason: String)
    /// The message cannot be written as MIME; permanent.
    case invalidMessage(reason: String)

    /// Whether the same message can never succeed: a 5xx to MAIL FROM, RCPT TO or the message
    /// itself, or a message or address Mutual cannot send at all.
    public var isPermanent: Bool {
        switch self {
        case .rejected(_, let stage, let code, _):
            return code >= 500 && [.mailFrom, .recipient, .data, .messageContent].contains(stage)
        case .invalidRecipient, .invalidMessage:
            return true
        default:
            return false
        }
    }

    public var errorDescription: String? {
        switch self {
        case .connectionFailed(let server, let reason):
            return "The SMTP server at \(server) could not be reached (\(reason)). Mutual will retry; check"
                + " MUTUAL_SMTP_URL and that the server is running."
        case .connectionClosed(let server, let stage):
            return "The SMTP server at \(server) closed the connection during \(stage.rawValue). Mutual will"
                + " retry; if it keeps happening, check the server's log (it may be refusing Mutual's address)"
                + " and that MUTUAL_SMTP_URL uses smtps:// only for an implicit-TLS port such as 465."
        case .timedOut(let server, let stage, let seconds):
            return "The SMTP server at \(server) did not answer within \(seconds) seconds during \(stage.rawValue)."
                + " Mutual will retry; check that the server is up and that MUTUAL_SMTP_URL names an SMTP port"
                + " (smtps:// for an implicit-TLS port such as 465, smtp:// for 587 or 25)."
        case .tlsFailed(let server, let reason):
            return "TLS with the SMTP server at \(server) failed (\(reason)). Mutual will retry; check that the"
                + " host name in MUTUAL_SMTP_URL is the one on the server's certificate, set MUTUAL_SMTP_CA_FILE"
                + " to your CA's PEM file if an internal CA signed it, and use smtps:// only for an"
                + " implicit-TLS port such as 465."
        case .startTLSNotOffered(let server):
            return "The SMTP server at \(server) does not offer STARTTLS, so Mutual did not send the user name"
                + " and password (it never sends them unencrypted). Enable STARTTLS on the server, use"
                + " smtps:// if it takes TLS directly (usually on port 465), or remove the user and password"
                + " from MUTUAL_SMTP_URL if the server needs no login."
        case .authenticationNotOffered(let server, let offered):
            let what = offered.isEmpty ? "offers no login at all" : "offers only \(offered.joined(separator: ", "))"
            return "The SMTP server at \(server) \(what), and Mutual logs in with PLAIN or LOGIN. Enable one of"
                + " them on the server, or remove the user and password from MUTUAL_SMTP_URL if it needs no login."
        case .authenticationFailed(let server, let reply):
            return "The SMTP server at \(server) did not accept the user name and password (\(reply)). Check the"
                + " user and password in MUTUAL_SMTP_URL (write @ as %40 and : as %3A in them); Mutual will"
                + " retry the message."
        case .authenticationRequired(let server, let reply):
            return "The SMTP server at \(server) requires a login (\(reply)). Add the user and password to"
                + " MUTUAL_SMTP_URL, e.g. \(SMTPConfigurationError.urlExample); Mutual will retry the message."
        case .rejected(let server, let stage, let code, let reply):
            guard code >= 500 else {
                return "The SMTP server at \(server) temporarily refused \(stage.rawValue) (\(reply)). Mutual will"
                    + " retry later."
            }
            switch stage {
            case .mailFrom:
                return "The SMTP server at \(server) refused the sender (\(reply)). Retrying will not help this"
                    + " message; check that MUTUAL_MAIL_FROM is an address the server lets Mutual send as."
            case .recipient:
                return "The SMTP server at \(server) refused the recipient (\(reply)). Retrying will not help;"
                    + " check the person's email address."
            case .data, .messageContent:
                return "The SMTP server at \(server) refused the message (\(reply)). Retrying will not help; the"
                    + " server's log says why (often its size or a spam filter)."
            default:
                return "The SMTP server at \(server) refused \(stage.rawValue) (\(reply)). Mutual will retry; check"
                    + " the server's log for why it refuses Mutual."
            }
        case .protocolViolation(let server, let detail):
            return "The SMTP server at \(server) broke the SMTP protocol (it sent \(detail)). Mutual will retry;"
                + " check that MUTUAL_SMTP_URL names an SMTP port (587 or 25 for smtp://, 465 for smtps://)."
        case .invalidRecipient(let address, let reason):
            return "Mutual cannot send email to \"\(address)\": the address \(reason). Correct the person's email"
                + " address; retrying will not help."
        case .invalidMessage(let reason):
            return "Mutual cannot write this email as a valid message: \(reason). Retrying will not help."
        }
    }
}
