import Foundation
import Hummingbird
import Logging
import MutualStore

/// A SCIM error (RFC 7644 §3.12): `status`, an optional `scimType` and a `detail` that says
/// what was wrong and how to fix it, as `application/scim+json`. Every answer under `/scim/`
/// that is not a success is one of these (`ErrorMiddleware` turns any error into one there).
struct SCIMError: Error, Sendable {
    static let schema = "urn:ietf:params:scim:api:messages:2.0:Error"
    static let contentType = "application/scim+json"

    var status: HTTPResponse.Status
    var scimType: String?
    var detail: String

    init(status: HTTPResponse.Status, scimType: String? = nil, detail: String) {
        self.status = status
        self.scimType = scimType
        self.detail = detail
    }

    /// A missing or unknown bearer token.
    static func unauthorized(_ detail: String) -> SCIMError { SCIMError(status: .unauthorized, detail: detail) }

    /// The SCIM error any error stands for under `/scim/`.
    static func from(_ error: any Error, logger: Logger) -> SCIMError {
        switch error {
        case let error as SCIMError:
            return error
        case let error as StoreError:
            let detail = error.errorDescription ?? "\(error)"
            switch error {
            case .invalid(let field, _):
                let named = detail.localizedCaseInsensitiveContains(field) ? detail : "\(field): \(detail)"
                return SCIMError(status: .badRequest, scimType: "invalidValue", detail: named)
            case .conflict:
                return SCIMError(status: .conflict, scimType: "uniqueness", detail: detail)
            case .notFound(let what):
                return SCIMError(status: .notFound, detail: "No \(what) with that id exists in this organisation. Find users with GET /scim/v2/Users?filter=userName eq \"…\".")
            default:
                let problem = ErrorMiddleware.problem(for: error, logger: logger)
                return SCIMError(status: problem.status, detail: problem.detail)
            }
        case let error as MethodNotAllowed:
            return SCIMError(status: .methodNotAllowed, detail: "This SCIM address takes \(error.allowed.joined(separator: ", ")), not this method.")
        case let error as HTTPError where error.status == .notFound:
            return SCIMError(
                status: .notFound,
                detail: "There is nothing at this SCIM address. Mutual serves /scim/v2/Users, /scim/v2/Users/{id}, /scim/v2/ServiceProviderConfig, /scim/v2/ResourceTypes and /scim/v2/Schemas.")
        case let error as HTTPError where error.status == .contentTooLarge:
            return SCIMError(status: .contentTooLarge, detail: "The request body is larger than Mutual accepts (1 MB). Send one user at a time.")
        default:
            let problem = ErrorMiddleware.problem(for: error, logger: logger)
            return SCIMError(status: problem.status, detail: problem.detail)
        }
    }

    func response(allow: String? = nil) -> Response {
        var body: [String: SCIMJSON] = [
            "schemas": .array([.string(Self.schema)]), "status": .string(String(status.code)), "detail": .string(detail),
        ]
        if let scimType { body["scimType"] = .string(scimType) }
        var headers: HTTPFields = [.contentType: Self.contentType]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer realm=\"Mutual SCIM\"" }
        if let allow { headers[.allow] = allow }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: SCIMJSON.object(body).encoded())))
    }
}
