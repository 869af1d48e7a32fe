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
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
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
