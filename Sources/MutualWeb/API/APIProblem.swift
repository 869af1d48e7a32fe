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

    /// The `application/problem+json` body.
    func response(instance: String, requestID: String) -> Response {
        var object: [String: Any] = [
            "type": "about:blank", "title": title, "status": Int(status.code), "detail": detail,
            "instance": instance, "request_id": requestID,
        ]
        if let field { object["field"] = field }
        if let retryAfterSeconds { object["retry_after_seconds"] = retryAfterSeconds }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
