import Foundation

/// Turns an ``OutgoingEmail`` into an RFC 5322 message: 7-bit ASCII, CRLF line endings, no line
/// longer than 78 characters in the headers or 76 in the body (the hard limit is 998).
///
/// A message with HTML is `multipart/alternative` (text first, so the richer part wins in mail
/// programs that pick the last one they can show); one without is a single `text/plain` part.
/// A message with attachments wraps that in `multipart/mixed`, each file a base64 part after it.
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
        let content = contentPart(email)
        if email.attachments.isEmpty {
            message += content
        } else {
            // The text (or text-and-HTML) part first, then each file: multipart/mixed. The prefix
            // differs from the alternative boundary's, so the two never coincide; "=_" occurs in
            // neither quoted-printable nor base64.
            let boundary = "=_mutual_mixed_" + SecretTokens.hex(randomBytes(12))
            // Folded before the parameter: on one line the header would pass 78 characters.
            message += "Content-Type: multipart/mixed;\r\n boundary=\"\(boundary)\"\r\n\r\n"
            message += "--\(boundary)\r\n" + content
            for attachment in email.attachments {
                message += "--\(boundary)\r\n" + (try Self.attachmentPart(attachment))
            }
            message += "--\(boundary)--\r\n"
        }
        return message
    }

    /// The readable part: one quoted-printable text/plain part, or multipart/alternative with
    /// the HTML after the text. Starts with its own Content-Type header.
    private func contentPart(_ email: OutgoingEmail) -> String {
        let textPart = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
        guard let html = email.html else {
            return textPart + "\r\n" + QuotedPrintable.encode(email.body) + "\r\n"
        }
        // "=_" can never occur in quoted-printable output (an "=" there is always followed by
        // a hex digit or a line break), so the boundary cannot clash with any content.
        let boundary = "=_mutual_" + SecretTokens.hex(randomBytes(12))
        var part = "Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n\r\n"
        part += "--\(boundary)\r\n" + textPart + "\r\n" + QuotedPrintable.encode(email.body) + "\r\n"
        part += "--\(boundary)\r\n"
        part += "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        part += QuotedPrintable.encode(html) + "\r\n"
        part += "--\(boundary)--\r\n"
        return part
    }

    /// A file as a base64 part (lines of 76), named in both `Content-Type` (`name`, which some
    /// calendar programs read) and `Content-Disposition` (`filename`). The media type must be
    /// printable ASCII of at most 60 characters, so the header stays one safe line.
    static func attachmentPart(_ attachment: EmailAttachment) throws(SMTPError) -> String {
        let type = attachment.contentType
        guard !type.isEmpty, type.utf8.count <= 60, type.utf8.allSatisfy({ $0 >= 32 && $0 < 127 && $0 != UInt8(ascii: "\"") }) else {
            throw .invalidMessage(reason: "an attachment's media type is empty, longer than 60 characters, or not printable ASCII")
        }
        let filename = String(attachment.filename.prefix(60))
        var part = "Content-Type: \(type);\r\n name=\"\(filename)\"\r\n"
        part += "Content-Disposition: attachment;\r\n filename=\"\(filename)\"\r\n"
        part += "Content-Transfer-Encoding: base64\r\n\r\n"
        let encoded = Array(attachment.content.base64EncodedString().utf8)
        var start = 0
        while start < encoded.count {
            let end = min(start + 76, encoded.count)
            part += String(decoding: encoded[start..<end], as: UTF8.self) + "\r\n"
            start = end
        }
        return part
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
