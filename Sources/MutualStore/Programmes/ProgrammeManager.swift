import FluentKit
import Foundation

/// A person who manages one programme: a programme manager sees and changes only the
/// programmes they are recorded as managing here (admins manage every programme).
public final class ProgrammeManager: Model, @unchecked Sendable {
    public static let schema = "programme_managers"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "programme_id") public var programmeID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "added_at") public var addedAt: Date
    /// Who added them (nil for the migration that gave existing managers their programmes).
    @OptionalField(key: "added_by") public var addedBy: UUID?

    public init() {}

    init(organisationID: UUID, programmeID: UUID, personID: UUID, addedAt: Date, addedBy: UUID?) {
        self.id = UUID()
        self.organisationID = organisationID
        self.programmeID = programmeID
        self.personID = personID
        self.addedAt = addedAt
        self.addedBy = addedBy
    }
}

/// A programme's manager as its page lists them.
public struct ProgrammeManagerSummary: Sendable, Equatable {
    public let personID: UUID
    public let name: String
    public let email: String?
    public let addedAt: Date
}
