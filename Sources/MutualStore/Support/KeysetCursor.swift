import Foundation

/// A cursor for keyset paging over rows ordered by a text key, then id: the last row of a
/// page, so the next page starts after it whatever was added or removed meanwhile, and costs an
/// index seek rather than an offset scan. Written `<id>.<key as hex UTF-8>`, so its whole
/// syntax is one regular expression (``pattern``, in the OpenAPI document too) and every string
/// that matches it is a position a client may ask for: nothing valid is refused.
public struct KeysetCursor: Sendable, Equatable {
    public let key: String
    public let id: UUID

    /// What every cursor looks like.
    public static let pattern = "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\.([0-9a-fA-F]{2})*)$"

    public init(key: String, id: UUID) {
        self.key = key
        self.id = id
    }

    /// The cursor as sent to clients.
    public var encoded: String {
        id.uuidString.lowercased() + "." + key.utf8.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Reads a cursor a client sent back; one that does not have a cursor's shape is refused
    /// with a message saying where valid ones come from.
    public init(decoding text: String, field: String = "after") throws {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let refused = StoreError.invalid(
            field: field,
            message: "The cursor \"\(text.prefix(40))\" is not one Mutual made. Use the `next` value of the previous page, or leave it out for the first page.")
        guard text.count <= 4_096, parts.count == 2, parts[0].count == 36, let id = UUID(uuidString: String(parts[0])) else { throw refused }
        let hex = Array(parts[1].utf8)
        let digits = Set("0123456789abcdefABCDEF".utf8)
        guard hex.count % 2 == 0, hex.allSatisfy(digits.contains) else { throw refused }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.count / 2)
        var index = 0
        while index < hex.count {
            guard let byte = UInt8(String(decoding: hex[index..<index + 2], as: UTF8.self), radix: 16) else { throw refused }
            bytes.append(byte)
            index += 2
        }
        // Bytes that are not UTF-8 still name a position (after the text they decode to).
        self.key = String(decoding: bytes, as: UTF8.self)
        self.id = id
    }
}
