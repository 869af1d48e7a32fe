import Testing

@testable import MutualStore

@Suite("SMTP replies")
struct SMTPReplyParserTests {
    @Test("A multi-line reply split across reads comes out as one reply once its last line arrives")
    func multiLineAcrossReads() throws {
        var parser = SMTPReplyParser()
        parser.append(Array("250-mail.example.org\r\n250-STARTTLS\r\n25".utf8))
        #expect(try parser.nextReply() == nil)
        parser.append(Array("0 AUTH PLAIN LOGIN\r\n".utf8))
        let reply = try #require(try parser.nextReply())
        #expect(reply.code == 250)
        #expect(reply.lines == ["mail.example.org", "STARTTLS", "AUTH PLAIN LOGIN"])
        #expect(!parser.hasUnreadBytes)
    }

    @Test("Two replies in one read come out one after the other; a bare LF and a code alone are accepted")
    func twoRepliesInOneRead() throws {
        var parser = SMTPReplyParser()
        parser.append(Array("220 ready\n354\r\n".utf8))
        #expect(try parser.nextReply() == SMTPReply(code: 220, lines: ["ready"]))
        #expect(parser.hasUnreadBytes)
        #expect(try parser.nextReply() == SMTPReply(code: 354, lines: [""]))
        #expect(try parser.nextReply() == nil)
    }

    @Test(
        "Replies that are not SMTP are refused rather than guessed at",
        arguments: ["HTTP/1.1 400 Bad Request\r\n", "250-one\r\n251 two\r\n", "25\r\n", "650 nope\r\n", "250x\r\n"])
    func malformed(input: String) {
        var parser = SMTPReplyParser()
        parser.append(Array(input.utf8))
        #expect(throws: SMTPReplyParser.Malformed.self) { try parser.nextReply() }
    }

    @Test("A server that never ends its line cannot make Mutual buffer without end")
    func unboundedLine() {
        var parser = SMTPReplyParser()
        parser.append([UInt8](repeating: UInt8(ascii: "2"), count: SMTPReplyParser.maximumLineLength + 1))
        #expect(throws: SMTPReplyParser.Malformed.self) { try parser.nextReply() }
    }

    @Test("EHLO extensions are read case-insensitively, with the old AUTH= form too")
    func extensions() {
        let modern = SMTPExtensions(
            ehloReply: SMTPReply(code: 250, lines: ["mail.example.org greets you", "starttls", "AUTH PLAIN LOGIN", "SIZE 1000"]))
        #expect(modern.offersStartTLS)
        #expect(modern.authenticationMechanisms == ["PLAIN", "LOGIN"])
        let old = SMTPExtensions(ehloReply: SMTPReply(code: 250, lines: ["old.example.org", "AUTH=LOGIN CRAM-MD5"]))
        #expect(!old.offersStartTLS)
        #expect(old.authenticationMechanisms == ["LOGIN", "CRAM-MD5"])
        // The greeting line is not an extension, even when it looks like one.
        #expect(!SMTPExtensions(ehloReply: SMTPReply(code: 250, lines: ["STARTTLS"])).offersStartTLS)
    }

    @Test("Only 5xx replies to MAIL FROM, RCPT TO and the message are permanent")
    func permanence() {
        let server = "mail.example.org:587"
        #expect(SMTPError.rejected(server: server, stage: .recipient, code: 550, reply: "550 no").isPermanent)
        #expect(SMTPError.rejected(server: server, stage: .mailFrom, code: 553, reply: "553 no").isPermanent)
        #expect(SMTPError.rejected(server: server, stage: .messageContent, code: 554, reply: "554 spam").isPermanent)
        #expect(!SMTPError.rejected(server: server, stage: .recipient, code: 451, reply: "451 later").isPermanent)
        #expect(!SMTPError.rejected(server: server, stage: .ehlo, code: 554, reply: "554 go away").isPermanent)
        #expect(!SMTPError.authenticationFailed(server: server, reply: "535 no").isPermanent)
        #expect(!SMTPError.connectionFailed(server: server, reason: "connection refused").isPermanent)
        #expect(
            SMTPError.connectionFailed(server: server, reason: "connection refused").localizedDescription
                == "The SMTP server at mail.example.org:587 could not be reached (connection refused). Mutual will"
                + " retry; check MUTUAL_SMTP_URL and that the server is running.")
    }
}
