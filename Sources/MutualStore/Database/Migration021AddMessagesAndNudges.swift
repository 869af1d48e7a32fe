import FluentKit
import Foundation
import SQLKit

/// 021: the relationship thread, its hourly digests, and nudges.
///
/// - `relationship_messages`: what members (and managers, for nudges) write in a relationship's
///   thread, oldest first by `(relationship_id, created_at)`.
/// - `message_digest_cursors`: per person, the newest message their last digest carried, so the
///   next digest holds every message since.
/// - `programme_nudge_rules`: one row per programme whose manager changed a rule; a programme
///   without a row has the defaults (``NudgeRules/defaults``).
/// - `nudge_deliveries`: one row per person and local date a nudge email was queued for; the
///   unique `(person_id, local_date)` keeps it to one a day across scans and replicas.
/// - `attention_snoozes`: a relationship a manager put aside until a date.
/// - Indexes for the hourly scan: open relationships by `(status, started_at)`, requests by
///   `(status, created_at)`, people by `timezone`.
struct AddMessagesAndNudges021: AsyncMigration {
    var name: String { "021_add_messages_and_nudges" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { transaction in
            try await transaction.schema(RelationshipMessage.schema)
                .id()
                .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
                .field("relationship_id", .uuid, .required, .references(Relationship.schema, .id, onDelete: .cascade))
                .field("author_person_id", .uuid, .references(Person.schema, .id, onDelete: .setNull))
                .field("from_manager", .bool, .required)
                .field("body", .string, .required)
                .field("created_at", .datetime, .required)
                .create()
            try await transaction.schema(MessageDigestCursor.schema)
                .field("id", .uuid, .identifier(auto: false), .references(Person.schema, .id, onDelete: .cascade))
                .field("sent_through", .datetime, .required)
                .create()
            try await transaction.schema(NudgeRulesRow.schema)
                .field("id", .uuid, .identifier(auto: false), .references(Programme.schema, .id, onDelete: .cascade))
                .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
                .field("first_meeting_on", .bool, .required)
                .field("first_meeting_days", .int, .required)
                .field("quiet_on", .bool, .required)
                .field("quiet_days", .int, .required)
                .field("requests_on", .bool, .required)
                .field("agreement_on", .bool, .required)
                .field("agreement_days", .int, .required)
                .field("milestones_on", .bool, .required)
                .field("close_silent", .bool, .required)
                .field("updated_at", .datetime, .required)
                .create()
            try await transaction.schema(NudgeDelivery.schema)
                .id()
                .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
                .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
                .field("local_date", .string, .required)
                .field("reasons", .string, .required)
                .field("created_at", .datetime, .required)
                .unique(on: "person_id", "local_date")
                .create()
            try await transaction.schema(AttentionSnooze.schema)
                .field("id", .uuid, .identifier(auto: false), .references(Relationship.schema, .id, onDelete: .cascade))
                .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
                .field("until", .datetime, .required)
                .field("by_person_id", .uuid)
                .field("created_at", .datetime, .required)
                .create()
            if let sql = transaction as? any SQLDatabase {
                try await sql.create(index: "relationship_messages_thread").on(RelationshipMessage.schema)
                    .column("relationship_id").column("created_at").run()
                try await sql.create(index: "relationships_status_started").on(Relationship.schema).column("status").column("started_at").run()
                try await sql.create(index: "match_requests_status_created").on(MatchRequest.schema).column("status").column("created_at").run()
                try await sql.create(index: "people_timezone").on(Person.schema).column("timezone").run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase {
            for index in ["relationships_status_started", "match_requests_status_created", "people_timezone"] {
                try await sql.drop(index: index).run()
            }
        }
        try await database.schema(AttentionSnooze.schema).delete()
        try await database.schema(NudgeDelivery.schema).delete()
        try await database.schema(NudgeRulesRow.schema).delete()
        try await database.schema(MessageDigestCursor.schema).delete()
        try await database.schema(RelationshipMessage.schema).delete()
    }
}
