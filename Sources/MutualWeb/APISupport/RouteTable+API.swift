import Hummingbird
import MutualStore

/// What an API route reads and answers, as the contract test compares it with the OpenAPI
/// document.
public struct APIContract: Sendable {
    /// The request body's shape, when the route reads a JSON body.
    public let request: (@Sendable () throws -> APIShape)?
    /// The success answer's status and body shape (nil for 204).
    public let status: Int
    public let response: (@Sendable () throws -> APIShape)?
}

/// The JSON body of a request, read when the handler asks for it: a handler that first checks
/// the id in the path answers 404 for an unknown id whatever the body holds.
struct APIInput<Body: APIBody>: Sendable {
    let request: Request
    let context: SignedInContext

    func read() async throws -> Body {
        try await JSONBody.decode(Body.self, from: request, context: context)
    }
}

extension RouteTable {
    /// An API route for members with at least `role` that answers `Body` (as JSON, with
    /// `status` unless the body names its own; `NoContent` answers 204).
    ///
    /// Every POST takes an `Idempotency-Key` (``IdempotencyKeys``) unless `idempotencyKey` is
    /// false, which a route sets only with a comment saying why a retry is harmless without one.
    func api<Body: APIBody>(
        _ method: HTTPRequest.Method, _ path: String, role: Role, status: HTTPResponse.Status = .ok, idempotencyKey: Bool = true,
        _ handler: @escaping @Sendable (Request, SignedInContext) async throws -> Body
    ) {
        let success: HTTPResponse.Status = Body.self == NoContent.self ? .noContent : status
        let keys = method == .post && idempotencyKey ? idempotencyKeys : nil
        let route = "\(method.rawValue) \(path)"
        member(method, path, role: role, takesIdempotencyKey: keys != nil) { request, context in
            guard let keys else { return try Self.answer(try await handler(request, context), status: success).response }
            return try await keys.run(request, context, route: route) { request in
                try Self.answer(try await handler(request, context), status: success)
            }
        }
        record(method, path, APIContract(request: nil, status: Int(success.code), response: Self.shape(Body.self)))
    }

    /// An API route that reads a JSON `Input` body (through `APIInput.read()`) and answers `Body`.
    func api<Input: APIBody, Body: APIBody>(
        _ method: HTTPRequest.Method, _ path: String, role: Role, reads input: Input.Type,
        status: HTTPResponse.Status = .ok,
        _ handler: @escaping @Sendable (Request, SignedInContext, APIInput<Input>) async throws -> Body
    ) {
        let success: HTTPResponse.Status = Body.self == NoContent.self ? .noContent : status
        let keys = method == .post ? idempotencyKeys : nil
        let route = "\(method.rawValue) \(path)"
        member(method, path, role: role, takesIdempotencyKey: keys != nil) { request, context in
            guard let keys else {
                return try Self.answer(try await handler(request, context, APIInput(request: request, context: context)), status: success)
                    .response
            }
            return try await keys.run(request, context, route: route) { request in
                try Self.answer(try await handler(request, context, APIInput(request: request, context: context)), status: success)
            }
        }
        record(
            method, path,
            APIContract(request: { @Sendable in try Input.shape }, status: Int(success.code), response: Self.shape(Body.self)))
    }

    private static func shape<Body: APIBody>(_ type: Body.Type) -> (@Sendable () throws -> APIShape)? {
        Body.self == NoContent.self ? nil : { @Sendable in try Body.shape }
    }

    private static func answer<Body: APIBody>(_ body: Body, status: HTTPResponse.Status) throws -> APIAnswer {
        if Body.self == NoContent.self { return APIAnswer(status: .noContent, contentType: nil, body: nil) }
        return APIAnswer(
            status: body.status ?? status, contentType: "application/json", body: ByteBuffer(bytes: try JSONBody.encoder.encode(body)))
    }
}
