import Crypto
import Foundation
import Hummingbird

/// Protects every form post against cross-site request forgery.
///
/// Each browser gets a `mutual_csrf` cookie holding a random nonce signed with the server
/// secret; every form carries the same value in a hidden `csrf_token` field. A post whose field
/// does not match a validly signed cookie is refused before any handler runs. The signature
/// stops a sibling subdomain from planting a cookie of its own choosing. The API is exempt: it
/// accepts only bearer tokens, which a browser never sends by itself.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "mutual_csrf"
    static let fieldName = "csrf_token"
    let signer: CSRFTokenSigner
    let cookies: CookieFactory
    let maxBodySize: Int
    /// Routes that take larger bodies (file uploads), with their own limit; every other form
    /// keeps `maxBodySize`.
    var uploadLimits: [String: Int] = [:]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path.hasPrefix("/api/") || request.uri.path == "/metrics" {
            return try await next(request, context)
        }
        var context = context
        var request = request
        var issueCookie = false
        if let existing = request.cookies[Self.cookieName]?.value, signer.isValid(existing) {
            context.csrfToken = existing
        } else {
            context.csrfToken = signer.makeToken()
            issueCookie = true
        }
        if [.post, .put, .patch, .delete].contains(request.method) {
            let body = try await request.collectBody(upTo: uploadLimits[request.uri.path] ?? maxBodySize)
            let contentType = request.headers[.contentType] ?? ""
            if contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
                context.form = FormFields(urlEncoded: String(buffer: body))
            } else if let boundary = MultipartForm.boundary(fromContentType: contentType),
                let multipart = MultipartForm(body: body, boundary: boundary)
            {
                // The token travels as a text part; the handler reads the file parts itself.
                context.form = multipart.fields
            }
            guard !issueCookie, let sent = context.form[Self.fieldName], constantTimeEquals(sent, context.csrfToken) else {
                throw CSRFRejected()
            }
        }
        var response = try await next(request, context)
        if issueCookie {
            response.setCookie(cookies.make(Self.cookieName, value: context.csrfToken))
        }
        return response
    }

    private func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// A form arrived without the right CSRF token (or the browser's cookie was missing).
struct CSRFRejected: Error {}

/// Signs and checks CSRF tokens of the form `nonce.signature`.
struct CSRFTokenSigner: Sendable {
    let key: SymmetricKey
    let nonces: @Sendable () -> String

    init(secret: String, nonces: @escaping @Sendable () -> String) {
        self.key = SymmetricKey(data: Data(SHA256.hash(data: Data(("mutual-csrf:" + secret).utf8))))
        self.nonces = nonces
    }

    func makeToken() -> String {
        let nonce = nonces()
        return nonce + "." + signature(of: nonce)
    }

    func isValid(_ token: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        return signature(of: String(parts[0])) == parts[1]
    }

    private func signature(of nonce: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(nonce.utf8), using: key)
            .prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
