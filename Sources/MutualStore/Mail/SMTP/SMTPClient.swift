import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends messages to one SMTP server, one connection per message.
///
/// A fresh connection each time costs a handshake but has no pool to go stale, no server-side
/// idle timeout to race, and no state shared between messages; mail volume here is small.
struct SMTPClient: Sendable {
    let configuration: SMTPConfiguration
    private let eventLoopGroup: any EventLoopGroup
    /// Built once: loading the trust roots is the expensive part of TLS setup.
    private let tlsContext: Result<NIOSSLContext, SMTPError>
    /// The name checked against the certificate and sent as SNI; `nil` for an IP address, which
    /// SNI cannot carry (NIOSSL then checks the certificate against the address).
    private let serverName: String?

    init(configuration: SMTPConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if !configuration.additionalTrustRoots.isEmpty {
            tls.additionalTrustRoots = [.certificates(configuration.additionalTrustRoots)]
        }
        tlsContext = Result { try NIOSSLContext(configuration: tls) }.mapError {
            .tlsFailed(server: configuration.server, reason: "Mutual could not set up TLS: \($0)")
        }
        serverName = (try? SocketAddress(ipAddress: configuration.host, port: 0)) == nil ? configuration.host : nil
    }

    /// Delivers `message` (CRLF lines, not dot-stuffed) from `sender` to `recipient`.
    ///
    /// Throws ``SMTPError`` for failures worth retrying and ``SMTPPermanentError`` for the rest.
    func send(_ message: [UInt8], from sender: String, to recipient: String) async throws {
        do {
            try await deliver(message, from: sender, to: recipient)
        } catch let error as SMTPError where error.isPermanent {
            throw SMTPPermanentError(error)
        }
    }

    private func deliver(_ message: [UInt8], from sender: String, to recipient: String) async throws {
        let configuration = self.configuration
        let makeTLSHandler = self.makeTLSHandler()
        let implicitTLS = configuration.security == .implicitTLS
        if implicitTLS { _ = try tlsContext.get() }
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if implicitTLS { try channel.pipeline.syncOperations.addHandler(try makeTLSHandler()) }
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError.connectionFailed(server: configuration.server, reason: Self.connectionReason(error))
        }
        let settings = SMTPConversation.Settings(
            host: configuration.host, server: configuration.server, security: configuration.security,
            credentials: configuration.credentials, heloName: configuration.heloName,
            commandTimeout: configuration.commandTimeout, messageTimeout: configuration.messageTimeout,
            makeTLSHandler: makeTLSHandler)
        try await channel.executeThenClose { inbound, outbound in
            let conversation = SMTPConversation(
                settings: settings, channel: channel.channel, inbound: inbound, outbound: outbound)
            try await conversation.deliver(message, from: sender, to: recipient)
        }
    }

    private func makeTLSHandler() -> @Sendable () throws -> NIOSSLClientHandler {
        let tlsContext = self.tlsContext, serverName = self.serverName
        return { try NIOSSLClientHandler(context: tlsContext.get(), serverHostname: serverName) }
    }

    /// Why a connection could not be made, in a few words: "connection refused", say.
    static func connectionReason(_ error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if error.connectionErrors.isEmpty, error.dnsAError != nil || error.dnsAAAAError != nil {
                return "its host name could not be found"
            }
            let reasons = error.connectionErrors.map { connectionReason($0.error) }
            return Array(Set(reasons)).sorted().joined(separator: "; ")
        case ChannelError.connectTimeout(let amount):
            return "no answer within \(amount.nanoseconds / 1_000_000_000) seconds"
        case let error as IOError:
            switch error.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case ENETUNREACH: return "network unreachable"
            case EHOSTUNREACH: return "host unreachable"
            case ETIMEDOUT: return "connection timed out"
            default: return String(describing: error)
            }
        default:
            return String(describing: error)
        }
    }
}
