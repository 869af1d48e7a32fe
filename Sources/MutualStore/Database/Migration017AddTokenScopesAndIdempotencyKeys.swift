import FluentKit
import SQLKit

/// 017: API tokens get a scope and an optional expiry. Tokens made before scopes existed keep
/// what they could already do: `admin` for an admin's token, `write` for everyone else's
/// (``APITokenScope/default(for:)``), and they do not expire.
///
/// And `idempotency_keys` (``IdempotencyRecord``): the API's `Idempotency-Key`s for a day, unique
/// per caller, address and key, which is what lets one of several racing requests claim a key.
struct AddTokenScopesAndIdempotencyKeys017: AsyncMigration {
    var name: String { "017_token_scopes_and_idempotency_keys" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { transaction in
            try await transaction.schema(APIToken.schema)
                .field("scope", .string, .required, .sql(.default(APITokenScope.write.rawValue))).update()
            try await transaction.schema(APIToken.schema).field("expires_at", .datetime).update()
            try await transaction.schema(IdempotencyRecord.schema)
                .id()
                .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
                .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
                .field("request_scope", .string, .required)
                .field("key_digest", .string, .required)
                .field("request_digest", .string, .required)
                .field("route", .string, .required)
                .field("created_at", .datetime, .required)
                .field("expires_at", .datetime, .required)
                .field("response_status", .int)
                .field("response_content_type", .string)
                .field("response_body", .string)
                .unique(on: "organisation_id", "account_id", "request_scope", "key_digest")
                .create()
            guard let sql = transaction as? any SQLDatabase else { return }
            try await sql.create(index: "idempotency_keys_expires_at").on(IdempotencyRecord.schema).column("expires_at").run()
            // Plain SQL on the two columns it needs, so a later change to `accounts` cannot break it.
            try await sql.update(APIToken.schema)
                .set("scope", to: SQLBind(APITokenScope.admin.rawValue))
                .where(
                    "account_id", .in,
                    SQLGroupExpression(sql.select().column("id").from(Account.schema).where("role", .equal, SQLBind(Role.admin.rawValue)).select))
                .run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(IdempotencyRecord.schema).delete()
        try await database.schema(APIToken.schema).deleteField("expires_at").update()
        try await database.schema(APIToken.schema).deleteField("scope").update()
    }
}
