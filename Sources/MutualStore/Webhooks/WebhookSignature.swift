import Crypto
import Foundation

/// Signing as the Standard Webhooks specification says: a secret is `whsec_` followed by the
/// base64 of random bytes; a signature is `v1,` followed by the base64 of the HMAC-SHA256, keyed
/// with those bytes, of `{webhook-id}.{webhook-timestamp}.{body}`. Several signatures (during a
/// secret rotation) go in one header, separated by spaces; a receiver accepts any that matches.
public enum WebhookSignature {
    static let secretPrefix = "whsec_"

    /// A new secret: 32 random bytes (the specification asks for 24 to 64).
    public static func makeSecret() -> String {
        let key = SymmetricKey(size: .bits256)
        return secretPrefix + key.withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// The key bytes of a `whsec_…` secret.
    static func keyBytes(of secret: String) -> Data? {
        guard secret.hasPrefix(secretPrefix) else { return nil }
        return Data(base64Encoded: String(secret.dropFirst(secretPrefix.count)))
    }

    /// `v1,<base64 signature>` of one message with one secret.
    public static func sign(id: String, timestamp: Int, body: Data, secret: String) -> String? {
        guard let key = keyBytes(of: secret), !key.isEmpty else { return nil }
        var signed = Data("\(id).\(timestamp).".utf8)
        signed.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The `webhook-signature` header: one signature per secret, separated by spaces.
    public static func header(id: String, timestamp: Int, body: Data, secrets: [String]) -> String {
        secrets.compactMap { sign(id: id, timestamp: timestamp, body: body, secret: $0) }.joined(separator: " ")
    }
}
