import FluentKit
import Foundation

/// Another name for a skill (`js` for JavaScript, a merged skill's old name). Text that
/// normalises to an alias's slug means the skill.
public final class SkillAlias: Model, @unchecked Sendable {
    public static let schema = "skill_aliases"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "skill_id") public var skillID: UUID
    @Field(key: "slug") public var slug: String

    public init() {}

    public init(id: UUID? = nil, organisationID: UUID, skillID: UUID, slug: String) {
        self.id = id
        self.organisationID = organisationID
        self.skillID = skillID
        self.slug = slug
    }
}
