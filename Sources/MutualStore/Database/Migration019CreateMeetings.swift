// TEMPORARY stand-in for the meetings core (lead, main); replaced by main's file at merge.
import FluentKit

struct CreateMeetings019: AsyncMigration {
    var name: String { "019_create_meetings" }
    func prepare(on database: any Database) async throws {
        try await database.schema(Meeting.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("relationship_id", .uuid, .required, .references(Relationship.schema, .id, onDelete: .cascade))
            .field("starts_at", .datetime, .required)
            .field("duration_minutes", .int, .required)
            .field("place", .string, .required)
            .field("agenda", .string, .required)
            .field("status", .string, .required)
            .field("cancel_note", .string, .required)
            .field("sequence", .int, .required)
            .field("series_id", .uuid)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }
    func revert(on database: any Database) async throws { try await database.schema(Meeting.schema).delete() }
}
