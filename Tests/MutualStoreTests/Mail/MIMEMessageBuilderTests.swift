import Foundation
import Testing

@testable import MutualStore

@Suite("MIME messages")
struct MIMEMessageBuilderTests {
    static let sender = MailAddress(displayName: "Mutual", address: "mentoring@example.org")
    /// 2027-01-15 08:00:00 UTC, and bytes 0, 1, 2, … as the "random" ones.
    static let builder = MIMEMessageBuilder(
        clock: MutualClock { Date(timeIntervalSince1970: 1_800_000_000) },
        randomBytes: { count in (0..<count).map { UInt8($0) } })

    static func email(
        subject: String = "Your mentor", body: String = "Hello", html: String? = nil, name: String? = nil,
        unsubscribe: String? = nil
    ) -> OutgoingEmail {
        OutgoingEmail(
            organisationID: nil, recipient: "ana@example.org", recipientName: name, subject: subject, body: body,
            html: html, unsubscribeURL: unsubscribe)
    }

    /// The header block, unfolded, one field a line.
    static func headers(_ message: String) -> [String] {
        let head = message.components(separatedBy: "\r\n\r\n")[0]
        return head.replacingOccurrences(of: "\r\n ", with: " ").components(separatedBy: "\r\n")
    }

    static func header(_ name: String, in message: String) -> String? {
        headers(message).first { $0.hasPrefix(name + ": ") }.map { String($0.dropFirst(name.count + 2)) }
    }

    /// Decodes RFC 2047 B-encoded UTF-8 words as a mail program would (adjacent words join).
    static func decodeWords(_ value: String) -> String {
        var bytes: [UInt8] = []
        var text = ""
        for token in value.split(separator: " ", omittingEmptySubsequences: false) {
            if token.hasPrefix("=?UTF-8?B?"), token.hasSuffix("?=") {
                bytes += Data(base64Encoded: String(token.dropFirst(10).dropLast(2))).map(Array.init) ?? []
            } else {
                text += String(decoding: bytes, as: UTF8.self) + (text.isEmpty && bytes.isEmpty ? "" : " ") + token
                bytes = []
            }
        }
        return text + String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes quoted-printable, for checking that encoding loses nothing.
    static func decodeQP(_ text: String) -> String {
        var bytes: [UInt8] = []
        let lines = text.components(separatedBy: "\r\n")
        for (index, line) in lines.enumerated() {
            var utf8 = Array(line.utf8)[...]
            var soft = false
            while let byte = utf8.popFirst() {
                if byte == UInt8(ascii: "=") {
                    if utf8.isEmpty {
                        soft = true
                        break
                    }
                    let hex = String(decoding: utf8.prefix(2), as: UTF8.self)
                    bytes.append(UInt8(hex, radix: 16)!)
                    utf8 = utf8.dropFirst(2)
                } else {
                    bytes.append(byte)
                }
            }
            if !soft, index < lines.count - 1 { bytes += [13, 10] }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func checkLines(_ message: String, limit: Int = 78) {
        let bytes = Array(message.utf8)
        #expect(bytes.allSatisfy { $0 < 128 }, "the message is not 7-bit")
        for (index, byte) in bytes.enumerated() {
            if byte == 10 { #expect(index > 0 && bytes[index - 1] == 13, "bare LF at \(index)") }
            if byte == 13 { #expect(index + 1 < bytes.count && bytes[index + 1] == 10, "bare CR at \(index)") }
        }
        #expect(message.hasSuffix("\r\n"))
        for line in message.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= limit, "a line of \(line.utf8.count): \(line)")
        }
    }

    @Test("A message with HTML is multipart/alternative: a quoted-printable text part, then the HTML part")
    func multipartAlternative() throws {
        let message = try Self.builder.build(
            Self.email(body: "Hello Ana,\nmeet Bruno.", html: "<p>Hello Ana,</p>\n<p>meet <b>Bruno</b>.</p>"),
            from: Self.sender)
        let boundary = "=_mutual_000102030405060708090a0b"
        #expect(
            message == """
                Date: Fri, 15 Jan 2027 08:00:00 +0000\r
                From: Mutual <mentoring@example.org>\r
                To: ana@example.org\r
                Subject: Your mentor\r
                Message-ID: <000102030405060708090a0b0c0d0e0f@example.org>\r
                MIME-Version: 1.0\r
                Content-Type: multipart/alternative; boundary="\(boundary)"\r
                \r
                --\(boundary)\r
                Content-Type: text/plain; charset=utf-8\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                Hello Ana,\r
                meet Bruno.\r
                --\(boundary)\r
                Content-Type: text/html; charset=utf-8\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                <p>Hello Ana,</p>\r
                <p>meet <b>Bruno</b>.</p>\r
                --\(boundary)--\r

                """)
    }

    @Test("Attachments make the message multipart/mixed: the text first, then each file in base64 lines of 76 with its name")
    func attachments() throws {
        let content = Data(String(repeating: "BEGIN:VCALENDAR\r\nSUMMARY:Zoë\r\n", count: 10).utf8)
        var email = Self.email(body: "Hello")
        email.attachments = [
            EmailAttachment(filename: "meeting (1).ics", contentType: "text/calendar; method=REQUEST; charset=utf-8", content: content)
        ]
        let message = try Self.builder.build(email, from: Self.sender)
        Self.checkLines(message)
        let mixed = "=_mutual_mixed_000102030405060708090a0b"
        #expect(Self.header("Content-Type", in: message) == "multipart/mixed; boundary=\"\(mixed)\"")
        let sections = message.components(separatedBy: "--\(mixed)")
        try #require(sections.count == 4, "preamble, text, file, end")
        #expect(sections[1].hasPrefix("\r\nContent-Type: text/plain; charset=utf-8\r\n"))
        let file = sections[2]
        #expect(file.hasPrefix("\r\nContent-Type: text/calendar; method=REQUEST; charset=utf-8;\r\n name=\"meeting__1_.ics\"\r\n"))
        #expect(file.contains("Content-Disposition: attachment;\r\n filename=\"meeting__1_.ics\"\r\n"))
        #expect(file.contains("Content-Transfer-Encoding: base64\r\n\r\n"))
        let base64 = file.components(separatedBy: "\r\n\r\n")[1].components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(base64.dropLast().allSatisfy { $0.count == 76 })
        #expect(Data(base64Encoded: base64.joined()) == content)
        #expect(sections[3] == "--\r\n")

        var withHTML = email
        withHTML.html = "<p>Hello</p>"
        let both = try Self.builder.build(withHTML, from: Self.sender)
        // The multipart/alternative header is one line of 81 characters, as it has always been
        // at the top of a message (RFC 5322's hard limit is 998; 78 is a recommendation).
        Self.checkLines(both, limit: 998)
        #expect(both.contains("--\(mixed)\r\nContent-Type: multipart/alternative; boundary=\"=_mutual_000102030405060708090a0b\""))
    }

    @Test("An attachment whose media type could break the header is a permanent error")
    func unsafeAttachmentType() {
        var email = Self.email()
        email.attachments = [EmailAttachment(filename: "a.ics", contentType: "text/calendar\r\nBcc: x@example.org", content: Data())]
        #expect(throws: SMTPError.self) { try Self.builder.build(email, from: Self.sender) }
    }

    @Test("A message without HTML is a single quoted-printable text/plain part")
    func plainOnly() throws {
        let message = try Self.builder.build(Self.email(body: "Olá = hi"), from: Self.sender)
        #expect(Self.header("Content-Type", in: message) == "text/plain; charset=utf-8")
        #expect(Self.header("Content-Transfer-Encoding", in: message) == "quoted-printable")
        #expect(!message.contains("multipart"))
        #expect(message.hasSuffix("\r\n\r\nOl=C3=A1 =3D hi\r\n"))
    }

    @Test("Dates follow RFC 5322 in UTC with English names, the day without a leading zero")
    func rfc5322Date() {
        // 2025-07-01 09:05:03 UTC, a Tuesday.
        #expect(MIMEMessageBuilder.rfc5322Date(Date(timeIntervalSince1970: 1_751_360_703)) == "Tue, 1 Jul 2025 09:05:03 +0000")
    }

    @Test("A non-ASCII subject becomes encoded-words of at most 75 characters that decode back to it")
    func encodedSubjectRoundTrips() throws {
        let subject = "Conheça a sua mentora, Zoë Ångström — sessão de março às 10h 🎉 " + String(repeating: "ação ", count: 12)
        let message = try Self.builder.build(Self.email(subject: subject), from: Self.sender)
        let value = try #require(Self.header("Subject", in: message))
        let words = value.split(separator: " ")
        #expect(words.count > 2, "a long subject spans several words")
        #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 })
        #expect(Self.decodeWords(value) == MIMEHeaderEncoding.sanitised(subject))
        Self.checkLines(message, limit: 76)
    }

    @Test("An ASCII subject stays readable and folds at spaces without changing its words")
    func asciiSubjectFolds() throws {
        let subject = (1...30).map { "word\($0)" }.joined(separator: " ")
        let message = try Self.builder.build(Self.email(subject: subject), from: Self.sender)
        #expect(message.contains("Subject: word1 word2"))
        #expect(message.contains("\r\n word"), "a long subject is folded")
        #expect(Self.header("Subject", in: message) == subject)
        Self.checkLines(message)
    }

    @Test("ASCII that looks like an encoded-word is encoded, so no reader decodes it into something else")
    func encodedWordLookalike() throws {
        let subject = "=?UTF-8?B?SGk=?= is not an encoded word"
        let message = try Self.builder.build(Self.email(subject: subject), from: Self.sender)
        let value = try #require(Self.header("Subject", in: message))
        #expect(!value.contains("is not"))
        #expect(Self.decodeWords(value) == subject)
    }

    @Test("A line break in a subject or a name cannot start a header of its own")
    func noHeaderInjection() throws {
        let message = try Self.builder.build(
            Self.email(subject: "Hi\r\nBcc: everyone@example.org", name: "Ana\nBcc: x@example.org"), from: Self.sender)
        let fields = Self.headers(message)
        #expect(!fields.contains { $0.hasPrefix("Bcc") })
        #expect(Self.header("Subject", in: message) == "Hi Bcc: everyone@example.org")
        Self.checkLines(message)
    }

    @Test("Display names: plain ones as they are, ones with specials quoted, non-ASCII ones encoded")
    func displayNames() throws {
        let plain = try Self.builder.build(Self.email(name: "Ana Silva"), from: Self.sender)
        #expect(Self.header("To", in: plain) == "Ana Silva <ana@example.org>")
        let special = try Self.builder.build(Self.email(name: "Silva, Ana \"Nita\""), from: Self.sender)
        #expect(Self.header("To", in: special) == "\"Silva, Ana \\\"Nita\\\"\" <ana@example.org>")
        let accented = try Self.builder.build(Self.email(name: "Zoë Ångström"), from: Self.sender)
        let to = try #require(Self.header("To", in: accented))
        #expect(to.hasPrefix("=?UTF-8?B?") && to.hasSuffix(" <ana@example.org>"))
        #expect(Self.decodeWords(String(to.dropLast(" <ana@example.org>".count))) == "Zoë Ångström")
        let sender = MailAddress(displayName: "Programa de Mentoria da Associação Portuguesa", address: "m@example.pt")
        let long = try Self.builder.build(Self.email(), from: sender)
        let from = try #require(Self.header("From", in: long))
        #expect(Self.decodeWords(String(from.dropLast(" <m@example.pt>".count))) == sender.displayName)
        Self.checkLines(long, limit: 76)
    }

    @Test("Quoted-printable keeps every line within 76 characters and decodes back to the text exactly")
    func quotedPrintableRoundTrips() {
        let text = String(repeating: "Mentoria é partilha — ", count: 20) + "\n"
            + String(repeating: "x", count: 300) + "\n"
            + "trailing space \n"
            + "a=b\ttab\n"
            + "😀🎉" + String(repeating: "é", count: 40) + "\r\n"
            + ".a line that starts with a dot\n"
            + "\n"
            + "end"
        let encoded = QuotedPrintable.encode(text)
        #expect(encoded.utf8.allSatisfy { $0 < 128 })
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76, "\(line)")
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"), "trailing white space: \(line)")
        }
        #expect(encoded.contains("space=20\r\n"))
        #expect(encoded.contains("a=3Db\ttab"))
        #expect(encoded.contains("Mentoria =C3=A9 partilha =E2=80=94"))
        #expect(Self.decodeQP(encoded) == text.replacingOccurrences(of: "\r\n", with: "\n")
            .replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test("List-Unsubscribe and List-Unsubscribe-Post are there when an unsubscribe address is, and only then")
    func listUnsubscribe() throws {
        let url = "https://mutual.example.org/unsubscribe/tok_abc123"
        let with = try Self.builder.build(Self.email(unsubscribe: url), from: Self.sender)
        #expect(Self.header("List-Unsubscribe", in: with) == "<\(url)>")
        #expect(Self.header("List-Unsubscribe-Post", in: with) == "List-Unsubscribe=One-Click")
        let without = try Self.builder.build(Self.email(), from: Self.sender)
        #expect(!without.contains("List-Unsubscribe"))
    }

    @Test("An unsubscribe address that cannot sit in a header, or a bad recipient, is a permanent error")
    func unusableInput() {
        #expect(throws: SMTPError.self) {
            try Self.builder.build(Self.email(unsubscribe: "https://x.example/u\r\nBcc: a@b.c"), from: Self.sender)
        }
        do {
            var email = Self.email()
            email.recipient = "ana@example.org\r\nRCPT TO:<x@example.org>"
            _ = try Self.builder.build(email, from: Self.sender)
            Issue.record("a recipient with a line break was accepted")
        } catch {
            guard case .invalidRecipient = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(error.isPermanent)
        }
    }

    @Test("Dot-stuffing doubles every leading dot and ends the data with a lone dot")
    func dotStuffing() {
        let stuffed = SMTPConversation.dotStuffed(Array(".first\r\nmiddle\r\n.\r\n..two\r\nlast".utf8))
        #expect(String(decoding: stuffed, as: UTF8.self) == "..first\r\nmiddle\r\n..\r\n...two\r\nlast\r\n.\r\n")
        let ended = SMTPConversation.dotStuffed(Array("a.b\r\n".utf8))
        #expect(String(decoding: ended, as: UTF8.self) == "a.b\r\n.\r\n")
    }

    @Test("Message-IDs and boundaries come from the randomness, at the sender's domain")
    func messageIDFromRandomness() throws {
        let builder = MIMEMessageBuilder(clock: .system)
        let first = try builder.build(Self.email(html: "<p>x</p>"), from: Self.sender)
        let second = try builder.build(Self.email(html: "<p>x</p>"), from: Self.sender)
        let id = try #require(Self.header("Message-ID", in: first))
        #expect(id.hasPrefix("<") && id.hasSuffix("@example.org>") && id.count == 32 + "<@example.org>".count)
        #expect(id != Self.header("Message-ID", in: second))
        #expect(Self.header("Content-Type", in: first) != Self.header("Content-Type", in: second))
    }
}
