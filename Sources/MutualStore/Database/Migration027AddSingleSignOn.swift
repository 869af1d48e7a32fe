import FluentKit
import SQLKit

/// 027: OpenID Connect sign-in. The sign-in attempts between "Sign in with …" and the
/// provider's answer (`sso_sign_in_attempts`: the digest of the `state`, the `nonce`, the PKCE
/// verifier, where to go afterwards, an expiry and when it was used), and an organisation's
/// "require single sign-on" setting with the one admin who may still use a password
/// (`organisations.require_sso`, `organisations.sso_break_glass_account_id`).
struct AddSingleSignOn027: AsyncMigration {
    var name: String { "027_add_single_sign_on" }

    func prepare(on database: any Database) async throws {
        try await database.schema(SingleSignOnAttempt.schema)
            .id()
            .field("state_digest", .string, .required)
            .field("nonce", .string, .required)
            .field("code_verifier", .string, .required)
            .field("next", .string)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "state_digest")
            .create()
        try await database.schema(Organisation.schema)
            .field("require_sso", .bool, .required, .sql(.default(false)))
            .update()
        try await database.schema(Organisation.schema)
            .field("sso_break_glass_account_id", .uuid)
            .update()
        guard let sql = database as? any SQLDatabase else { return }
        // Housekeeping deletes old attempts by expiry.
        try await sql.create(index: "sso_sign_in_attempts_expires").on(SingleSignOnAttempt.schema).column("expires_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Organisation.schema).deleteField("sso_break_glass_account_id").update()
        try await database.schema(Organisation.schema).deleteField("require_sso").update()
        try await database.schema(SingleSignOnAttempt.schema).delete()
    }
}
