import FluentKit
import Foundation

/// A skill in an organisation's taxonomy, e.g. "SQL" in the Technical family.
public final class Skill: Model, @unchecked Sendable {
    public static let schema = "skills"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    /// Canonical, normalised name: `public-speaking` for "Public Speaking".
    @Field(key: "slug") public var slug: String
    @Field(key: "name") public var name: String
    @Field(key: "family") public var family: String

    public init() {}

    public init(id: UUID? = nil, organisationID: UUID, slug: String, name: String, family: String) {
        self.id = id
        self.organisationID = organisationID
        self.slug = slug
        self.name = name
        self.family = family
    }
}
