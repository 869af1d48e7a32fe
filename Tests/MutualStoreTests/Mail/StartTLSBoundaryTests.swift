import NIOCore
import NIOEmbedded
import Testing

@testable import MutualStore

@Suite("STARTTLS boundary")
struct StartTLSBoundaryTests {
    /// Stands in for the TLS handler: passes bytes on unchanged.
    final class PassThrough: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
    }

    @Test("Bytes read before TLS was added come before the empty mark, bytes through TLS after it, and TLS's own empty reads vanish")
    func markSeparatesClearFromEncrypted() throws {
        let channel = EmbeddedChannel()
        // An attacker's reply, read in the clear after the server's "220 Ready" and buffered
        // downstream before the TLS handler exists.
        try channel.writeInbound(ByteBuffer(string: "250 fake reply\r\n"))
        let tls = PassThrough()
        try channel.pipeline.syncOperations.addHandler(tls, position: .first)
        try channel.pipeline.syncOperations.addHandler(StartTLSBoundary(), position: .after(tls))
        try channel.writeInbound(ByteBuffer())
        try channel.writeInbound(ByteBuffer(string: "250 real reply\r\n"))

        var seen: [String] = []
        while let bytes = try channel.readInbound(as: ByteBuffer.self) {
            seen.append(String(buffer: bytes))
        }
        #expect(seen == ["250 fake reply\r\n", "", "250 real reply\r\n"])
        _ = try channel.finish()
    }
}
