import FluentKit
import Foundation

/// Where a person's message digests got to: the newest message the last digest carried. The
/// next digest carries every message posted after it.
final class MessageDigestCursor: Model, @unchecked Sendable {
    static let schema = "message_digest_cursors"

    /// The person's id.
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "sent_through") var sentThrough: Date

    init() {}
}
