import Crypto
import Foundation

/// An RFC 6238 implementation of the tests' own (HMAC-SHA-1 through swift-crypto, written from
/// the RFC), so the codes Mutual accepts are checked against something other than the library
/// Mutual computes them with. Lives in the test support module so store and web tests share it.
public enum ReferenceTOTP {
    /// The code for `key` at counter `counter`: HMAC-SHA-1 of the counter, then RFC 4226 §5.3
    /// dynamic truncation to `digits` digits.
    public static func code(key: [UInt8], counter: UInt64, digits: Int = 6) -> String {
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message(counter), using: SymmetricKey(data: key)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8)
            | UInt32(mac[offset + 3])
        var modulo: UInt32 = 1
        for _ in 0..<digits { modulo *= 10 }
        let text = String(binary % modulo)
        return String(repeating: "0", count: digits - text.count) + text
    }

    /// The code at a time (30-second steps, counted from the Unix epoch).
    public static func code(key: [UInt8], at date: Date, digits: Int = 6) -> String {
        code(key: key, counter: counter(at: date), digits: digits)
    }

    /// The counter (T) for a time: Unix seconds / 30.
    public static func counter(at date: Date) -> UInt64 { UInt64(date.timeIntervalSince1970 / 30) }

    /// The counter as the 8-byte big-endian message HOTP signs.
    public static func message(_ counter: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: counter >> (56 - 8 * UInt64($0))) }
    }

    /// Base32 (RFC 4648) text back to bytes; nil when it holds a letter outside the alphabet.
    public static func base32Decode(_ text: String) -> [UInt8]? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bytes: [UInt8] = []
        var buffer = 0, bits = 0
        for character in text.uppercased() where character != "=" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                bytes.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
            buffer &= (1 << bits) - 1
        }
        return bytes
    }
}
