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
    public static let system = SecretTokens { count in
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
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
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
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
