import Foundation
import Testing

@testable import MutualStore

/// The URL-safe base64 that tokens, signatures and sealed messages are written in, checked
/// against Foundation's standard base64 on every length up to 100 bytes.
@Suite("URL-safe base64 of secrets")
struct SecretEncodingTests {
    @Test("Encoding is Foundation's base64 in the URL-safe alphabet without padding; decoding gives the bytes back")
    func matchesFoundation() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...100 {
            for _ in 0..<5 {
                let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let expected = Data(bytes).base64EncodedString()
                    .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
                let encoded = SecretTokens.base64URL(bytes)
                #expect(encoded == expected, "\(length) bytes")
                #expect(SecretTokens.base64URLDecode(encoded) == bytes, "\(length) bytes round trip")
            }
        }
    }

    @Test("Decoding refuses characters outside the alphabet and a dangling sixth of a byte")
    func refusesNonsense() {
        #expect(SecretTokens.base64URLDecode("ab+c") == nil, "standard-alphabet + is not URL-safe")
        #expect(SecretTokens.base64URLDecode("ab/c") == nil)
        #expect(SecretTokens.base64URLDecode("ab c") == nil)
        #expect(SecretTokens.base64URLDecode("abcde") == nil, "five characters cannot be whole bytes")
        #expect(SecretTokens.base64URLDecode("ab=c") == nil, "nothing after padding")
        #expect(SecretTokens.base64URLDecode("") == [])
    }

    @Test("A sealed message opens to itself; one altered character is refused")
    func sealRoundTrip() throws {
        let sealer = SecretSealer(secret: "test-secret")
        let text = String(repeating: "Olá, Zoë — ünïcode & <html> ", count: 200)
        let sealed = try sealer.seal(text)
        #expect(try sealer.open(sealed) == text)
        var altered = Array(sealed.utf8)
        altered[40] = altered[40] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: SecretSealer.SealError.self) { try sealer.open(String(decoding: altered, as: UTF8.self)) }
        #expect(sealer.verify(sealer.sign("message"), of: "message"))
        #expect(!sealer.verify(sealer.sign("message"), of: "massage"))
    }
}
