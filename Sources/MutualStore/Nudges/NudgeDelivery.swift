import FluentKit
import Foundation

/// A nudge email queued for a person on one local date. The unique `(person_id, local_date)`
/// is what keeps nudges to one a day, whichever scan or replica gets there first.
final class NudgeDelivery: Model, @unchecked Sendable {
    static let schema = "nudge_deliveries"

    @ID(key: .id) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "person_id") var personID: UUID
    /// `YYYY-MM-DD` in the person's time zone.
    @Field(key: "local_date") var localDate: String
    /// The reasons' kinds, `;`-separated (for the jobs page and support; no text a person wrote).
    @Field(key: "reasons") var reasons: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
