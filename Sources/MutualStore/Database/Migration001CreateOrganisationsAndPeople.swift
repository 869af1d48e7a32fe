import FluentKit
import SQLKit

/// 001: tenants, the directory and the skill taxonomy.
struct CreateOrganisationsAndPeople001: AsyncMigration {
    var name: String { "001_create_organisations_and_people" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Organisation.schema)
            .id()
            .field("name", .string, .required)
            .field("slug", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "slug")
            .create()

        try await database.schema(Person.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("external_id", .string, .required)
            .field("name", .string, .required)
            .field("email", .string)
            .field("department", .string, .required)
            .field("company", .string, .required)
            .field("level", .int, .required)
            .field("manager_id", .uuid, .references(Person.schema, .id, onDelete: .setNull))
            .field("timezone", .string, .required)
            .field("location", .string, .required)
            .field("languages", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "organisation_id", "external_id")
            .create()

        try await database.schema(Skill.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("family", .string, .required)
            .unique(on: "organisation_id", "slug")
            .create()

        try await database.schema(PersonSkill.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("skill_id", .uuid, .required, .references(Skill.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("level", .int, .required)
            .unique(on: "person_id", "skill_id", "kind")
            .create()

        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "people_organisation_name").on(Person.schema).column("organisation_id").column("name").run()
            try await sql.create(index: "people_organisation_email").on(Person.schema).column("organisation_id").column("email").run()
            try await sql.create(index: "person_skills_skill_kind_level").on(PersonSkill.schema)
                .column("skill_id").column("kind").column("level").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PersonSkill.schema).delete()
        try await database.schema(Skill.schema).delete()
        try await database.schema(Person.schema).delete()
        try await database.schema(Organisation.schema).delete()
    }
}
