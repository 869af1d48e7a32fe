import FluentKit
import SQLKit

/// 005: programmes with objectives, and enrolments.
struct CreateProgrammes005: AsyncMigration {
    var name: String { "005_create_programmes" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Programme.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("model", .string, .required)
            .field("structure", .string, .required)
            .field("cadence", .string, .required)
            .field("agenda_template", .string, .required)
            .field("cycle_start", .string, .required)
            .field("cycle_end", .string, .required)
            .field("enrolment_opens", .string, .required)
            .field("enrolment_closes", .string, .required)
            .field("capacity", .int, .required)
            .field("self_enrolment", .bool, .required)
            .field("self_match", .bool, .required)
            .field("required_fields", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "organisation_id", "name")
            .create()
        try await database.schema(ProgrammeObjective.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("goal", .string, .required)
            .field("kpis", .string, .required)
            .create()
        try await database.schema(Enrolment.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("role", .string, .required)
            .field("goals", .string, .required)
            .field("source", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "programme_id", "person_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "programme_objectives_programme").on(ProgrammeObjective.schema).column("programme_id").run()
            try await sql.create(index: "enrolments_person").on(Enrolment.schema).column("person_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Enrolment.schema).delete()
        try await database.schema(ProgrammeObjective.schema).delete()
        try await database.schema(Programme.schema).delete()
    }
}
