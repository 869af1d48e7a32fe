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
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(organisationID: UUID?, recipient: String, subject: String, body: String, createdAt: Date) {
        self.organisationID = organisationID
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.createdAt = createdAt
    }
}
