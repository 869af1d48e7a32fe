import FluentKit
import SQLKit

/// 028: webhooks. The endpoints an organisation's admins subscribe (their signing secrets sealed
/// under `MUTUAL_SECRET`, the previous secret kept through the rotation overlap) and one
/// delivery per endpoint and event (unique, so a fan-out that runs twice creates nothing more).
struct CreateWebhooks028: AsyncMigration {
    var name: String { "028_create_webhooks" }

    func prepare(on database: any Database) async throws {
        try await database.schema(WebhookEndpoint.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("url", .string, .required)
            .field("events", .string, .required)
            .field("format", .string, .required)
            .field("secret", .string, .required)
            .field("previous_secret", .string)
            .field("previous_secret_expires_at", .datetime)
            .field("enabled", .bool, .required)
            .field("disabled_reason", .string, .required)
            .field("disabled_at", .datetime)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(WebhookDelivery.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("endpoint_id", .uuid, .required, .references(WebhookEndpoint.schema, .id, onDelete: .cascade))
            .field("event_id", .uuid, .required)
            .field("event_type", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("replays", .int, .required)
            .field("next_attempt_at", .datetime)
            .field("last_attempt_at", .datetime)
            .field("last_status_code", .int)
            .field("last_response", .string, .required)
            .field("last_error", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "endpoint_id", "event_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // The fan-out, run for every event, asks "does this organisation have an enabled endpoint?".
        try await sql.create(index: "webhook_endpoints_organisation").on(WebhookEndpoint.schema).column("organisation_id").column("enabled").run()
        // The delivery log, newest first per endpoint.
        try await sql.create(index: "webhook_deliveries_endpoint").on(WebhookDelivery.schema).column("endpoint_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(WebhookDelivery.schema).delete()
        try await database.schema(WebhookEndpoint.schema).delete()
    }
}
