import Foundation
import Hummingbird
import MutualStore

/// Refuses a control character anywhere a request carries text: its path, its query, a form's
/// fields and a JSON body's strings (keys included). A NUL byte is text SQLite stores and
/// PostgreSQL refuses with an error, so without this one database accepted what the other
/// answered with a 500; now both answer 422 naming the field, before any handler runs.
///
/// Tab, line feed and carriage return pass here (a textarea sends them); fields that must be a
/// single line refuse them in the store (`InputRules.requiredText` and `optionalText`).
enum TextInputGuard {
    /// The problem for the first field of `fields` (name, value) holding a forbidden character.
    static func problem(in fields: some Sequence<(String, String)>, source: String) -> APIProblem? {
        for (name, value) in fields {
            if let scalar = InputRules.forbiddenScalar(in: name, allowingLineBreaks: false) {
                return problem(field: nil, scalar: scalar, detail: "A field name in the \(source) contains")
            }
            if let scalar = InputRules.forbiddenScalar(in: value, allowingLineBreaks: true) {
                return problem(field: name, scalar: scalar, detail: "The field \"\(name)\" in the \(source) contains")
            }
        }
        return nil
    }

    /// Checks every string of a JSON body; the field is named by its path (`objectives[0].goal`).
    static func check(_ fragment: JSONFragment, path: String = "") throws {
        switch fragment {
        case .string(let text):
            if let scalar = InputRules.forbiddenScalar(in: text, allowingLineBreaks: true) {
                throw problem(field: path, scalar: scalar, detail: "The field \"\(path)\" contains")
            }
        case .array(let items):
            for (index, item) in items.enumerated() { try check(item, path: "\(path)[\(index)]") }
        case .object(let members):
            for (key, value) in members {
                if let scalar = InputRules.forbiddenScalar(in: key, allowingLineBreaks: false) {
                    throw problem(field: nil, scalar: scalar, detail: "A field name in the body contains")
                }
                try check(value, path: path.isEmpty ? key : "\(path).\(key)")
            }
        case .null, .bool, .integer, .number:
            return
        }
    }

    /// Checks a form's fields (already decoded for the handlers).
    static func check(_ form: FormFields) throws {
        let pairs = form.values.lazy.flatMap { name, values in values.map { (name, $0) } }
        if let problem = problem(in: pairs, source: "form") { throw problem }
    }

    private static func problem(field: String?, scalar: Unicode.Scalar, detail: String) -> APIProblem {
        APIProblem(
            status: .unprocessableContent, title: "Invisible character in the text",
            detail: "\(detail) an invisible control character (\(InputRules.codePoint(scalar))), which Mutual does not store. Remove it (retyping the text removes it) and send it again.",
            field: field)
    }
}

/// Applies ``TextInputGuard`` to every request's path and query, so a NUL in a filter or an id
/// is a 422 on every route, on both databases.
struct TextInputGuardMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path.removingPercentEncoding ?? request.uri.path
        if let scalar = InputRules.forbiddenScalar(in: path, allowingLineBreaks: false) {
            // No route has such a path (ids are UUIDs, slugs are letters and digits): 404, the
            // answer every route documents for an address that names nothing.
            throw APIProblem(
                status: .notFound, title: "Page not found",
                detail: "There is nothing at this address: it contains an invisible control character (\(InputRules.codePoint(scalar))). Check the link and try again.")
        }
        let query = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        if let problem = TextInputGuard.problem(in: query, source: "address's query") { throw problem }
        return try await next(request, context)
    }
}
