import HTTPTypes
import Hummingbird

/// The headers every response carries, error pages and 404s included: a content security
/// policy that allows nothing inline and nothing from elsewhere (the pages have no script and no
/// inline style), no framing, no MIME sniffing, no referrer to other sites, HSTS when Mutual is
/// served over https, and `Cache-Control: no-store` on everything but the static files, so a
/// shared computer's back button or a proxy never keeps a signed-in page or an API answer (one
/// of which carries a new token's secret).
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Whether the base URL is https: only then may the browser be told to insist on it.
    let https: Bool

    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        if https { response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains" }
        if !request.uri.path.hasPrefix("/static/") { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let strictTransportSecurity = Self("Strict-Transport-Security")!
}
