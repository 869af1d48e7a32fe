import FluentKit
import SQLKit

/// 014: the record of sent email (without its links) and each person's email choices.
struct CreateEmailRecords014: AsyncMigration {
    var name: String { "014_email_records" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SentEmail.schema)
            .id()
            .field("organisation_id", .uuid, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("job_id", .uuid)
            .field("recipient", .string, .required)
            .field("category", .string, .required)
            .field("template", .string, .required)
            .field("subject", .string, .required)
            .field("sent_at", .datetime, .required)
            .unique(on: "job_id")
            .create()
        try await database.schema(EmailOptOut.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("category", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "person_id", "category")
            .create()
        if let sql = database as? any SQLDatabase {
            // The send-rate limit counts the last minute's messages.
            try await sql.create(index: "sent_emails_time").on(SentEmail.schema).column("sent_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EmailOptOut.schema).delete()
        try await database.schema(SentEmail.schema).delete()
    }
}
