import FluentKit
import Foundation

/// One HR outcome of one person (`retained_12m` = 1), imported from the organisation's HR
/// system for the impact report. A 0/1 outcome is a yes/no; any other number is in its own units.
public final class HROutcome: Model, @unchecked Sendable {
    public static let schema = "hr_outcomes"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "person_id") public var personID: UUID
    /// The outcome's name, lower-case (`promoted_12m`).
    @Field(key: "outcome") public var outcome: String
    @Field(key: "value") public var value: Double
    @Field(key: "imported_at") public var importedAt: Date

    public init() {}
}
