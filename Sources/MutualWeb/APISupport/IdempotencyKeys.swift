import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MutualStore

/// `Idempotency-Key` on the API's POSTs: the first request with a key runs and its answer is
/// remembered for 24 hours for the caller and the address; a retry with the same key and the
/// same request gets that answer again (`Idempotent-Replayed: true`) and creates nothing; the
/// same key with a different request is refused (422); while the first still runs, another with
/// its key gets 409. `RouteTable.api` applies it to every POST route (only a route that says why
/// opts out), so no creating route can forget it.
///
/// Only a finished answer below 500 is remembered: when the handler throws (a refused or
/// malformed request, an outage), the key is released and a retry runs again.
struct IdempotencyKeys: Sendable {
    static let header = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!
    static let maxLength = 255
    /// A claim older than this with no answer is reported as possibly abandoned (never re-run).
    static let stalledAfter: TimeInterval = 300

    let store: Store

    /// Runs `answer` under the request's `Idempotency-Key`, or plainly when it has none.
    /// - Parameter route: the route's pattern, e.g. `POST /api/v1/programmes/:id/runs`.
    func run(
        _ request: Request, _ context: SignedInContext, route: String, _ answer: (Request) async throws -> APIAnswer
    ) async throws -> Response {
        guard let rawKey = request.headers[Self.header] else { return try await answer(request).response }
        let key = try Self.validated(rawKey)
        var request = request
        let body: ByteBuffer
        do {
            // The body is read once here, for its digest; the handler reads the same bytes.
            body = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw APIProblem(
                status: .contentTooLarge, title: "Request too large",
                detail: "The body is larger than \(context.maxUploadSize / 1024) KB. Send less data at once.")
        }
        let address = "\(request.method.rawValue) \(request.uri.path)"
        var digested = Array((request.uri.query ?? "").utf8) + [0x0A]
        digested += body.readableBytesView
        let requestDigest = SHA256.hash(data: digested).map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let claim = try await store.claimIdempotencyKey(
            IdempotencyRequest(key: key, address: address, route: route, requestDigest: requestDigest, caller: context.identity))
        switch claim {
        case .replay(let stored):
            var headers: HTTPFields = [Self.replayedHeader: "true"]
            if !stored.contentType.isEmpty { headers[.contentType] = stored.contentType }
            return Response(
                status: HTTPResponse.Status(code: stored.status), headers: headers,
                body: stored.body.isEmpty ? .init() : .init(byteBuffer: ByteBuffer(bytes: stored.body)))
        case .mismatch:
            throw APIProblem(
                status: .unprocessableContent, title: "Idempotency key already used",
                detail: "This Idempotency-Key was already used in the last 24 hours for a different request to \(address) (another body or query). Use a new key for a new request; to repeat the first one, send exactly the same body.",
                field: "Idempotency-Key")
        case .inProgress(let since):
            if store.clock.now.timeIntervalSince(since) < Self.stalledAfter {
                throw APIProblem(
                    status: .conflict, title: "Request still in progress",
                    detail: "A request with this Idempotency-Key is still being processed. Retry in a moment to get its answer.",
                    field: "Idempotency-Key", retryAfterSeconds: 1)
            }
            throw APIProblem(
                status: .conflict, title: "Request did not finish",
                detail: "A request with this Idempotency-Key started \(Int(store.clock.now.timeIntervalSince(since)) / 60) minutes ago and never finished (the server may have stopped while it ran), so whether it took effect is unknown. Check with a GET, then use a new key if it still needs doing.",
                field: "Idempotency-Key")
        case .claimed(let id):
            let result: APIAnswer
            do {
                result = try await answer(request)
            } catch {
                do { try await store.releaseIdempotencyKey(id) } catch {
                    context.logger.warning("Could not release an idempotency key", metadata: ["error": "\(error)"])
                }
                throw error
            }
            if result.status.code < 500 {
                let stored = StoredAPIAnswer(
                    status: Int(result.status.code), contentType: result.contentType ?? "",
                    body: result.body.map { Array($0.readableBytesView) } ?? [])
                do { try await store.completeIdempotencyKey(id, with: stored) } catch {
                    // The request took effect; a retry will be told it did not finish, never run it again.
                    context.logger.warning("Could not record an idempotent answer", metadata: ["error": "\(error)"])
                }
            } else {
                try? await store.releaseIdempotencyKey(id)
            }
            return result.response
        }
    }

    /// The key, if it is 1 to 255 printable ASCII characters.
    static func validated(_ key: String) throws -> String {
        let bytes = Array(key.utf8)
        guard !bytes.isEmpty, bytes.count <= maxLength, bytes.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw APIProblem(
                status: .badRequest, title: "Invalid Idempotency-Key",
                detail: "The Idempotency-Key header must be 1 to \(maxLength) printable ASCII characters (a random UUID makes a good key); this one is \(key.count) characters long\(bytes.allSatisfy { (0x20...0x7E).contains($0) } ? "" : " and holds other characters").",
                field: "Idempotency-Key")
        }
        return key
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
