import FluentKit
import SQLKit

/// 003: full profiles (interests, exclusions, bio, availability, boundaries), want priorities,
/// skill aliases, and the indexes the directory needs at 100,000 people.
struct ExtendProfilesAndTaxonomy003: AsyncMigration {
    var name: String { "003_extend_profiles_and_taxonomy" }

    func prepare(on database: any Database) async throws {
        for (column, defaultValue) in [
            ("interests", ""), ("exclude", ""), ("bio", ""), ("availability", ""), ("off_limits", ""),
            ("meeting_frequency", ""), ("formality", ""),
        ] {
            try await database.schema(Person.schema)
                .field(.definition(name: .key(.string(column)), dataType: .string, constraints: [.required, .sql(.default(defaultValue))]))
                .update()
        }
        try await database.schema(Person.schema).field("updated_at", .datetime).update()
        try await database.schema(PersonSkill.schema)
            .field(.definition(name: .key("priority"), dataType: .int, constraints: [.required, .sql(.default(1))]))
            .update()

        try await database.schema(SkillAlias.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("skill_id", .uuid, .required, .references(Skill.schema, .id, onDelete: .cascade))
            .field("slug", .string, .required)
            .unique(on: "organisation_id", "slug")
            .create()

        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "people_organisation_department").on(Person.schema).column("organisation_id").column("department").run()
            try await sql.create(index: "people_organisation_level").on(Person.schema).column("organisation_id").column("level").run()
            try await sql.create(index: "people_organisation_timezone").on(Person.schema).column("organisation_id").column("timezone").run()
            try await sql.create(index: "people_manager").on(Person.schema).column("manager_id").run()
            try await sql.create(index: "person_skills_person").on(PersonSkill.schema).column("person_id").run()
            try await sql.create(index: "person_skills_organisation_kind_skill").on(PersonSkill.schema)
                .column("organisation_id").column("kind").column("skill_id").column("level").run()
            try await sql.create(index: "skill_aliases_skill").on(SkillAlias.schema).column("skill_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SkillAlias.schema).delete()
        try await database.schema(PersonSkill.schema).deleteField("priority").update()
        for column in ["interests", "exclude", "bio", "availability", "off_limits", "meeting_frequency", "formality", "updated_at"] {
            try await database.schema(Person.schema).deleteField(.key(.string(column))).update()
        }
    }
}
