import Foundation

/// Turns an ``OutgoingEmail`` into an RFC 5322 message: 7-bit ASCII, CRLF line endings, no line
/// longer than 78 characters in the headers or 76 in the body (the hard limit is 998).
///
/// A message with HTML is `multipart/alternative` (text first, so the richer part wins in mail
/// programs that pick the last one they can show); one without is a single `text/plain` part.
/// Both parts are UTF-8 in quoted-printable. The time and the randomness (`Message-ID`, the MIME
/// boundary) are injected so tests get the same bytes every run.
struct MIMEMessageBuilder: Sendable {
    private let clock: MutualClock
    private let randomBytes: @Sendable (Int) -> [UInt8]

    init(
        clock: MutualClock = .system,
        randomBytes: @escaping @Sendable (Int) -> [UInt8] = SecretTokens.systemRandomBytes
    ) {
        self.clock = clock
        self.randomBytes = randomBytes
    }

    /// The message for `email` from `sender`, ready for DATA apart from dot-stuffing.
    ///
    /// Throws ``SMTPError/invalidMessage(reason:)`` when the unsubscribe address cannot be put in a
    /// header, and ``SMTPError/invalidRecipient(address:reason:)`` for a recipient that is not a
    /// plain address, so that no header can be made from it.
    func build(_ email: OutgoingEmail, from sender: MailAddress) throws(SMTPError) -> String {
        if let problem = MailAddress.problem(with: email.recipient) {
            throw .invalidRecipient(address: email.recipient, reason: problem)
        }
        var headers = [
            "Date: " + Self.rfc5322Date(clock.now),
            MIMEHeaderEncoding.mailbox("From", sender),
            MIMEHeaderEncoding.mailbox("To", MailAddress(displayName: email.recipientName, address: email.recipient)),
            MIMEHeaderEncoding.unstructured("Subject", email.subject),
            "Message-ID: <\(SecretTokens.hex(randomBytes(16)))@\(sender.domain)>",
            "MIME-Version: 1.0",
        ]
        if let url = email.unsubscribeURL {
            // An address in angle brackets cannot be folded, so it must fit on one line (and hold
            // nothing that would end the brackets or the header).
            let header = "List-Unsubscribe: <\(url)>"
            let fitsInBrackets = url.utf8.allSatisfy {
                $0 > 32 && $0 < 127 && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">")
            }
            guard !url.isEmpty, fitsInBrackets, header.utf8.count <= 998
            else {
                throw .invalidMessage(
                    reason: "its unsubscribe address is empty, longer than 970 characters, or contains spaces,"
                        + " angle brackets or non-ASCII characters (percent-encode them)")
            }
            headers.append(header)
            // RFC 8058: tells mail programs a POST to the address unsubscribes in one click.
            headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
        }
        var message = headers.joined(separator: "\r\n") + "\r\n"
        let textPart = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        if let html = email.html {
            // "=_" can never occur in quoted-printable output (an "=" there is always followed by
            // a hex digit or a line break), so the boundary cannot clash with any content.
            let boundary = "=_mutual_" + SecretTokens.hex(randomBytes(12))
            message += "Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n\r\n"
            message += "--\(boundary)\r\n" + textPart + "\r\n" + QuotedPrintable.encode(email.body) + "\r\n"
            message += "--\(boundary)\r\n"
            message += "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
            message += QuotedPrintable.encode(html) + "\r\n"
            message += "--\(boundary)--\r\n"
        } else {
            message += textPart + "\r\n" + QuotedPrintable.encode(email.body) + "\r\n"
        }
        return message
    }

    /// `Tue, 1 Jul 2025 09:05:00 +0000`: RFC 5322 §3.3, in UTC, with English names whatever the
    /// server's locale.
    static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(weekdays[(parts.weekday ?? 1) - 1]), \(parts.day ?? 1) \(months[(parts.month ?? 1) - 1])"
            + " \(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }

}
