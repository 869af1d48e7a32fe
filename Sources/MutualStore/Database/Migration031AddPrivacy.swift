import FluentKit
import SQLKit

/// 031: privacy (issue 17, point 4). Account deletion requests (`deletion_requests`: who asked,
/// when, when it is due, and whether it was cancelled, confirmed early by an admin or carried
/// out; at most one open request per person, by a partial unique index), and an organisation's
/// retention settings (`organisations.feedback_comment_retention_months`,
/// `organisations.sent_mail_retention_days`; null keeps everything), and `people.erased_at`.
struct AddPrivacy031: AsyncMigration {
    var name: String { "031_add_privacy" }

    func prepare(on database: any Database) async throws {
        try await database.schema(DeletionRequest.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, "id", onDelete: .cascade))
            .field("person_id", .uuid, .required)
            .field("requested_by", .uuid)
            .field("requested_at", .datetime, .required)
            .field("due_at", .datetime, .required)
            .field("cancelled_at", .datetime)
            .field("confirmed_by", .uuid)
            .field("executed_at", .datetime)
            .create()
        // When a person was erased; erased people leave the directory, the members page and pools.
        try await database.schema(Person.schema)
            .field("erased_at", .datetime)
            .update()
        try await database.schema(Organisation.schema)
            .field("feedback_comment_retention_months", .int)
            .update()
        try await database.schema(Organisation.schema)
            .field("sent_mail_retention_days", .int)
            .update()
        guard let sql = database as? any SQLDatabase else { return }
        // One open request per person: a second "delete my account" finds the first.
        try await sql.raw(
            "CREATE UNIQUE INDEX deletion_requests_open ON deletion_requests (person_id) WHERE cancelled_at IS NULL AND executed_at IS NULL"
        ).run()
        try await sql.create(index: "deletion_requests_organisation").on(DeletionRequest.schema).column("organisation_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Organisation.schema).deleteField("sent_mail_retention_days").update()
        try await database.schema(Organisation.schema).deleteField("feedback_comment_retention_months").update()
        try await database.schema(Person.schema).deleteField("erased_at").update()
        try await database.schema(DeletionRequest.schema).delete()
    }
}
