import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import MutualStore

/// Sends through ``SMTPMailTransport`` to a real aiosmtpd (see `Tests/support/smtp_peer.py`). CI
/// installs aiosmtpd; without it these tests fail and say how to install it.
@Suite("SMTP delivery against aiosmtpd")
struct SMTPDeliveryTests {
    static let user = "mentor@example.org"
    static let password = "p@ss:wörd/1"
    /// The same credentials as they are written in `MUTUAL_SMTP_URL`.
    static let encodedCredentials = "mentor%40example.org:p%40ss%3Aw%C3%B6rd%2F1"
    static let from = "Mutual Mentoring <mentoring@example.org>"

    static func transport(
        _ url: String, caFile: String? = nil, commandTimeout: Duration = .seconds(120), logs: LogLines = LogLines()
    ) throws -> SMTPMailTransport {
        var configuration = try SMTPConfiguration(smtpURL: url, mailFrom: from, caFile: caFile)
        // Generous: in the full suite, CPU-bound matching tests hold both of the machine's
        // cooperative threads for half a minute at a time, and the conversation's next step
        // waits for one (seen: a 220 greeting answered 33 s later). The timeout tests set their own.
        configuration.commandTimeout = commandTimeout
        configuration.connectTimeout = .seconds(120)
        return SMTPMailTransport(
            configuration: configuration, logger: Logger(label: "smtp-test") { _ in LogLines.Handler(lines: logs) })
    }

    static func email(to recipient: String = "ana@example.org", html: String? = nil) -> OutgoingEmail {
        OutgoingEmail(
            organisationID: nil, recipient: recipient, recipientName: "Ana Conceição", subject: "A sua mentora: Zoë 🎉",
            body: "Olá Ana,\n.\n.hidden line that starts with a dot\nsee https://mutual.example.org/s/secret-token",
            html: html, unsubscribeURL: "https://mutual.example.org/unsubscribe/tok_123")
    }

    /// The error `send` throws, or `nil` when it succeeds.
    static func failure(_ transport: SMTPMailTransport, _ email: OutgoingEmail) async -> (any Error)? {
        do {
            try await transport.send(email)
            return nil
        } catch {
            return error
        }
    }

    static func withCertificate<Result>(_ body: (TestCertificate) async throws -> Result) async throws -> Result {
        let certificate = try TestCertificate.make()
        defer { certificate.remove() }
        return try await body(certificate)
    }

    @Test("A plain server receives the message; Python's email parser finds the headers, text and HTML intact")
    func plainDelivery() async throws {
        try await SMTPPeer.with(.plain) { peer in
            let logs = LogLines()
            let transport = try Self.transport("smtp://localhost:\(peer.port)", logs: logs)
            let email = Self.email(html: "<p>Olá <b>Ana</b> — 😀</p>\n<p>\(String(repeating: "long line ", count: 30))</p>")
            try await transport.send(email)

            let messages = try peer.messages()
            try #require(messages.count == 1)
            let message = messages[0]
            #expect(message.mailFrom == "mentoring@example.org")
            #expect(message.rcptTos == ["ana@example.org"])
            #expect(!message.tls)
            #expect(message.defects == [])
            #expect(message.headers["Subject"] == email.subject)
            #expect(message.fromName == "Mutual Mentoring")
            #expect(message.fromAddress == "mentoring@example.org")
            #expect(message.toName == "Ana Conceição")
            #expect(message.toAddress == "ana@example.org")
            #expect(message.headers["List-Unsubscribe"] == "<https://mutual.example.org/unsubscribe/tok_123>")
            #expect(message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
            #expect(message.headers["Content-Type"]?.hasPrefix("multipart/alternative") == true)
            #expect(message.parts.map(\.contentType) == ["text/plain", "text/html"])
            #expect(message.parts.allSatisfy { $0.charset == "utf-8" && $0.transferEncoding == "quoted-printable" })
            // Lines "." and ".hidden…" went through dot-stuffing and came back whole.
            #expect(message.parts.first?.content.replacingOccurrences(of: "\r\n", with: "\n") == email.body)
            #expect(message.parts.last?.content.replacingOccurrences(of: "\r\n", with: "\n") == email.html)

            #expect(logs.lines.count == 1)
            let line = try #require(logs.lines.first)
            #expect(line.contains("ana@example.org") && line.contains(email.subject) && line.contains("localhost:\(peer.port)"))
            #expect(!line.contains("secret-token") && !line.contains("tok_123") && !line.contains("Olá"))
        }
    }

    @Test("An email with a calendar attachment arrives as multipart/mixed: text, HTML, then the .ics with its method, decoded intact")
    func calendarAttachmentDelivery() async throws {
        try await SMTPPeer.with(.plain) { peer in
            let transport = try Self.transport("smtp://localhost:\(peer.port)")
            let ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nSUMMARY:Mutual: Zoë & Ana 🎉\r\n" + String(repeating: "X-LONG:" + String(repeating: "é", count: 40) + "\r\n", count: 30)
                + "END:VCALENDAR\r\n"
            var email = Self.email(html: "<p>Olá</p>")
            email.attachments = [
                EmailAttachment(filename: "meeting.ics", contentType: "text/calendar; method=REQUEST; charset=utf-8", content: Data(ics.utf8))
            ]
            try await transport.send(email)
            let messages = try peer.messages()
            try #require(messages.count == 1)
            let message = messages[0]
            #expect(message.defects == [])
            #expect(message.headers["Content-Type"]?.hasPrefix("multipart/mixed") == true)
            #expect(message.parts.map(\.contentType) == ["text/plain", "text/html", "text/calendar"])
            let file = try #require(message.parts.last)
            #expect(file.disposition == "attachment")
            #expect(file.filename == "meeting.ics")
            #expect(file.method == "REQUEST")
            #expect(file.charset == "utf-8")
            #expect(file.transferEncoding == "base64")
            #expect(file.content.replacingOccurrences(of: "\r\n", with: "\n") == ics.replacingOccurrences(of: "\r\n", with: "\n"))
            #expect(message.parts.first?.content.replacingOccurrences(of: "\r\n", with: "\n") == email.body)
        }
    }

    @Test("Over STARTTLS with the CA file, Mutual logs in with the percent-decoded user and password and delivers")
    func startTLSWithLogin() async throws {
        try await Self.withCertificate { certificate in
            try await SMTPPeer.with(.startTLS, user: Self.user, password: Self.password, certificate: certificate) { peer in
                let transport = try Self.transport(
                    "smtp://\(Self.encodedCredentials)@localhost:\(peer.port)", caFile: certificate.certificate.path)
                try await transport.send(Self.email())
                let messages = try peer.messages()
                try #require(messages.count == 1)
                #expect(messages[0].tls)
                #expect(messages[0].login == Self.user)
                #expect(messages[0].parts.map(\.contentType) == ["text/plain"])
                #expect(messages[0].defects == [])
                #expect(peer.authAttempts() == ["PLAIN tls=True"])
            }
        }
    }

    @Test("A server that offers AUTH LOGIN but not PLAIN gets LOGIN, and the message goes through")
    func loginMechanism() async throws {
        try await Self.withCertificate { certificate in
            try await SMTPPeer.with(
                .startTLS, user: Self.user, password: Self.password, certificate: certificate, onlyLogin: true
            ) { peer in
                let transport = try Self.transport(
                    "smtp://\(Self.encodedCredentials)@localhost:\(peer.port)", caFile: certificate.certificate.path)
                try await transport.send(Self.email())
                #expect(peer.authAttempts() == ["LOGIN tls=True"])
                #expect(try peer.messages().first?.login == Self.user)
            }
        }
    }

    @Test("Over implicit TLS (smtps://) Mutual logs in and delivers")
    func implicitTLSWithLogin() async throws {
        try await Self.withCertificate { certificate in
            try await SMTPPeer.with(.smtps, user: Self.user, password: Self.password, certificate: certificate) { peer in
                let transport = try Self.transport(
                    "smtps://\(Self.encodedCredentials)@localhost:\(peer.port)", caFile: certificate.certificate.path)
                try await transport.send(Self.email(html: "<p>hi</p>"))
                let messages = try peer.messages()
                try #require(messages.count == 1)
                #expect(messages[0].tls)
                #expect(messages[0].login == Self.user)
                #expect(messages[0].headers["Subject"] == Self.email().subject)
            }
        }
    }

    @Test("A wrong password is an authentication error that says to check the user and password, and is retried")
    func wrongPassword() async throws {
        try await Self.withCertificate { certificate in
            try await SMTPPeer.with(.startTLS, user: Self.user, password: Self.password, certificate: certificate) { peer in
                let transport = try Self.transport(
                    "smtp://mentor%40example.org:wrong@localhost:\(peer.port)", caFile: certificate.certificate.path)
                let error = await Self.failure(transport, Self.email())
                guard case .authenticationFailed(_, let reply)? = error as? SMTPError else {
                    Issue.record("expected an authentication failure, got \(String(describing: error))")
                    return
                }
                #expect(reply.hasPrefix("535"))
                #expect(!(error is any PermanentMailError))
                #expect(error?.localizedDescription.contains("Check the user and password in MUTUAL_SMTP_URL") == true)
                #expect(error?.localizedDescription.contains("wrong") == false)
                #expect(try peer.messages().isEmpty)
            }
        }
    }

    @Test("With credentials and a server that offers no STARTTLS, Mutual sends no AUTH at all and says why")
    func noCredentialsInTheClear() async throws {
        try await SMTPPeer.with(.plainAuth, user: Self.user, password: Self.password) { peer in
            let transport = try Self.transport("smtp://\(Self.encodedCredentials)@localhost:\(peer.port)")
            let error = await Self.failure(transport, Self.email())
            guard case .startTLSNotOffered? = error as? SMTPError else {
                Issue.record("expected a refusal to log in without TLS, got \(String(describing: error))")
                return
            }
            #expect(error?.localizedDescription.contains("does not offer STARTTLS") == true)
            #expect(peer.authAttempts() == [], "the server offered AUTH in the clear; Mutual must not use it")
            #expect(try peer.messages().isEmpty)
        }
    }

    @Test("Nothing listening on the port is a transient connection error that names the server")
    func nothingListening() async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close().get()
        let transport = try Self.transport("smtp://127.0.0.1:\(port)")
        let error = await Self.failure(transport, Self.email())
        #expect(
            error as? SMTPError == .connectionFailed(server: "127.0.0.1:\(port)", reason: "connection refused"),
            "\(String(describing: error))")
        #expect(!(error is any PermanentMailError))
        #expect(error?.localizedDescription.contains("Mutual will retry") == true)
    }

    @Test("A 550 to RCPT TO is a PermanentMailError; a 451 is an error to retry")
    func rejectedRecipients() async throws {
        try await SMTPPeer.with(.plain) { peer in
            let transport = try Self.transport("smtp://localhost:\(peer.port)")
            let rejected = await Self.failure(transport, Self.email(to: "reject-me@example.org"))
            #expect(rejected is any PermanentMailError)
            guard case .rejected(_, .recipient, 550, let reply)? = (rejected as? SMTPPermanentError)?.error else {
                Issue.record("expected a permanent 550 rejection, got \(String(describing: rejected))")
                return
            }
            #expect(reply.contains("no such user"))
            #expect(rejected?.localizedDescription.contains("refused the recipient") == true)

            let deferred = await Self.failure(transport, Self.email(to: "later@example.org"))
            #expect(!(deferred is any PermanentMailError))
            guard case .rejected(_, .recipient, 451, _)? = deferred as? SMTPError else {
                Issue.record("expected a temporary 451 rejection, got \(String(describing: deferred))")
                return
            }
            #expect(try peer.messages().isEmpty)
            // The connection was still good after each refusal, so the next message goes through.
            try await transport.send(Self.email())
            #expect(try peer.messages().count == 1)
        }
    }

    @Test("A certificate no trusted CA signed fails TLS, before any password is sent")
    func untrustedCertificate() async throws {
        try await Self.withCertificate { certificate in
            try await SMTPPeer.with(.startTLS, user: Self.user, password: Self.password, certificate: certificate) { peer in
                let transport = try Self.transport("smtp://\(Self.encodedCredentials)@localhost:\(peer.port)")
                let error = await Self.failure(transport, Self.email())
                guard case .tlsFailed(_, let reason)? = error as? SMTPError else {
                    Issue.record("expected a TLS failure, got \(String(describing: error))")
                    return
                }
                #expect(reason.contains("not signed by a trusted CA"), "\(reason)")
                #expect(!(error is any PermanentMailError))
                #expect(error?.localizedDescription.contains("MUTUAL_SMTP_CA_FILE") == true)
                #expect(peer.authAttempts() == [])
            }
        }
    }

    @Test("A trusted certificate for another name fails TLS: the host name is verified")
    func hostNameVerified() async throws {
        try await Self.withCertificate { certificate in
            try await SMTPPeer.with(.smtps, user: Self.user, password: Self.password, certificate: certificate) { peer in
                // The certificate names localhost only; 127.0.0.1 is the same server by another name.
                let transport = try Self.transport(
                    "smtps://\(Self.encodedCredentials)@127.0.0.1:\(peer.port)", caFile: certificate.certificate.path)
                let error = await Self.failure(transport, Self.email())
                guard case .tlsFailed(_, let reason)? = error as? SMTPError else {
                    Issue.record("expected a TLS failure, got \(String(describing: error))")
                    return
                }
                #expect(reason == "its certificate is not for 127.0.0.1")
                #expect(peer.authAttempts() == [])
            }
        }
    }

    @Test("smtps:// against a server that does not speak TLS fails TLS with a hint about the scheme")
    func implicitTLSAgainstPlainServer() async throws {
        try await SMTPPeer.with(.plain) { peer in
            let transport = try Self.transport("smtps://localhost:\(peer.port)")
            let error = await Self.failure(transport, Self.email())
            guard case .tlsFailed? = error as? SMTPError else {
                Issue.record("expected a TLS failure, got \(String(describing: error))")
                return
            }
            #expect(error?.localizedDescription.contains("use smtps:// only for an implicit-TLS port") == true)
        }
    }

    @Test("A server that accepts the connection but never answers times out as a transient error")
    func silentServer() async throws {
        try await SMTPPeer.with(.silent) { peer in
            let transport = try Self.transport("smtp://localhost:\(peer.port)", commandTimeout: .seconds(1))
            let error = await Self.failure(transport, Self.email())
            #expect(
                error as? SMTPError == .timedOut(server: "localhost:\(peer.port)", during: .greeting, seconds: 1),
                "\(String(describing: error))")
            #expect(!(error is any PermanentMailError))
        }
    }

    @Test("Cancelling a send that waits on a silent server ends it at once with CancellationError")
    func cancellation() async throws {
        try await SMTPPeer.with(.silent) { peer in
            let transport = try Self.transport("smtp://localhost:\(peer.port)", commandTimeout: .seconds(60))
            let sending = Task { await Self.failure(transport, Self.email()) }
            try await Task.sleep(for: .milliseconds(300))
            sending.cancel()
            // Had the wait ignored cancellation, it would have ended at the deadline as a timeout.
            let error = await sending.value
            #expect(error is CancellationError, "\(String(describing: error))")
        }
    }
}

/// Collects what a logger writes, one string per line with its metadata.
final class LogLines: Sendable {
    private let storage = Mutex<[String]>([])

    var lines: [String] { storage.withLock { $0 } }

    struct Handler: LogHandler {
        let lines: LogLines
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            let line = ([event.message.description] + fields).joined(separator: " ")
            lines.storage.withLock { $0.append(line) }
        }
    }
}
