import FluentKit
import Foundation

/// One row of a person's profile: a strength (level 1–5) or a learning want (current level 0–4).
public final class PersonSkill: Model, @unchecked Sendable {
    public static let schema = "person_skills"

    public enum Kind: String, Codable, Sendable {
        case strength
        case want
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "skill_id") public var skillID: UUID
    @Field(key: "kind") public var kind: Kind
    @Field(key: "level") public var level: Int
    /// How much the person wants it (1–3, 1 by default); only for wants.
    @Field(key: "priority") public var priority: Int

    public init() {}

    public init(id: UUID? = nil, organisationID: UUID, personID: UUID, skillID: UUID, kind: Kind, level: Int, priority: Int = 1) {
        self.id = id
        self.organisationID = organisationID
        self.personID = personID
        self.skillID = skillID
        self.kind = kind
        self.level = level
        self.priority = priority
    }
}
