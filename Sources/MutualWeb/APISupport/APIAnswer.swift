import HTTPTypes
import Hummingbird

/// An API route's answer before it becomes a `Response`: what `IdempotencyKeys` remembers for a
/// retry (status, content type and body bytes; a streamed body could not be read back).
struct APIAnswer: Sendable {
    let status: HTTPResponse.Status
    let contentType: String?
    let body: ByteBuffer?

    var response: Response {
        var headers: HTTPFields = [:]
        if let contentType { headers[.contentType] = contentType }
        return Response(status: status, headers: headers, body: body.map { .init(byteBuffer: $0) } ?? .init())
    }
}
