import Foundation
import HummingbirdOTP

/// RFC 6238 codes as authenticator apps make them: HMAC-SHA-1, 30-second steps, 6 digits.
/// Codes are computed by hummingbird-auth's `TOTP`; this type adds the steps around "now" that
/// are accepted for clock drift and the secret's text forms.
public struct TOTPCodes: Sendable {
    /// Seconds per step.
    public static let stepSeconds = 30
    public static let digits = 6
    /// Steps either side of the current one that are accepted (phones and servers drift).
    public static let driftSteps: Int64 = 1

    /// The shared secret as HummingbirdOTP takes it: its UTF-8 bytes are the HMAC key.
    let secret: String

    public init(secret: String) {
        self.secret = secret
    }

    /// A new secret: the first 32 characters of a URL-safe random token (192 bits; RFC 4226
    /// asks for at least 128). The characters' bytes are the key, which `TOTP` takes as text.
    static func makeSecret(tokens: SecretTokens) -> String {
        String(tokens.makeToken().prefix(32))
    }

    /// The step `date` falls in (Unix time / 30).
    public static func step(at date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 / Double(stepSeconds)).rounded(.down))
    }

    /// The code for one step, zero-padded to six digits.
    public func code(step: Int64) -> String {
        let totp = TOTP(secret: secret, length: Self.digits, timeStep: Self.stepSeconds, hashFunction: .sha1)
        let value = totp.compute(date: Date(timeIntervalSince1970: Double(step) * Double(Self.stepSeconds)))
        let text = String(value)
        return String(repeating: "0", count: max(0, Self.digits - text.count)) + text
    }

    /// The step `code` belongs to among now and one step either side, newest first; nil when
    /// it is none of them. (Whether that step was already used is the store's question.)
    public func matchingStep(_ code: String, at date: Date) -> Int64? {
        let current = Self.step(at: date)
        var found: Int64?
        // Every candidate is compared, so the time taken does not say which step matched.
        for step in [current + 1, current, current - 1] where Self.constantTimeEqual(self.code(step: step), code) {
            found = max(found ?? step, step)
        }
        return found
    }

    /// The secret as authenticator apps take it when typed in: base32 (RFC 4648), no padding.
    public var base32: String { Self.base32(Array(secret.utf8)) }

    /// The `otpauth://` URI an authenticator app reads (from a QR code or pasted):
    /// `otpauth://totp/Mutual:<email>?secret=…&issuer=Mutual`.
    public func authenticatorURI(email: String, issuer: String = "Mutual") -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~@+")
        let label = "\(issuer):\(email)".addingPercentEncoding(withAllowedCharacters: allowed.union(CharacterSet(charactersIn: ":"))) ?? email
        let issuerText = issuer.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? issuer
        return "otpauth://totp/\(label)?secret=\(base32)&issuer=\(issuerText)"
    }

    /// Six digits typed with or without spaces.
    static func normalise(_ typed: String) -> String? {
        let digits = typed.filter { !$0.isWhitespace }
        guard digits.count == Self.digits, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return digits
    }

    static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var output = ""
        var buffer = 0
        var bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                output.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
            buffer &= (1 << bits) - 1
        }
        if bits > 0 { output.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return output
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
