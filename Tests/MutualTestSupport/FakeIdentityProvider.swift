import Crypto
import Foundation
import MutualWeb

/// An OpenID Connect provider in memory, standing in for the network through Mutual's
/// ``IdentityProviderTransport``: discovery, a key set, and a token endpoint that checks the
/// client's secret, the code (once), the redirect URI and the PKCE verifier, then signs an ID
/// token with ES256. Written with swift-crypto directly, not jwt-kit, so the verifier Mutual
/// uses is checked against an independent signer.
public final class FakeIdentityProvider: IdentityProviderTransport, @unchecked Sendable {
    public static let issuer = "https://idp.example.test"
    public static let clientID = "mutual-test-client"
    public static let clientSecret = "test-client-secret with spaces&symbols"
    public static let name = "Example ID"

    /// The claims the next ID tokens carry; tests change them to make bad tokens.
    public struct Claims: Sendable {
        public var iss = FakeIdentityProvider.issuer
        public var sub = "subject-1"
        public var aud: [String] = [FakeIdentityProvider.clientID]
        public var exp: Date
        public var iat: Date?
        public var nonce: String?
        public var email: String?
        public var emailVerified: Bool?
    }

    struct Grant {
        let email: String
        let emailVerified: Bool?
        let nonce: String
        let challenge: String
        let redirectURI: String
        var used = false
    }

    private let lock = NSLock()
    private let clock: TestClock
    private var signingKey = P256.Signing.PrivateKey()
    private var keyID = "key-1"
    private var grants: [String: Grant] = [:]
    private var counter = 0
    private var _jwksFetches = 0
    private var _unnamedKeys = false
    /// Changes every token the endpoint signs (a wrong issuer, an expired token …).
    private var _tamper: (@Sendable (inout Claims) -> Void)?

    public init(clock: TestClock) { self.clock = clock }

    /// The settings that point Mutual at this provider.
    public static var settings: OpenIDConnectSettings {
        // swiftlint:disable:next force_try
        try! OpenIDConnectSettings(issuer: issuer, clientID: clientID, clientSecret: clientSecret, name: name)
    }

    public var jwksFetches: Int { lock.withLock { _jwksFetches } }

    /// Publishes the key without a key id (as oidc-provider-mock does).
    public func publishUnnamedKeys() { lock.withLock { _unnamedKeys = true } }

    public func tamper(_ change: (@Sendable (inout Claims) -> Void)?) { lock.withLock { _tamper = change } }

    /// A new signing key under a new key id (the old one is no longer published).
    public func rotateKey() {
        lock.withLock {
            signingKey = P256.Signing.PrivateKey()
            keyID = "key-\(UUID().uuidString.prefix(8))"
        }
    }

    /// What the provider's login page does: takes Mutual's authorization URL, "signs in" as
    /// `email`, and returns the path (on Mutual) the browser is sent back to.
    public func authorize(_ authorizationURL: String, email: String, emailVerified: Bool? = true) throws -> String {
        guard let components = URLComponents(string: authorizationURL), let items = components.queryItems else {
            throw FakeProviderError("not an authorization URL: \(authorizationURL)")
        }
        func item(_ name: String) -> String? { items.first { $0.name == name }?.value }
        guard authorizationURL.hasPrefix(Self.issuer + "/authorize?"), item("response_type") == "code", item("client_id") == Self.clientID,
            item("code_challenge_method") == "S256", let challenge = item("code_challenge"), let state = item("state"),
            let nonce = item("nonce"), let redirectURI = item("redirect_uri"), item("scope")?.split(separator: " ").contains("openid") == true
        else { throw FakeProviderError("incomplete authorization request: \(authorizationURL)") }
        let code = lock.withLock {
            counter += 1
            let code = "code-\(counter)-\(UUID().uuidString)"
            grants[code] = Grant(email: email, emailVerified: emailVerified, nonce: nonce, challenge: challenge, redirectURI: redirectURI)
            return code
        }
        let callback = URLComponents(string: redirectURI)!
        return callback.path + "?code=\(code)&state=\(state.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
    }

    public func send(_ request: IdentityProviderRequest) async throws -> IdentityProviderResponse {
        switch (request.method, request.url.absoluteString) {
        case ("GET", Self.issuer + "/.well-known/openid-configuration"):
            return json([
                "issuer": Self.issuer, "authorization_endpoint": Self.issuer + "/authorize", "token_endpoint": Self.issuer + "/token",
                "jwks_uri": Self.issuer + "/jwks", "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["ES256"], "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            ])
        case ("GET", Self.issuer + "/jwks"):
            let (key, id, unnamed) = lock.withLock {
                _jwksFetches += 1
                return (signingKey.publicKey, keyID, _unnamedKeys)
            }
            var jwk = Self.jwk(key, id: id)
            if unnamed { jwk["kid"] = nil }
            return json(["keys": [jwk]])
        case ("POST", Self.issuer + "/token"):
            return tokenEndpoint(request)
        default:
            return IdentityProviderResponse(status: 404, body: Data())
        }
    }

    private func tokenEndpoint(_ request: IdentityProviderRequest) -> IdentityProviderResponse {
        let expected = "Basic " + Data("mutual-test-client:test-client-secret%20with%20spaces%26symbols".utf8).base64EncodedString()
        guard request.headers.contains(where: { $0.name == "Authorization" && $0.value == expected }) else {
            return json(["error": "invalid_client"], status: 401)
        }
        var form: [String: String] = [:]
        for pair in String(decoding: request.body ?? Data(), as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            if parts.count == 2 { form[parts[0]] = parts[1] }
        }
        let now = clock.now
        let outcome: Result<(Grant, Claims), FakeProviderError> = lock.withLock {
            guard form["grant_type"] == "authorization_code", let code = form["code"], var grant = grants[code], !grant.used else {
                return .failure(FakeProviderError("invalid_grant"))
            }
            grant.used = true
            grants[code] = grant
            guard form["redirect_uri"] == grant.redirectURI, let verifier = form["code_verifier"],
                Self.challenge(verifier) == grant.challenge
            else { return .failure(FakeProviderError("invalid_grant")) }
            var claims = Claims(exp: now.addingTimeInterval(300), iat: now, nonce: grant.nonce, email: grant.email, emailVerified: grant.emailVerified)
            _tamper?(&claims)
            return .success((grant, claims))
        }
        switch outcome {
        case .failure: return json(["error": "invalid_grant"], status: 400)
        case .success(let (_, claims)):
            return json(["access_token": "at", "token_type": "Bearer", "id_token": sign(claims)])
        }
    }

    /// An ES256 ID token for `claims`, with the current key unless another is given.
    public func sign(
        _ claims: Claims, key: P256.Signing.PrivateKey? = nil, keyID: String? = nil, omitKeyID: Bool = false, alg: String = "ES256"
    ) -> String {
        let (currentKey, currentID) = lock.withLock { (signingKey, self.keyID) }
        var payload: [String: Any] = ["iss": claims.iss, "sub": claims.sub, "aud": claims.aud, "exp": Int(claims.exp.timeIntervalSince1970)]
        if let iat = claims.iat { payload["iat"] = Int(iat.timeIntervalSince1970) }
        if let nonce = claims.nonce { payload["nonce"] = nonce }
        if let email = claims.email { payload["email"] = email }
        if let verified = claims.emailVerified { payload["email_verified"] = verified }
        var header: [String: Any] = ["alg": alg, "typ": "JWT", "kid": keyID ?? currentID]
        if omitKeyID { header["kid"] = nil }
        let input = Self.base64URL(try! JSONSerialization.data(withJSONObject: header)) + "."
            + Self.base64URL(try! JSONSerialization.data(withJSONObject: payload))
        let signature = try! (key ?? currentKey).signature(for: Data(input.utf8))
        return input + "." + Self.base64URL(signature.rawRepresentation)
    }

    /// Claims for a token made directly (not through the token endpoint), valid now.
    public func validClaims(nonce: String, email: String = "someone@example.test") -> Claims {
        Claims(exp: clock.now.addingTimeInterval(300), iat: clock.now, nonce: nonce, email: email, emailVerified: true)
    }

    static func jwk(_ key: P256.Signing.PublicKey, id: String) -> [String: Any] {
        let raw = key.rawRepresentation
        return ["kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": id,
                "x": base64URL(raw.prefix(32)), "y": base64URL(raw.suffix(32))]
    }

    static func challenge(_ verifier: String) -> String { base64URL(Data(SHA256.hash(data: Data(verifier.utf8)))) }

    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private func json(_ object: [String: Any], status: Int = 200) -> IdentityProviderResponse {
        IdentityProviderResponse(status: status, body: try! JSONSerialization.data(withJSONObject: object))
    }
}

public struct FakeProviderError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
