import FluentKit
import Foundation
import SQLKit

/// 022: calendar feeds and email attachments.
///
/// - `calendar_feeds`: one row per person who has asked for their feed URL. The feed is found by
///   the SHA-256 digest of the URL's secret (`token_digest`, unique); `sealed_token` is the
///   secret sealed under `MUTUAL_SECRET` (AES-GCM), so its owner can be shown the URL again
///   while a copy of the database alone reveals no URL. Rotating replaces both in one update.
/// - `outbox_messages.attachments`: the files a message kept in the outbox was sent with (a
///   meeting's `.ics`), as JSON; `[]` for none.
struct CreateCalendarFeeds022: AsyncMigration {
    var name: String { "022_create_calendar_feeds" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { transaction in
            try await transaction.schema(CalendarFeed.schema)
                .id()
                .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
                .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
                .field("token_digest", .string, .required)
                .field("sealed_token", .string, .required)
                .field("created_at", .datetime, .required)
                .field("rotated_at", .datetime, .required)
                .unique(on: "person_id")
                .unique(on: "token_digest")
                .create()
            try await transaction.schema(OutboxMessage.schema)
                .field("attachments", .string, .required, .sql(.default("[]")))
                .update()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(CalendarFeed.schema).delete()
        try await database.schema(OutboxMessage.schema).deleteField("attachments").update()
    }
}
