import FluentKit
import Foundation

/// An email as the outbox transport keeps it: nothing Mutual sends is silently dropped.
public final class OutboxMessage: Model, @unchecked Sendable {
    public static let schema = "outbox_messages"

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "organisation_id") public var organisationID: UUID?
    @Field(key: "recipient") public var recipient: String
    @Field(key: "subject") public var subject: String
    @Field(key: "body") public var body: String
    /// The message's attachments as JSON (an array of ``EmailAttachment``, content in base64;
    /// migration 022), `[]` for none.
    @Field(key: "attachments") public var attachmentsJSON: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(
        organisationID: UUID?, recipient: String, subject: String, body: String, attachments: [EmailAttachment] = [], createdAt: Date
    ) {
        self.organisationID = organisationID
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.attachmentsJSON = (try? String(decoding: JSONEncoder().encode(attachments), as: UTF8.self)) ?? "[]"
        self.createdAt = createdAt
    }

    /// The attachments the message was sent with.
    public var attachments: [EmailAttachment] {
        (try? JSONDecoder().decode([EmailAttachment].self, from: Data(attachmentsJSON.utf8))) ?? []
    }
}
