import FluentKit
import SQLKit

/// 013: domain events (the transactional outbox) and the audit log made from them.
struct CreateEventsAndAudit013: AsyncMigration {
    var name: String { "013_events_and_audit" }

    func prepare(on database: any Database) async throws {
        try await database.schema(DomainEvent.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("type", .string, .required)
            .field("actor_person_id", .uuid)
            .field("subject_type", .string, .required)
            .field("subject_id", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("payload", .string, .required)
            .create()
        try await database.schema(AuditEntry.schema)
            .id()
            .field("event_id", .uuid, .required)
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("type", .string, .required)
            .field("actor_person_id", .uuid)
            .field("subject_type", .string, .required)
            .field("subject_id", .string, .required)
            .field("occurred_at", .datetime, .required)
            .field("payload", .string, .required)
            .unique(on: "event_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "domain_events_organisation_time").on(DomainEvent.schema)
                .column("organisation_id").column("occurred_at").run()
            try await sql.create(index: "audit_entries_organisation_time").on(AuditEntry.schema)
                .column("organisation_id").column("occurred_at").run()
            try await sql.create(index: "audit_entries_actor").on(AuditEntry.schema).column("actor_person_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditEntry.schema).delete()
        try await database.schema(DomainEvent.schema).delete()
    }
}
