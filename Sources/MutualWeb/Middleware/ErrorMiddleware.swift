import Foundation
import Hummingbird
import Logging
import MutualStore

/// Turns every error into an answer a person can act on: `application/problem+json` under
/// `/api`, an error page elsewhere. Unexpected errors are logged with the request id and shown
/// without internals. Nothing escapes as a bare 500.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let pages: PageRenderer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            // SCIM clients read SCIM errors (RFC 7644 §3.12), not problem+json or pages.
            if request.uri.path.hasPrefix(SCIMRoutes.prefix) {
                return SCIMError.from(error, logger: context.logger).response(allow: (error as? MethodNotAllowed)?.allowed.joined(separator: ", "))
            }
            let isAPI = request.uri.path.hasPrefix("/api/")
            if error is AuthenticationRequired && !isAPI {
                let target = request.uri.path == "/" ? "/sign-in" : "/sign-in?next=\(percentEncode(request.uri.path))"
                return .redirect(to: target, type: .normal)
            }
            let problem = Self.problem(for: error, logger: context.logger)
            let allow = (error as? MethodNotAllowed)?.allowed.joined(separator: ", ")
            if isAPI {
                var response = problem.response(instance: request.uri.path, requestID: context.id)
                if let allow { response.headers[.allow] = allow }
                return response
            }
            var response = try pages.render(
                "error",
                ErrorPage(
                    page: pages.chrome(title: problem.title, context: context), title: problem.title,
                    detail: problem.detail, requestID: context.id, status: Int(problem.status.code)),
                status: problem.status)
            if let seconds = problem.retryAfterSeconds { response.headers[.retryAfter] = String(seconds) }
            if let allow { response.headers[.allow] = allow }
            return response
        }
    }

    static func problem(for error: any Error, logger: Logger) -> APIProblem {
        switch error {
        case let problem as APIProblem:
            return problem
        case let error as StoreError:
            if case .invalidConfiguration = error { logger.error("Configuration error", metadata: ["error": "\(error)"]) }
            return APIProblem(error)
        case is AuthenticationRequired:
            return APIProblem(
                status: .unauthorized, title: "Sign-in required",
                detail: "This needs an API token. Send `Authorization: Bearer mut_…` with a token from Account → API tokens.")
        case let error as MethodNotAllowed:
            return APIProblem(
                status: .methodNotAllowed, title: "Method not allowed",
                detail: "This address takes \(error.allowed.joined(separator: ", ")), not this method. See /api/openapi.json for what each address accepts.")
        case is CSRFRejected:
            return APIProblem(
                status: .forbidden, title: "Form expired",
                detail: "This form could not be accepted because its security token was missing or out of date. Go back, reload the page and submit it again.")
        case let error as HTTPError:
            switch error.status {
            case .notFound:
                return APIProblem(status: .notFound, title: "Page not found", detail: "There is nothing at this address. Check the link, or start again from the dashboard.")
            case .contentTooLarge:
                return APIProblem(status: .contentTooLarge, title: "Request too large", detail: "The request body is larger than Mutual accepts (1 MB). Send less data at once.")
            case .methodNotAllowed:
                return APIProblem(status: .methodNotAllowed, title: "Method not allowed", detail: "This address does not accept that HTTP method. See /api/openapi.json for what it accepts.")
            default:
                return APIProblem(status: error.status, title: error.status.reasonPhrase, detail: error.body ?? error.status.reasonPhrase)
            }
        case let error as any HTTPResponseError:
            return APIProblem(status: error.status, title: error.status.reasonPhrase, detail: error.status.reasonPhrase)
        default:
            logger.error("Unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            return APIProblem(
                status: .internalServerError, title: "Something went wrong",
                detail: "Mutual hit an unexpected error. Nothing was changed by this request unless it said so. Try again; if it keeps happening, give your admin the request id.")
        }
    }

    private func percentEncode(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "/"
    }
}

struct ErrorPage {
    let page: PageChrome
    let title: String
    let detail: String
    let requestID: String
    let status: Int
}
