import Crypto
import Foundation

/// Seals the secrets a durable job must carry (an invitation's link in a queued email) with a key
/// derived from `MUTUAL_SECRET`, so a token never sits in the database in the clear, and signs
/// the links that need no database row (one-click unsubscribe).
public struct SecretSealer: Sendable {
    private let sealingKey: SymmetricKey
    private let signingKey: SymmetricKey

    /// Keys derived from the server's secret (the same on every replica, so any replica can open
    /// what another sealed).
    public init(secret: String) {
        let input = SymmetricKey(data: Data(secret.utf8))
        sealingKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: input, info: Data("mutual.seal.v1".utf8), outputByteCount: 32)
        signingKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: input, info: Data("mutual.sign.v1".utf8), outputByteCount: 32)
    }

    /// Keys for this process only (tests, and a server started without `MUTUAL_SECRET`).
    public static func ephemeral() -> SecretSealer {
        SecretSealer(secret: SecretTokens.system.makeToken())
    }

    /// `text` encrypted and authenticated, as URL-safe base64.
    public func seal(_ text: String) throws -> String {
        let box = try AES.GCM.seal(Data(text.utf8), using: sealingKey)
        guard let combined = box.combined else { throw SealError.unreadable }
        return SecretTokens.base64URL(Array(combined))
    }

    /// What ``seal(_:)`` sealed; throws when it was sealed with another secret or altered.
    public func open(_ sealed: String) throws -> String {
        guard let data = Self.base64URLDecode(sealed) else { throw SealError.unreadable }
        do {
            let box = try AES.GCM.SealedBox(combined: data)
            return String(decoding: try AES.GCM.open(box, using: sealingKey), as: UTF8.self)
        } catch {
            throw SealError.unreadable
        }
    }

    /// A URL-safe signature of `message`.
    public func sign(_ message: String) -> String {
        SecretTokens.base64URL(Array(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: signingKey)))
    }

    /// Whether `signature` is ``sign(_:)`` of `message`, compared in constant time.
    public func verify(_ signature: String, of message: String) -> Bool {
        guard let data = Self.base64URLDecode(signature) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(data, authenticating: Data(message.utf8), using: signingKey)
    }

    static func base64URLDecode(_ text: String) -> Data? {
        SecretTokens.base64URLDecode(text).map { Data($0) }
    }

    public enum SealError: Error, LocalizedError, PermanentJobError {
        case unreadable

        public var errorDescription: String? {
            "A sealed secret could not be opened: it was sealed under another MUTUAL_SECRET (set the same MUTUAL_SECRET on every replica and keep it across restarts), or it was altered. Send the invitation again."
        }
    }
}
