import Crypto
import Foundation

/// The tests' own Standard Webhooks signature check, written from the specification and
/// independent of Mutual's `WebhookSignature`: `v1,` + base64(HMAC-SHA256(base64-decoded secret
/// after `whsec_`, "id.timestamp.body")).
public enum ReferenceWebhookSignature {
    /// The signature the specification expects for one secret.
    public static func expected(id: String, timestamp: String, body: Data, secret: String) -> String {
        let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count))) ?? Data()
        var message = Data("\(id).\(timestamp).".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// Whether `header` (space-separated signatures) holds the one `secret` makes.
    public static func verifies(header: String, id: String, timestamp: String, body: Data, secret: String) -> Bool {
        header.split(separator: " ").map(String.init).contains(expected(id: id, timestamp: timestamp, body: body, secret: secret))
    }
}
