import Foundation

/// The identity provider an installation signs in with (`MUTUAL_OIDC_*`). Nil in
/// ``AppConfiguration/singleSignOn`` when `MUTUAL_OIDC_ISSUER` is unset: no button, no routes'
/// work.
public struct OpenIDConnectSettings: Sendable, Equatable {
    /// The issuer identifier, without a trailing slash; it must equal the discovery document's
    /// `issuer` and every ID token's `iss`.
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    /// The button's label, "Sign in with <name>".
    public var name: String

    /// Checks and normalises the four values; the error says which to fix and how.
    public init(issuer rawIssuer: String, clientID: String, clientSecret: String, name: String?) throws {
        let trimmed = rawIssuer.trimmingCharacters(in: .whitespaces)
        let issuer = trimmed.hasSuffix("/") ? String(trimmed.dropLast()) : trimmed
        guard let url = URL(string: issuer), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
            url.query == nil, url.fragment == nil
        else {
            throw ConfigurationError(
                "MUTUAL_OIDC_ISSUER \"\(rawIssuer)\" is not an issuer address. Set it to your identity provider's issuer, e.g. https://login.example.org/realms/staff (the address before /.well-known/openid-configuration).")
        }
        switch scheme {
        case "https": break
        case "http":
            guard Self.isLoopback(host: host) else {
                throw ConfigurationError(
                    "MUTUAL_OIDC_ISSUER \"\(issuer)\" uses http://, which is allowed only on this machine (localhost, 127.0.0.1 or ::1) for tests. Use the provider's https:// address.")
            }
        default:
            throw ConfigurationError("MUTUAL_OIDC_ISSUER must start with https:// (http:// only for a provider on localhost), not \"\(rawIssuer)\".")
        }
        guard !clientID.isEmpty else {
            throw ConfigurationError("MUTUAL_OIDC_ISSUER is set but MUTUAL_OIDC_CLIENT_ID is not. Set it to the client id your identity provider gave Mutual.")
        }
        guard !clientSecret.isEmpty else {
            throw ConfigurationError("MUTUAL_OIDC_ISSUER is set but MUTUAL_OIDC_CLIENT_SECRET is not. Set it to the client secret your identity provider gave Mutual.")
        }
        self.issuer = issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        let label = name?.trimmingCharacters(in: .whitespaces) ?? ""
        self.name = label.isEmpty ? host : label
    }

    /// Whether the issuer may be reached over plain http (a provider on this machine).
    var allowsPlainHTTP: Bool { URL(string: issuer)?.scheme?.lowercased() == "http" }

    /// localhost, 127.0.0.0/8 and ::1.
    static func isLoopback(host rawHost: String) -> Bool {
        let host = rawHost.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
