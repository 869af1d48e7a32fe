import Foundation
import HTTPTypes
import Hummingbird

/// Works out the client's address for rate limiting, and echoes the request id (which every
/// log line of the request carries as `hb.request.id`) in an `X-Request-Id` header so a person
/// reporting a problem can quote it.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let trustProxy: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if trustProxy, let forwarded = request.headers[.xForwardedFor],
            let first = forwarded.split(separator: ",").first
        {
            context.clientAddress = first.trimmingCharacters(in: .whitespaces)
        } else {
            context.clientAddress = context.remoteAddress?.ipAddress
        }
        var response = try await next(request, context)
        response.headers[.xRequestID] = context.id
        return response
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xRequestID = Self("X-Request-Id")!
}
