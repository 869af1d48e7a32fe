import FluentKit
import Foundation

/// A relationship a manager put aside on the needs-attention list until a date.
final class AttentionSnooze: Model, @unchecked Sendable {
    static let schema = "attention_snoozes"

    /// The relationship's id.
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "until") var until: Date
    @OptionalField(key: "by_person_id") var byPersonID: UUID?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
