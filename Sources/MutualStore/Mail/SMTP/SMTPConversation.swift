import Foundation
import NIOCore
import NIOSSL
import Synchronization

/// One SMTP session on an open connection: greeting, EHLO, STARTTLS, AUTH, one message, QUIT.
///
/// Lives inside one task (it owns the channel's inbound iterator), so it needs no locking. Every
/// wait has a deadline; when one passes, the connection is closed, which ends the wait.
final class SMTPConversation {
    struct Settings {
        /// The host name as configured, for certificate messages.
        var host: String
        /// `host:port`, for every message.
        var server: String
        var security: SMTPConfiguration.Security
        var credentials: SMTPConfiguration.Credentials?
        var heloName: String?
        var commandTimeout: Duration
        var messageTimeout: Duration
        /// Makes the handler for STARTTLS; throws when TLS cannot be set up.
        var makeTLSHandler: @Sendable () throws -> NIOSSLClientHandler
    }

    private let settings: Settings
    private let channel: any Channel
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var parser = SMTPReplyParser()
    private var isEncrypted: Bool

    init(
        settings: Settings, channel: any Channel, inbound: NIOAsyncChannelInboundStream<ByteBuffer>,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.settings = settings
        self.channel = channel
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
        self.isEncrypted = settings.security == .implicitTLS
    }

    /// Sends `message` (CRLF lines, not yet dot-stuffed) from `sender` to `recipient`.
    func deliver(_ message: [UInt8], from sender: String, to recipient: String) async throws {
        do {
            let greeting = try await withDeadline(.greeting, settings.commandTimeout) {
                try await self.readReply(.greeting)
            }
            guard greeting.code == 220 else { throw failure(greeting, .greeting) }
            var extensions = try await hello()
            if settings.security == .startTLSWhenOffered, extensions.offersStartTLS {
                try await startTLS()
                extensions = try await hello()
            }
            if let credentials = settings.credentials {
                try await authenticate(credentials, extensions)
            }
            try expect(2, try await command("MAIL FROM:<\(sender)>", .mailFrom), .mailFrom)
            try expect(2, try await command("RCPT TO:<\(recipient)>", .recipient), .recipient)
            try expect(3, try await command("DATA", .data), .data)
            let content = Self.dotStuffed(message)
            let accepted = try await withDeadline(.messageContent, settings.messageTimeout) {
                try await self.outbound.write(ByteBuffer(bytes: content))
                return try await self.readReply(.messageContent)
            }
            try expect(2, accepted, .messageContent)
        } catch let error as SMTPError {
            // The server refused something but is still listening: say goodbye properly, so it
            // does not log a dropped connection. A broken connection gets no QUIT.
            switch error {
            case .rejected, .authenticationFailed, .authenticationRequired, .authenticationNotOffered,
                .startTLSNotOffered:
                await quit()
            default: break
            }
            throw error
        }
        await quit()
    }

    /// The message as DATA carries it: a `.` doubled at the start of every line (RFC 5321
    /// §4.5.2, so no line of the message can end it early), then the final `CRLF . CRLF`.
    static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(message.count + message.count / 64 + 5)
        var atLineStart = true
        for byte in message {
            if atLineStart, byte == UInt8(ascii: ".") { result.append(byte) }
            result.append(byte)
            atLineStart = byte == 10
        }
        if !result.isEmpty, result.suffix(2) != [13, 10] { result += [13, 10] }
        result += [UInt8(ascii: "."), 13, 10]
        return result
    }

    // MARK: - Steps

    private func hello() async throws -> SMTPExtensions {
        let name = settings.heloName ?? Self.addressLiteral(channel.localAddress)
        let reply = try await command("EHLO \(name)", .ehlo)
        if reply.code == 250 { return SMTPExtensions(ehloReply: reply) }
        // A 5xx to EHLO means a server from before ESMTP; 4xx means "not now", not "try HELO".
        guard reply.isPermanentFailure else { throw failure(reply, .ehlo) }
        let helo = try await command("HELO \(name)", .helo)
        guard helo.code == 250 else { throw failure(helo, .helo) }
        return .none
    }

    private func startTLS() async throws {
        let reply = try await command("STARTTLS", .startTLS)
        guard reply.code == 220 else { throw failure(reply, .startTLS) }
        // Anything already sent after the 220 came in the clear and could be an attacker's
        // (the STARTTLS command injection of CVE-2011-0411); TLS must start on a clean slate.
        guard !parser.hasUnreadBytes else {
            throw SMTPError.protocolViolation(server: settings.server, detail: "more data after agreeing to STARTTLS")
        }
        let makeHandler = settings.makeTLSHandler
        let channel = self.channel
        do {
            try await channel.eventLoop.submit {
                let tls = try makeHandler()
                let operations = channel.pipeline.syncOperations
                try operations.addHandler(tls, position: .first)
                try operations.addHandler(StartTLSBoundary(), position: .after(tls))
            }.get()
        } catch let error as SMTPError {
            throw error
        } catch {
            throw mapped(error, .tlsHandshake)
        }
        try await withDeadline(.startTLS, settings.commandTimeout) { try await self.awaitTLSBoundary() }
        // The handshake runs now; its outcome shows in the reply to the next EHLO.
        isEncrypted = true
    }

    /// Reads up to the mark `StartTLSBoundary` puts where TLS begins. Any byte before it arrived
    /// in the clear after the server agreed to STARTTLS, and is refused rather than read later
    /// as an encrypted reply.
    private func awaitTLSBoundary() async throws {
        while let bytes = try await inbound.next() {
            if bytes.readableBytes == 0 { return }
            throw SMTPError.protocolViolation(server: settings.server, detail: "more data after agreeing to STARTTLS")
        }
        try Task.checkCancellation()
        throw SMTPError.connectionClosed(server: settings.server, during: .startTLS)
    }

    private func authenticate(_ credentials: SMTPConfiguration.Credentials, _ extensions: SMTPExtensions)
        async throws
    {
        // The one rule that is never relaxed: a password only ever travels encrypted.
        guard isEncrypted else { throw SMTPError.startTLSNotOffered(server: settings.server) }
        let mechanisms = extensions.authenticationMechanisms
        var reply: SMTPReply
        if mechanisms.contains("PLAIN") {
            let token = Self.base64([0] + Array(credentials.user.utf8) + [0] + Array(credentials.password.utf8))
            reply = try await command("AUTH PLAIN \(token)", .authentication)
            // A server that ignores the initial response asks for it with an empty challenge.
            if reply.code == 334 { reply = try await command(token, .authentication) }
        } else if mechanisms.contains("LOGIN") {
            reply = try await command("AUTH LOGIN", .authentication)
            if reply.code == 334 {
                reply = try await command(Self.base64(Array(credentials.user.utf8)), .authentication)
            }
            if reply.code == 334 {
                reply = try await command(Self.base64(Array(credentials.password.utf8)), .authentication)
            }
        } else {
            throw SMTPError.authenticationNotOffered(server: settings.server, offered: mechanisms)
        }
        switch reply.code {
        case 235: return
        case 535: throw SMTPError.authenticationFailed(server: settings.server, reply: reply.summary)
        default: throw failure(reply, .authentication)
        }
    }

    private func quit() async {
        _ = try? await command("QUIT", .quit, timeout: min(settings.commandTimeout, .seconds(5)))
    }

    // MARK: - Replies, deadlines, errors

    private func command(_ line: String, _ stage: SMTPError.Stage, timeout: Duration? = nil) async throws -> SMTPReply {
        try await withDeadline(stage, timeout ?? settings.commandTimeout) {
            try await self.outbound.write(ByteBuffer(string: line + "\r\n"))
            return try await self.readReply(stage)
        }
    }

    private func readReply(_ stage: SMTPError.Stage) async throws -> SMTPReply {
        while true {
            do {
                if let reply = try parser.nextReply() { return reply }
            } catch {
                throw SMTPError.protocolViolation(server: settings.server, detail: error.detail)
            }
            guard let bytes = try await inbound.next() else {
                // The stream also ends when the task is cancelled (the worker shutting down):
                // that is no fault of the server's.
                try Task.checkCancellation()
                throw SMTPError.connectionClosed(server: settings.server, during: stage)
            }
            parser.append(bytes.readableBytesView)
        }
    }

    private func expect(_ leadingDigit: Int, _ reply: SMTPReply, _ stage: SMTPError.Stage) throws {
        guard reply.code / 100 == leadingDigit else { throw failure(reply, stage) }
    }

    private func failure(_ reply: SMTPReply, _ stage: SMTPError.Stage) -> SMTPError {
        if reply.code == 530, settings.credentials == nil {
            return .authenticationRequired(server: settings.server, reply: reply.summary)
        }
        return .rejected(server: settings.server, stage: stage, code: reply.code, reply: reply.summary)
    }

    /// Runs `body`, closing the connection if it takes longer than `timeout`: the pending read
    /// or write then fails, and the failure is reported as the timeout it was.
    private func withDeadline<Result>(
        _ stage: SMTPError.Stage, _ timeout: Duration, _ body: () async throws -> Result
    ) async throws -> Result {
        let expired = DeadlineFlag()
        let channel = self.channel
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            expired.fire()
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            return try await body()
        } catch {
            if expired.hasFired {
                let seconds = Int(timeout.components.seconds)
                throw SMTPError.timedOut(server: settings.server, during: stage, seconds: seconds)
            }
            throw mapped(await underlyingError() ?? error, stage)
        }
    }

    /// The error the connection ended with, if it ended with one. A failed TLS handshake closes
    /// the channel, so the pending write fails with a bare "channel closed"; the reason (an
    /// untrusted certificate, say) is what the inbound stream finished with.
    private func underlyingError() async -> (any Error)? {
        guard !channel.isActive else { return nil }
        do {
            while try await inbound.next() != nil {}
            return nil
        } catch {
            return error
        }
    }

    private func mapped(_ error: any Error, _ stage: SMTPError.Stage) -> any Error {
        if error is SMTPError || error is CancellationError { return error }
        if Task.isCancelled { return CancellationError() }
        if let reason = Self.tlsReason(error, host: settings.host) {
            return SMTPError.tlsFailed(server: settings.server, reason: reason)
        }
        return SMTPError.connectionClosed(server: settings.server, during: stage)
    }

    /// A person's words for a TLS failure, or `nil` when `error` is not one.
    static func tlsReason(_ error: any Error, host: String) -> String? {
        switch error {
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            return "its certificate is not for \(host)"
        case let error as NIOSSLError:
            let text = String(describing: error)
            if text.contains("CERTIFICATE_VERIFY_FAILED") {
                return "its certificate is not signed by a trusted CA, or has expired"
            }
            if text.contains("WRONG_VERSION_NUMBER") || text.contains("PACKET_LENGTH_TOO_LONG") {
                return "it did not answer in TLS"
            }
            return text
        case is NIOSSLExtraError, is BoringSSLError:
            return String(describing: error)
        default:
            return nil
        }
    }

    /// `[192.0.2.10]` or `[IPv6:2001:db8::1]`: the EHLO argument RFC 5321 §4.1.4 allows a
    /// client without a meaningful host name.
    static func addressLiteral(_ address: SocketAddress?) -> String {
        switch address {
        case .v4(let v4)?:
            return "[\(address?.ipAddress ?? "\(v4)")]"
        case .v6?:
            let ip = address?.ipAddress?.split(separator: "%").first.map(String.init) ?? "::1"
            return "[IPv6:\(ip)]"
        default:
            return "[127.0.0.1]"
        }
    }

    private static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}

/// Set on the event loop when a deadline passes, read by the waiting task.
private final class DeadlineFlag: Sendable {
    private let fired = Atomic<Bool>(false)
    func fire() { fired.store(true, ordering: .sequentiallyConsistent) }
    var hasFired: Bool { fired.load(ordering: .sequentiallyConsistent) }
}
