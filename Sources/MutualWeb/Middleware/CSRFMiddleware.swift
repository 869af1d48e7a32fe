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
///
/// File uploads (``streamingUploads``) are not collected here: their handlers read them as
/// they arrive with ``StreamingFormUpload``, which checks the token before anything is used.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "mutual_csrf"
    static let fieldName = "csrf_token"
    let signer: CSRFTokenSigner
    let cookies: CookieFactory
    let maxBodySize: Int
    /// Routes whose multipart posts are streamed to the handler (file uploads); every other
    /// form is collected here within `maxBodySize`.
    var streamingUploads: Set<String> = []
    static let unsubscribePrefix = "/email/unsubscribe/"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // One-click unsubscribe (RFC 8058) is posted by mail clients, which have no session or
        // CSRF cookie; the signed link in the path authorises it, and it can only turn mail off.
        // SCIM, like the API, takes only a bearer token, which a browser never sends by itself.
        if request.uri.path.hasPrefix("/api/") || request.uri.path.hasPrefix(SCIMRoutes.prefix) || request.uri.path == "/metrics" || request.uri.path.hasPrefix(Self.unsubscribePrefix) {
            return try await next(request, context)
        }
        var context = context
        var request = request
        var issueCookie = false
        // Bound to this browser's session cookie (or to having none): a cookie and token taken
        // from another browser, or planted in this one, do not match the victim's session.
        let session = request.cookies[SessionMiddleware.cookieName]?.value ?? ""
        if let existing = request.cookies[Self.cookieName]?.value, signer.isValid(existing, session: session) {
            context.csrfToken = existing
        } else {
            context.csrfToken = signer.makeToken(session: session)
            issueCookie = true
        }
        if [.post, .put, .patch, .delete].contains(request.method) {
            let contentType = request.headers[.contentType] ?? ""
            let boundary = MultipartStreamParser.boundary(fromContentType: contentType)
            if boundary != nil, streamingUploads.contains(request.uri.path) {
                // Streamed: the handler checks the token in the form's fields (a browser without
                // our cookie cannot have a valid one, so refuse that at once).
                guard !issueCookie else { throw CSRFRejected() }
            } else {
                let body = try await request.collectBody(upTo: maxBodySize)
                if contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
                    context.form = FormFields(urlEncoded: String(buffer: body))
                } else if let boundary {
                    context.form = (try? MultipartStreamParser.fields(of: body.readableBytesView, boundary: boundary)) ?? FormFields()
                }
                guard !issueCookie, let sent = context.form[Self.fieldName], Self.constantTimeEquals(sent, context.csrfToken) else {
                    throw CSRFRejected()
                }
                try TextInputGuard.check(context.form)
            }
        }
        var response = try await next(request, context)
        if let newSession = Self.sessionSet(by: response) {
            // Signing in or out changes the session: the next form needs a token bound to it.
            response.setCookie(cookies.make(Self.cookieName, value: signer.makeToken(session: newSession)))
        } else if issueCookie {
            response.setCookie(cookies.make(Self.cookieName, value: context.csrfToken))
        }
        return response
    }

    /// The session cookie `response` sets (empty when it clears it), or nil when it leaves it.
    static func sessionSet(by response: Response) -> String? {
        let prefix = SessionMiddleware.cookieName + "="
        guard let header = response.headers[values: .setCookie].last(where: { $0.hasPrefix(prefix) }) else { return nil }
        let value = header.dropFirst(prefix.count).prefix { $0 != ";" }
        let cleared = header.lowercased().contains("max-age=0") || value.isEmpty
        return cleared ? "" : String(value)
    }

    /// Compares in time independent of where the strings differ, so the token cannot be guessed byte by byte.
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// A form arrived without the right CSRF token (or the browser's cookie was missing).
struct CSRFRejected: Error {}

/// Signs and checks CSRF tokens of the form `nonce.signature`, where the signature covers the
/// nonce and the session cookie the token was issued with (HMAC, keyed by the server secret).
struct CSRFTokenSigner: Sendable {
    let key: SymmetricKey
    let nonces: @Sendable () -> String

    init(secret: String, nonces: @escaping @Sendable () -> String) {
        self.key = SymmetricKey(data: Data(SHA256.hash(data: Data(("mutual-csrf:" + secret).utf8))))
        self.nonces = nonces
    }

    /// A new token for a browser whose session cookie is `session` (empty when signed out).
    func makeToken(session: String) -> String {
        let nonce = nonces()
        return nonce + "." + signature(of: nonce, session: session)
    }

    func isValid(_ token: String, session: String) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else { return false }
        return CSRFMiddleware.constantTimeEquals(signature(of: String(parts[0]), session: session), String(parts[1]))
    }

    private func signature(of nonce: String, session: String) -> String {
        // The session cookie is hashed first: the signed text never holds the secret itself.
        let sessionDigest = SHA256.hash(data: Data(session.utf8)).map { String(format: "%02x", $0) }.joined()
        return HMAC<SHA256>.authenticationCode(for: Data((nonce + "|" + sessionDigest).utf8), using: key)
            .prefix(16).map { String(format: "%02x", $0) }.joined()
    }
}
