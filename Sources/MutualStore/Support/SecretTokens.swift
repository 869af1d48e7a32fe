import Crypto
import Foundation
import MutualMatching

/// Makes the random secrets in cookies, invitation links and API tokens, and the digests
/// under which they are stored. The source of randomness is injected so tests are repeatable.
public struct SecretTokens: Sendable {
    private let randomBytes: @Sendable (Int) -> [UInt8]

    public init(randomBytes: @escaping @Sendable (Int) -> [UInt8]) {
        self.randomBytes = randomBytes
    }

    /// Cryptographically secure randomness from the operating system.
    public static let system = SecretTokens(randomBytes: systemRandomBytes)

    /// `count` bytes from the operating system's secure generator.
    static func systemRandomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Lower-case hex, two digits a byte.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes { text += [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]] }
        return String(decoding: text, as: UTF8.self)
    }

    /// A deterministic source for tests: never use outside them.
    public static func seeded(_ seed: UInt64) -> SecretTokens {
        let state = SeededState(seed)
        return SecretTokens { count in state.next(count) }
    }

    /// A URL-safe random token with 256 bits of entropy.
    public func makeToken(prefix: String = "") -> String {
        prefix + Self.base64URL(randomBytes(32))
    }

    /// The hex SHA-256 of a token: what the database keeps instead of the token.
    public static func digest(_ token: String) -> String {
        hex(SHA256.hash(data: Data(token.utf8)))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        // Written straight into the URL-safe alphabet (RFC 4648 §5, no padding): replacing
        // characters in standard base64 afterwards goes through NSString on Linux, and a sealed
        // email is kilobytes long, queued by the tens of thousands in a nudge scan.
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output.append(base64URLAlphabet[Int(chunk >> 18 & 63)])
            output.append(base64URLAlphabet[Int(chunk >> 12 & 63)])
            output.append(base64URLAlphabet[Int(chunk >> 6 & 63)])
            output.append(base64URLAlphabet[Int(chunk & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest > 0 {
            let chunk = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
            output.append(base64URLAlphabet[Int(chunk >> 18 & 63)])
            output.append(base64URLAlphabet[Int(chunk >> 12 & 63)])
            if rest == 2 { output.append(base64URLAlphabet[Int(chunk >> 6 & 63)]) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// What ``base64URL(_:)`` wrote (padding allowed but not needed); nil for anything else.
    static func base64URLDecode(_ text: String) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count * 3 / 4)
        var chunk: UInt32 = 0
        var count = 0
        var padding = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "=") {
                padding = true
                continue
            }
            guard !padding, let value = base64URLValues[Int(byte)] else { return nil }
            chunk = chunk << 6 | UInt32(value)
            count += 1
            if count == 4 {
                output.append(UInt8(chunk >> 16 & 255))
                output.append(UInt8(chunk >> 8 & 255))
                output.append(UInt8(chunk & 255))
                chunk = 0
                count = 0
            }
        }
        switch count {
        case 0: break
        case 2: output.append(UInt8(chunk >> 4 & 255))
        case 3:
            output.append(UInt8(chunk >> 10 & 255))
            output.append(UInt8(chunk >> 2 & 255))
        default: return nil  // one character left over is never whole bytes
        }
        return output
    }

    private static let base64URLAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    /// Each byte's value in the URL-safe alphabet, or nil.
    private static let base64URLValues: [UInt8?] = {
        var values = [UInt8?](repeating: nil, count: 256)
        for (value, byte) in base64URLAlphabet.enumerated() { values[Int(byte)] = UInt8(value) }
        return values
    }()
}

/// The engine's seeded generator behind a lock, for `SecretTokens.seeded`.
private final class SeededState: @unchecked Sendable {
    private var generator: SeededGenerator
    private let lock = NSLock()

    init(_ seed: UInt64) { generator = SeededGenerator(seed: seed) }

    func next(_ count: Int) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next()) { bytes.append(contentsOf: $0) }
        }
        return Array(bytes.prefix(count))
    }
}
