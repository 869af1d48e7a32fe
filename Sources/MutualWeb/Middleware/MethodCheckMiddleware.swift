import Hummingbird
import Synchronization

/// Answers a request whose path exists but not with its method `405 Method Not Allowed` with an
/// `Allow` header (RFC 9110 §15.5.6), instead of the router's 404: a client that used the wrong
/// method learns which ones the address takes. Requests whose path matches no route go on to the
/// router (and its 404) unchanged.
struct MethodCheckMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let routes: RoutePatterns

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let method = request.method.rawValue
        let allowed = routes.methods(forPath: request.uri.path)
        // HEAD is answered wherever GET is (the router is built with autoGenerateHeadEndpoints).
        if !allowed.isEmpty, !allowed.contains(method), !(method == "HEAD" && allowed.contains("GET")) {
            throw MethodNotAllowed(allowed: allowed.union(allowed.contains("GET") ? ["HEAD"] : []).sorted())
        }
        return try await next(request, context)
    }
}

/// The method was wrong for an address that exists; `allowed` goes into the `Allow` header.
struct MethodNotAllowed: Error {
    let allowed: [String]
}

/// The registered routes' paths, as segments, for ``MethodCheckMiddleware``. Filled once when the
/// routes are registered, before the server takes requests.
final class RoutePatterns: Sendable {
    private let patterns = Mutex<[(segments: [Substring], method: String)]>([])

    func load(_ records: [RouteRecord]) {
        patterns.withLock { $0 = records.map { (Self.segments($0.path), $0.method) } }
    }

    /// The methods the router takes at `path` (empty when no route's path matches it). Where
    /// several paths match, the router's tree takes the one with a literal segment earliest
    /// where the others have a parameter (`/people/export` before `/people/:id`), and only its
    /// methods count.
    func methods(forPath path: String) -> Set<String> {
        let parts = Self.segments(path)
        return patterns.withLock { patterns in
            let matching = patterns.filter { Self.matches($0.segments, parts) }
            guard let best = matching.map({ Self.specificity($0.segments) }).max(by: { $0.lexicographicallyPrecedes($1) }) else { return [] }
            return Set(matching.filter { Self.specificity($0.segments) == best }.map(\.method))
        }
    }

    /// 2 for a literal segment, 1 for a parameter, 0 for a wildcard, segment by segment.
    static func specificity(_ pattern: [Substring]) -> [Int] {
        pattern.map { $0 == "**" || $0 == "*" ? 0 : $0.hasPrefix(":") ? 1 : 2 }
    }

    static func segments(_ path: String) -> [Substring] { path.split(separator: "/", omittingEmptySubsequences: true) }

    /// A `:name` segment matches any one segment, `*` any one, `**` the rest; others match exactly.
    static func matches(_ pattern: [Substring], _ path: [Substring]) -> Bool {
        var index = 0
        for segment in pattern {
            if segment == "**" { return true }
            guard index < path.count else { return false }
            if !(segment.hasPrefix(":") || segment == "*" || segment == path[index]) { return false }
            index += 1
        }
        return index == path.count
    }
}
