import NIOCore

/// Marks, in the inbound byte stream, the point where TLS begins after STARTTLS.
///
/// Bytes the connection read before the TLS handler was added may already sit in the async
/// channel's buffer, past the point where TLS could decrypt them. Without a mark they would be
/// read later as if they were the server's encrypted replies (the injection of CVE-2011-0411):
/// an attacker on the network could answer the encrypted commands and have a message counted
/// as delivered that never was. Added directly after the TLS handler, on the event loop and in
/// the same step, this handler passes one empty buffer downstream at once: everything before
/// it came in the clear, everything after it came through TLS.
final class StartTLSBoundary: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func handlerAdded(context: ChannelHandlerContext) {
        context.fireChannelRead(wrapInboundOut(ByteBuffer()))
        context.fireChannelReadComplete()
    }

    /// Decrypted bytes pass on; an empty read from TLS is dropped so that only the mark is empty.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        guard bytes.readableBytes > 0 else { return }
        context.fireChannelRead(wrapInboundOut(bytes))
    }
}
