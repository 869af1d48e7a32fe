import FluentKit
import Foundation
import SQLKit

/// 018: two-factor sign-in with TOTP.
///
/// - `login_two_factor`: one row per login that has started enrolling, keyed by the login's id.
///   The secret is sealed under `MUTUAL_SECRET` (never in the clear); `enabled_at` is set only
///   once the person has typed a valid code; `last_used_step` is the last 30-second step a code
///   was accepted for, so a code is never accepted twice.
/// - `two_factor_recovery_codes`: the SHA-256 digests of a login's single-use recovery codes.
/// - `pending_sign_ins`: a password checked, a code not yet; by the digest of the token in the
///   browser's cookie, for five minutes.
/// - `organisations.require_admin_two_factor`: whether the organisation's admins must use it.
struct AddTwoFactor018: AsyncMigration {
    var name: String { "018_add_two_factor" }

    func prepare(on database: any Database) async throws {
        try await database.transaction { transaction in
            try await transaction.schema(LoginTwoFactor.schema)
                .field("id", .uuid, .identifier(auto: false), .references(Login.schema, .id, onDelete: .cascade))
                .field("sealed_secret", .string, .required)
                .field("created_at", .datetime, .required)
                .field("enabled_at", .datetime)
                .field("last_used_step", .int64)
                .create()
            try await transaction.schema(RecoveryCode.schema)
                .id()
                .field("login_id", .uuid, .required, .references(Login.schema, .id, onDelete: .cascade))
                .field("code_digest", .string, .required)
                .field("created_at", .datetime, .required)
                .field("used_at", .datetime)
                .unique(on: "login_id", "code_digest")
                .create()
            try await transaction.schema(PendingSignIn.schema)
                .field("id", .string, .identifier(auto: false))
                .field("login_id", .uuid, .required, .references(Login.schema, .id, onDelete: .cascade))
                .field("created_at", .datetime, .required)
                .field("expires_at", .datetime, .required)
                .create()
            try await transaction.schema(Organisation.schema)
                .field("require_admin_two_factor", .bool, .required, .sql(.default(false)))
                .update()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PendingSignIn.schema).delete()
        try await database.schema(RecoveryCode.schema).delete()
        try await database.schema(LoginTwoFactor.schema).delete()
        try await database.schema(Organisation.schema).deleteField("require_admin_two_factor").update()
    }
}
