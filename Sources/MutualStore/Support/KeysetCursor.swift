import Foundation

/// An opaque cursor for keyset paging over rows ordered by a text key, then id: the last row
/// of a page, so the next page starts after it whatever was added or removed meanwhile, and
/// costs an index seek rather than an offset scan. Base64url of `key`, a NUL and the id.
public struct KeysetCursor: Sendable, Equatable {
    public let key: String
    public let id: UUID

    public init(key: String, id: UUID) {
        self.key = key
        self.id = id
    }

    /// The cursor as sent to clients.
    public var encoded: String {
        Data((key + "\u{0}" + id.uuidString.lowercased()).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Reads a cursor a client sent back; a cursor that was not made here is refused with a
    /// message saying where valid ones come from.
    public init(decoding text: String, field: String = "after") throws {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.count <= 4_096, let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8),
            let separator = decoded.lastIndex(of: "\u{0}"),
            let id = UUID(uuidString: String(decoded[decoded.index(after: separator)...]))
        else {
            throw StoreError.invalid(
                field: field, message: "The cursor \"\(text.prefix(40))\" is not one Mutual made. Use the `next` value of the previous page, or leave it out for the first page.")
        }
        self.key = String(decoded[..<separator])
        self.id = id
    }
}
