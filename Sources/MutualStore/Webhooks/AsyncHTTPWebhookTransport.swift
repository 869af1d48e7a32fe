import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// Sends webhooks with AsyncHTTPClient: redirects are never followed (a redirect to an internal
/// address would get round the address check), each request gives up after its timeout, and
/// at most ``excerptBytes`` of the answer's body are read.
public final class AsyncHTTPWebhookTransport: WebhookTransport {
    /// The process's one transport: its client lives as long as the process, so it is never
    /// shut down (AsyncHTTPClient requires a client to be shut down before it is released).
    public static let shared = AsyncHTTPWebhookTransport()

    /// How much of an answer's body is read and kept for the delivery log.
    public static let excerptBytes = 256

    private let client: HTTPClient

    private init() {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = HTTPClient.Configuration.Timeout(connect: .seconds(10), read: .seconds(10))
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
    }

    public func send(_ request: WebhookRequest) async throws -> WebhookResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = .POST
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        let response = try await client.execute(outgoing, timeout: .milliseconds(Int64(request.timeout * 1000)))
        var excerpt = ByteBuffer()
        for try await chunk in response.body {
            var chunk = chunk
            let take = min(chunk.readableBytes, Self.excerptBytes - excerpt.readableBytes)
            if take > 0, let slice = chunk.readSlice(length: take) { excerpt.writeImmutableBuffer(slice) }
            if excerpt.readableBytes >= Self.excerptBytes { break }
        }
        return WebhookResponse(status: Int(response.status.code), bodyExcerpt: String(decoding: excerpt.readableBytesView, as: UTF8.self))
    }
}
