import FluentKit
import SQLKit

/// 023: the two-way learning ledger. One log per member per meeting (what they taught and
/// learned, a rating, a commitment), its entries (one skill each), and the dated history of
/// raised skill levels.
struct CreateLearningLedger023: AsyncMigration {
    var name: String { "023_create_learning_ledger" }

    func prepare(on database: any Database) async throws {
        try await database.schema(MeetingLog.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("meeting_id", .uuid, .required, .references(Meeting.schema, .id, onDelete: .cascade))
            .field("relationship_id", .uuid, .required, .references(Relationship.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("rating", .int)
            .field("commitment", .string, .required)
            .field("logged_at", .datetime, .required)
            // A member's second log of a meeting replaces the first: never two rows.
            .unique(on: "meeting_id", "person_id")
            .create()
        try await database.schema(MeetingLogEntry.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("log_id", .uuid, .required, .references(MeetingLog.schema, .id, onDelete: .cascade))
            .field("direction", .string, .required)
            .field("skill_id", .uuid, .required, .references(Skill.schema, .id, onDelete: .cascade))
            .field("note", .string, .required)
            .field("position", .int, .required)
            .create()
        try await database.schema(SkillLevelChange.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("skill_id", .uuid, .required, .references(Skill.schema, .id, onDelete: .cascade))
            .field("from_level", .int, .required)
            .field("to_level", .int, .required)
            .field("changed_at", .datetime, .required)
            .field("meeting_id", .uuid, .references(Meeting.schema, .id, onDelete: .setNull))
            .create()
        if let sql = database as? any SQLDatabase {
            // The ledger and the one-sided scan read a relationship's logs; entries are read by log.
            try await sql.create(index: "meeting_logs_relationship").on(MeetingLog.schema).column("relationship_id").run()
            try await sql.create(index: "meeting_logs_organisation").on(MeetingLog.schema).column("organisation_id").run()
            try await sql.create(index: "meeting_log_entries_log").on(MeetingLogEntry.schema).column("log_id").run()
            try await sql.create(index: "skill_level_changes_person").on(SkillLevelChange.schema).column("person_id").column("changed_at").run()
            try await sql.create(index: "skill_level_changes_meeting").on(SkillLevelChange.schema).column("meeting_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SkillLevelChange.schema).delete()
        try await database.schema(MeetingLogEntry.schema).delete()
        try await database.schema(MeetingLog.schema).delete()
    }
}
