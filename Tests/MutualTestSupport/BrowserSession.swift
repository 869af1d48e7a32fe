import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting

/// A test browser: keeps cookies between requests and fills in the CSRF token of forms, like a
/// person's browser would.
public final class BrowserSession: @unchecked Sendable {
    let client: any TestClientProtocol
    public private(set) var cookies: [String: String] = [:]
    /// Extra headers on every request (e.g. `X-Forwarded-For` to act as another client).
    public var headers: HTTPFields = [:]
    private let lock = NSLock()

    init(client: any TestClientProtocol) {
        self.client = client
    }

    public var csrfToken: String? { lock.withLock { cookies["mutual_csrf"] } }

    @discardableResult
    public func get(_ path: String) async throws -> TestResponse {
        try await send(path, method: .get, body: nil, contentType: nil)
    }

    /// Posts a form. The CSRF token is added unless `csrf` is false or the form sets its own.
    @discardableResult
    public func post(_ path: String, form: [String: String] = [:], csrf: Bool = true) async throws -> TestResponse {
        var fields = form
        if csrf && fields["csrf_token"] == nil {
            if csrfToken == nil { try await get("/healthz") }
            fields["csrf_token"] = csrfToken
        }
        let body = fields.sorted { $0.key < $1.key }
            .map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }
            .joined(separator: "&")
        return try await send(path, method: .post, body: body, contentType: "application/x-www-form-urlencoded")
    }

    /// Posts a form whose fields may repeat (checkbox groups, several `objectives`), in the
    /// order given, with the CSRF token.
    @discardableResult
    public func post(_ path: String, fields: [(String, String)]) async throws -> TestResponse {
        if csrfToken == nil { try await get("/healthz") }
        let body = (fields + [("csrf_token", csrfToken ?? "")]).map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(path, method: .post, body: body, contentType: "application/x-www-form-urlencoded")
    }

    /// Posts a `multipart/form-data` form with one file part, as a browser's file upload does.
    /// The CSRF token is added as a text part unless `csrf` is false or the fields set their own.
    @discardableResult
    public func postMultipart(
        _ path: String, fields: [String: String] = [:], fileField: String, filename: String, fileContents: [UInt8],
        fileContentType: String = "text/csv", csrf: Bool = true
    ) async throws -> TestResponse {
        var fields = fields
        if csrf && fields["csrf_token"] == nil {
            if csrfToken == nil { try await get("/healthz") }
            fields["csrf_token"] = csrfToken
        }
        let boundary = "----MutualTestBoundary\(UUID().uuidString)"
        var body: [UInt8] = []
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fileField)\"; filename=\"\(filename)\"\r\nContent-Type: \(fileContentType)\r\n\r\n".utf8)
        body += fileContents
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return try await send(path, method: .post, bytes: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    public func send(_ path: String, method: HTTPRequest.Method, body: String?, contentType: String?) async throws -> TestResponse {
        try await send(path, method: method, bytes: body.map { Array($0.utf8) }, contentType: contentType)
    }

    public func send(_ path: String, method: HTTPRequest.Method, bytes: [UInt8]?, contentType: String?) async throws -> TestResponse {
        var headers = self.headers
        let cookieHeader = lock.withLock { cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        if !cookieHeader.isEmpty { headers[.cookie] = cookieHeader }
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.executeRequest(
            uri: path, method: method, headers: headers, body: bytes.map { ByteBuffer(bytes: $0) })
        lock.withLock {
            for setCookie in response.headers[values: .setCookie] {
                let pair = setCookie.split(separator: ";", maxSplits: 1)[0]
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(parts[0]).trimmingCharacters(in: .whitespaces)
                let value = parts.count > 1 ? String(parts[1]) : ""
                let expired = setCookie.lowercased().contains("max-age=0") || value.isEmpty
                if expired { cookies[name] = nil } else { cookies[name] = value }
            }
        }
        return response
    }

    public func setCookie(_ name: String, _ value: String?) {
        lock.withLock { cookies[name] = value }
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension TestResponse {
    /// The body as UTF-8 text.
    public var text: String { String(buffer: body) }

    /// The `Location` header of a redirect.
    public var location: String? { headers[.location] }
}
