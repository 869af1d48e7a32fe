import FluentKit
import SQLKit

/// 017: API tokens get a scope and an optional expiry. Tokens made before scopes existed keep
/// what they could already do: `admin` for an admin's token, `write` for everyone else's
/// (``APITokenScope/default(for:)``), and they do not expire.
struct AddTokenScopesAndIdempotencyKeys017: AsyncMigration {
    var name: String { "017_token_scopes_and_idempotency_keys" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { transaction in
            try await transaction.schema(APIToken.schema)
                .field("scope", .string, .required, .sql(.default(APITokenScope.write.rawValue))).update()
            try await transaction.schema(APIToken.schema).field("expires_at", .datetime).update()
            guard let sql = transaction as? any SQLDatabase else { return }
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
        try await database.schema(APIToken.schema).deleteField("expires_at").update()
        try await database.schema(APIToken.schema).deleteField("scope").update()
    }
}
