import FluentKit
import Foundation
import SQLKit

/// 019: meetings, and the agreement's cadence as a structured choice.
///
/// - `meetings`: one row per meeting of a relationship (pair, trio or group), with its start in
///   UTC, its length, place or link, agenda, status (`scheduled` or `cancelled`, never deleted, so
///   calendars can show a cancellation) and `sequence`, raised on every change (RFC 5545's
///   `SEQUENCE`, so calendar programs replace the old copy). A series made in one step shares a
///   `series_id`.
/// - `relationships.cadence_interval` and `cadence_days`: how often the members meet (`weekly`,
///   `fortnightly`, `three_weekly`, `monthly`, `custom` every `cadence_days` days, or empty when
///   not chosen yet). The free text `cadence` stays as the members' note on it. Existing
///   relationships get the interval their text reads as (`MeetingCadence.interpret`), or none.
struct CreateMeetings019: AsyncMigration {
    var name: String { "019_create_meetings" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { transaction in
            try await transaction.schema(Meeting.schema)
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
            // One column per statement: SQLite's ALTER TABLE adds one at a time.
            try await transaction.schema(Relationship.schema).field("cadence_interval", .string, .required, .sql(.default(""))).update()
            try await transaction.schema(Relationship.schema).field("cadence_days", .int, .required, .sql(.default(0))).update()
            guard let sql = transaction as? any SQLDatabase else { return }
            try await sql.create(index: "meetings_relationship_start").on(Meeting.schema).column("relationship_id").column("starts_at").run()
            try await sql.create(index: "meetings_organisation_start").on(Meeting.schema).column("organisation_id").column("starts_at").run()
            struct Row: Decodable { let id: UUID; let cadence: String }
            let rows = try await sql.select().column("id").column("cadence").from(Relationship.schema).all(decoding: Row.self)
            for row in rows {
                guard let cadence = MeetingCadence.interpret(row.cadence) else { continue }
                try await sql.update(Relationship.schema)
                    .set("cadence_interval", to: cadence.interval.rawValue).set("cadence_days", to: cadence.days)
                    .where("id", .equal, row.id).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Meeting.schema).delete()
        try await database.schema(Relationship.schema).deleteField("cadence_interval").update()
        try await database.schema(Relationship.schema).deleteField("cadence_days").update()
    }
}
