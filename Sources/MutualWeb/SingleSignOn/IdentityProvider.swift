import Crypto
import Foundation
import JWTKit
import MutualStore

/// Mutual's side of the OpenID Connect authorization code flow with one provider: discovery,
/// the authorization request (PKCE S256, `state`, `nonce`), the token exchange and the ID
/// token's checks. Outbound HTTP goes through the injected ``IdentityProviderTransport`` and
/// time comes from the injected clock, so tests replace exactly those two.
///
/// The discovery document and the key set are cached for an hour; an ID token signed with a
/// key id the cached set does not have fetches the set again once (the provider rotated its
/// keys) before it is refused.
public actor IdentityProvider {
    public nonisolated let settings: OpenIDConnectSettings
    let transport: any IdentityProviderTransport
    let clock: MutualClock

    static let cacheLifetime: TimeInterval = 3600
    /// Clock difference tolerated between Mutual and the provider for `exp` and `iat`.
    static let leeway: TimeInterval = 60
    /// Signature algorithms accepted: asymmetric ones only, so a token "signed" with `none` or
    /// with an HMAC over public data is refused.
    static let acceptedAlgorithms: Set<String> = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"]

    private var cachedMetadata: (metadata: ProviderMetadata, fetchedAt: Date)?
    private var cachedKeys: (keys: JWTKeyCollection, ids: Set<String>, fetchedAt: Date)?

    public init(settings: OpenIDConnectSettings, transport: any IdentityProviderTransport, clock: MutualClock) {
        self.settings = settings
        self.transport = transport
        self.clock = clock
    }

    /// What `/.well-known/openid-configuration` says, as far as Mutual uses it.
    struct ProviderMetadata: Decodable, Sendable {
        let issuer: String
        let authorizationEndpoint: String
        let tokenEndpoint: String
        let jwksURI: String
        let tokenEndpointAuthMethodsSupported: [String]?

        enum CodingKeys: String, CodingKey {
            case issuer
            case authorizationEndpoint = "authorization_endpoint"
            case tokenEndpoint = "token_endpoint"
            case jwksURI = "jwks_uri"
            case tokenEndpointAuthMethodsSupported = "token_endpoint_auth_methods_supported"
        }

        /// `client_secret_basic` unless the provider lists only `client_secret_post` (the
        /// specification's default is basic).
        var usesPostAuthentication: Bool {
            guard let methods = tokenEndpointAuthMethodsSupported else { return false }
            return !methods.contains("client_secret_basic") && methods.contains("client_secret_post")
        }
    }

    // MARK: Discovery and keys

    func metadata() async throws -> ProviderMetadata {
        if let cachedMetadata, clock.now.timeIntervalSince(cachedMetadata.fetchedAt) < Self.cacheLifetime { return cachedMetadata.metadata }
        let url = try endpoint(settings.issuer + "/.well-known/openid-configuration", what: "discovery address")
        let answer = try await fetch(IdentityProviderRequest(url: url, headers: [("Accept", "application/json")]), what: "its discovery document")
        guard answer.status == 200 else { throw unavailable("its discovery document answered \(answer.status)") }
        let metadata: ProviderMetadata
        do {
            metadata = try JSONDecoder().decode(ProviderMetadata.self, from: answer.body)
        } catch {
            throw unavailable("its discovery document is not OpenID Connect metadata")
        }
        let issuer = metadata.issuer.hasSuffix("/") ? String(metadata.issuer.dropLast()) : metadata.issuer
        guard issuer == settings.issuer else {
            throw unavailable("its discovery document names the issuer \(metadata.issuer), not \(settings.issuer); check MUTUAL_OIDC_ISSUER")
        }
        for address in [metadata.authorizationEndpoint, metadata.tokenEndpoint, metadata.jwksURI] {
            _ = try endpoint(address, what: "endpoint")
        }
        cachedMetadata = (metadata, clock.now)
        return metadata
    }

    /// The provider's signing keys, fetched again when `refresh` or older than the cache lifetime.
    private func keys(refresh: Bool) async throws -> (keys: JWTKeyCollection, ids: Set<String>) {
        if !refresh, let cachedKeys, clock.now.timeIntervalSince(cachedKeys.fetchedAt) < Self.cacheLifetime {
            return (cachedKeys.keys, cachedKeys.ids)
        }
        let metadata = try await metadata()
        let answer = try await fetch(
            IdentityProviderRequest(url: try endpoint(metadata.jwksURI, what: "key set address"), headers: [("Accept", "application/json")]),
            what: "its signing keys")
        guard answer.status == 200 else { throw unavailable("its signing keys answered \(answer.status)") }
        let collection = JWTKeyCollection()
        let ids: Set<String>
        do {
            let set = try JSONDecoder().decode(JWKS.self, from: try Self.namingUnnamedKeys(answer.body))
            // Keys of a type jwt-kit does not know (or encryption keys) are skipped, not fatal.
            var usable = Set<String>()
            for key in set.keys {
                guard let id = key.keyIdentifier?.string, (try? await collection.add(jwk: key)) != nil else { continue }
                usable.insert(id)
            }
            ids = usable
        } catch {
            throw unavailable("its signing keys are not a JSON Web Key Set")
        }
        cachedKeys = (collection, ids, clock.now)
        return (collection, ids)
    }

    // MARK: The flow

    /// Where to send the browser: the authorization endpoint with the code flow's parameters.
    public func authorizationURL(for attempt: StartedSingleSignOn, redirectURI: String) async throws -> URL {
        let metadata = try await metadata()
        guard var components = URLComponents(string: metadata.authorizationEndpoint) else {
            throw unavailable("its authorization endpoint is not an address")
        }
        var items = components.queryItems ?? []
        items += [
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "client_id", value: settings.clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI),
            URLQueryItem(name: "scope", value: "openid email profile"),
            URLQueryItem(name: "state", value: attempt.state),
            URLQueryItem(name: "nonce", value: attempt.nonce),
            URLQueryItem(name: "code_challenge", value: Self.codeChallenge(for: attempt.codeVerifier)),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        components.queryItems = items
        guard let url = components.url else { throw unavailable("its authorization endpoint is not an address") }
        return url
    }

    /// PKCE S256: base64url (no padding) of the SHA-256 of the verifier.
    static func codeChallenge(for verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Exchanges the code for tokens at the token endpoint and returns the checked ID token's
    /// claims. The code verifier proves this is the client that started the flow.
    public func finish(code: String, codeVerifier: String, nonce: String, redirectURI: String) async throws -> IDTokenClaims {
        let metadata = try await metadata()
        var form: [(String, String)] = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI), ("code_verifier", codeVerifier),
        ]
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"),
        ]
        if metadata.usesPostAuthentication {
            form += [("client_id", settings.clientID), ("client_secret", settings.clientSecret)]
        } else {
            // RFC 6749 2.3.1: each part form-encoded before joining.
            let credentials = Self.formEncode(settings.clientID) + ":" + Self.formEncode(settings.clientSecret)
            headers.append(("Authorization", "Basic " + Data(credentials.utf8).base64EncodedString()))
        }
        let body = form.map { Self.formEncode($0.0) + "=" + Self.formEncode($0.1) }.joined(separator: "&")
        let answer = try await fetch(
            IdentityProviderRequest(
                method: "POST", url: try endpoint(metadata.tokenEndpoint, what: "token endpoint"), headers: headers, body: Data(body.utf8)),
            what: "its token endpoint")
        let json = (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any]
        guard answer.status == 200 else {
            if let error = json?["error"] as? String, error == "invalid_grant" { throw SingleSignOnError.codeRejected(name: settings.name) }
            throw unavailable("its token endpoint answered \(answer.status)\((json?["error"] as? String).map { " (\($0))" } ?? "")")
        }
        guard let idToken = json?["id_token"] as? String else {
            throw unavailable("its token endpoint answered without an ID token; check that the client is an OpenID Connect client")
        }
        return try await verify(idToken: idToken, nonce: nonce)
    }

    /// Checks an ID token: the signature against the provider's published keys, then `iss`,
    /// `aud` (and `azp` when there are several audiences), `exp` and `iat` against the clock
    /// with a minute's leeway, and the attempt's `nonce`.
    public func verify(idToken: String, nonce: String) async throws -> IDTokenClaims {
        let header = try Self.header(of: idToken)
        guard let algorithm = header.alg, Self.acceptedAlgorithms.contains(algorithm) else {
            throw SingleSignOnError.invalidIDToken(.unsupportedAlgorithm)
        }
        // A token without a key id is checked with the provider's only key (jwt-kit's default
        // signer); with several keys it cannot say which, and is refused.
        func knows(_ keys: (keys: JWTKeyCollection, ids: Set<String>)) -> Bool {
            if let keyID = header.kid { return keys.ids.contains(keyID) }
            return keys.ids.count == 1
        }
        var keys = try await keys(refresh: false)
        if !knows(keys) {
            // The provider may have rotated its keys since they were cached: look once more.
            keys = try await self.keys(refresh: true)
            guard knows(keys) else { throw SingleSignOnError.invalidIDToken(.unknownKey) }
        }
        let claims: IDTokenClaims
        do {
            claims = try await keys.keys.verify(idToken, as: IDTokenClaims.self)
        } catch let error as JWTError where error.errorType == .signatureVerificationFailed {
            throw SingleSignOnError.invalidIDToken(.badSignature)
        } catch let error as JWTError where error.errorType == .unknownKID {
            throw SingleSignOnError.invalidIDToken(.unknownKey)
        } catch {
            throw SingleSignOnError.invalidIDToken(.malformed)
        }
        let issuer = claims.iss.value.hasSuffix("/") ? String(claims.iss.value.dropLast()) : claims.iss.value
        guard issuer == settings.issuer else { throw SingleSignOnError.invalidIDToken(.wrongIssuer) }
        guard claims.aud.value.contains(settings.clientID) else { throw SingleSignOnError.invalidIDToken(.wrongAudience) }
        if claims.aud.value.count > 1 || claims.azp != nil, claims.azp != settings.clientID {
            throw SingleSignOnError.invalidIDToken(.wrongAudience)
        }
        let now = clock.now
        guard claims.exp.value.addingTimeInterval(Self.leeway) > now else { throw SingleSignOnError.invalidIDToken(.expired) }
        if let issuedAt = claims.iat?.value, issuedAt > now.addingTimeInterval(Self.leeway) {
            throw SingleSignOnError.invalidIDToken(.issuedInFuture)
        }
        guard let tokenNonce = claims.nonce, Self.constantTimeEqual(tokenNonce, nonce) else {
            throw SingleSignOnError.invalidIDToken(.wrongNonce)
        }
        return claims
    }

    /// The verified email address the claims carry, lower-cased. Mutual requires
    /// `email_verified: true`: an absent claim is refused too, because some providers let
    /// people type any address into their profile, and an address is what finds the member.
    public func verifiedEmail(in claims: IDTokenClaims) throws -> String {
        guard let email = claims.email?.trimmingCharacters(in: .whitespaces).lowercased(), !email.isEmpty else {
            throw SingleSignOnError.noEmail(name: settings.name)
        }
        guard claims.emailVerified?.value == true else { throw SingleSignOnError.emailNotVerified(name: settings.name, email: email) }
        return email
    }

    // MARK: Helpers

    struct Header: Decodable { let alg: String?; let kid: String? }

    static func header(of token: String) throws -> Header {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let data = base64URLDecode(String(parts[0])), let header = try? JSONDecoder().decode(Header.self, from: data) else {
            throw SingleSignOnError.invalidIDToken(.malformed)
        }
        return header
    }

    /// jwt-kit files keys by key id; a provider that publishes keys without one (allowed when
    /// it has a single key) gets ids made up here, so its only key can still be used.
    static func namingUnnamedKeys(_ body: Data) throws -> Data {
        guard var set = try JSONSerialization.jsonObject(with: body) as? [String: Any], let keys = set["keys"] as? [[String: Any]] else {
            return body
        }
        set["keys"] = keys.enumerated().map { index, key in
            var key = key
            if key["kid"] == nil { key["kid"] = "mutual-unnamed-key-\(index)" }
            return key
        }
        return try JSONSerialization.data(withJSONObject: set)
    }

    static func base64URLDecode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// An address from the settings or the discovery document: https, or http when the issuer
    /// itself is a provider on this machine.
    private func endpoint(_ address: String, what: String) throws -> URL {
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(), url.host != nil,
            scheme == "https" || (scheme == "http" && settings.allowsPlainHTTP)
        else { throw unavailable("its \(what) \(address) is not an https:// address") }
        return url
    }

    private func fetch(_ request: IdentityProviderRequest, what: String) async throws -> IdentityProviderResponse {
        do {
            return try await transport.send(request)
        } catch {
            throw unavailable("\(what) could not be fetched")
        }
    }

    private func unavailable(_ detail: String) -> SingleSignOnError {
        .providerUnavailable(name: settings.name, detail: detail)
    }
}
