import Foundation
import Hummingbird
import MutualStore

/// An RFC 9457 problem: what went wrong, how to fix it, and the field that was wrong.
public struct APIProblem: Error, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    public var field: String?
    /// Extra headers, e.g. `Retry-After`.
    public var retryAfterSeconds: Int?

    public init(status: HTTPResponse.Status, title: String, detail: String, field: String? = nil, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.title = title
        self.detail = detail
        self.field = field
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The problem a store error stands for.
    public init(_ error: StoreError) {
        let detail = error.errorDescription ?? "\(error)"
        switch error {
        case .invalid(let field, _):
            self.init(status: .unprocessableContent, title: "Invalid value", detail: detail, field: field)
        case .notFound:
            self.init(status: .notFound, title: "Not found", detail: detail)
        case .conflict(let field, _):
            self.init(status: .conflict, title: "Conflict", detail: detail, field: field)
        case .gone:
            self.init(status: .gone, title: "No longer available", detail: detail)
        case .wrongCredentials:
            self.init(status: .unauthorized, title: "Wrong email or password", detail: detail)
        case .tooManyAttempts(let seconds):
            self.init(status: .tooManyRequests, title: "Too many attempts", detail: detail, retryAfterSeconds: seconds)
        case .forbidden:
            self.init(status: .forbidden, title: "Not allowed", detail: detail)
        case .invalidConfiguration:
            self.init(status: .internalServerError, title: "Server misconfigured", detail: detail)
        case .unavailable:
            self.init(status: .serviceUnavailable, title: "Temporarily unavailable", detail: detail)
        }
    }

    /// The `application/problem+json` body (the document's `Problem` schema).
    struct Body: APIBody {
        let type: String, title: String, status: Int, detail: String, instance: String, requestId: String
        let field: String?, retryAfterSeconds: Int?
        static var example: Body {
            Body(
                type: "about:blank", title: "Invalid value", status: 422, detail: "Enter the programme's name.", instance: "/api/v1/programmes",
                requestId: "cb5a9030e0fbb86e87a0e1db9f66d33e", field: "name", retryAfterSeconds: 30)
        }
    }

    /// The `application/problem+json` answer.
    func response(instance: String, requestID: String) -> Response {
        let body = Body(
            type: "about:blank", title: title, status: Int(status.code), detail: detail, instance: instance, requestId: requestID, field: field,
            retryAfterSeconds: retryAfterSeconds)
        let data = (try? JSONBody.encoder.encode(body)) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
