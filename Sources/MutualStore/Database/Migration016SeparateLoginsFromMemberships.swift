import FluentKit
import Foundation
import SQLKit

/// 016: one login, several organisations. The email and password move from `accounts` to a new
/// `logins` table (email unique across the installation); `accounts` keeps the membership
/// (organisation, person, role) and gains `login_id`, unique per organisation. Emails were
/// unique, so each existing account gets its own login, with the account's id as the login's
/// id, the same email and the same password hash: everyone signs in as before. The old columns
/// are dropped, so no copy of a password hash is left behind on the membership.
///
/// Invitations gain `person_id`: the directory person an invitation was made for, fixed when it
/// is made rather than looked up by email when it is accepted; invitations open at the upgrade
/// get the directory person with their address who has no membership yet.
///
/// `login_links` holds the single-use links emailed to a login (password reset, unlock), by
/// digest.
struct SeparateLoginsFromMemberships016: AsyncMigration {
    var name: String { "016_separate_logins_from_memberships" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            try await prepareSQLite(on: database)
        } else {
            try await database.transaction { transaction in
                try await Self.createLogins(on: transaction)
                guard let sql = transaction as? any SQLDatabase else { return }
                try await sql.raw("ALTER TABLE accounts ADD COLUMN login_id UUID REFERENCES logins(id) ON DELETE CASCADE").run()
                try await sql.raw("UPDATE accounts SET login_id = id").run()
                try await sql.raw("ALTER TABLE accounts ALTER COLUMN login_id SET NOT NULL").run()
                try await sql.raw("ALTER TABLE accounts DROP COLUMN email, DROP COLUMN password_hash").run()
                try await sql.raw("ALTER TABLE accounts ADD CONSTRAINT accounts_login_organisation UNIQUE (login_id, organisation_id)").run()
                try await Self.addInvitationPerson(on: transaction)
                try await Self.createLoginLinks(on: transaction)
            }
        }
    }

    /// SQLite cannot drop a column under a UNIQUE constraint, so `accounts` is rebuilt (SQLite's
    /// documented twelve steps): foreign keys off on this one connection, so dropping the old
    /// table does not cascade into sessions and tokens; new table, copy, drop, rename; on again.
    private func prepareSQLite(on database: any Database) async throws {
        try await database.withConnection { connection in
            guard let sql = connection as? any SQLDatabase else { return }
            try await sql.raw("PRAGMA foreign_keys = OFF").run()
            do {
                try await connection.transaction { transaction in
                    guard let sql = transaction as? any SQLDatabase else { return }
                    try await Self.createLogins(on: transaction)
                    try await transaction.schema("accounts_new")
                        .id()
                        .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
                        .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
                        .field("login_id", .uuid, .required, .references(Login.schema, .id, onDelete: .cascade))
                        .field("name", .string, .required)
                        .field("role", .string, .required)
                        .field("created_at", .datetime, .required)
                        .field("last_sign_in_at", .datetime)
                        .unique(on: "login_id", "organisation_id")
                        .create()
                    try await sql.raw(
                        """
                        INSERT INTO accounts_new (id, organisation_id, person_id, login_id, name, role, created_at, last_sign_in_at)
                        SELECT id, organisation_id, person_id, id, name, role, created_at, last_sign_in_at FROM accounts
                        """
                    ).run()
                    try await sql.raw("DROP TABLE accounts").run()
                    try await sql.raw("ALTER TABLE accounts_new RENAME TO accounts").run()
                    try await sql.create(index: "accounts_organisation").on(Account.schema).column("organisation_id").run()
                    try await Self.addInvitationPerson(on: transaction)
                    try await Self.createLoginLinks(on: transaction)
                    let broken = try await sql.raw("PRAGMA foreign_key_check").all()
                    guard broken.isEmpty else {
                        throw StoreError.invalidConfiguration("Migration 016 found \(broken.count) rows whose references do not hold; nothing was changed.")
                    }
                }
            } catch {
                try? await sql.raw("PRAGMA foreign_keys = ON").run()
                throw error
            }
            try await sql.raw("PRAGMA foreign_keys = ON").run()
            // The rebuild opened this connection's temporary database; SQLite then refuses to
            // change `temp_store` inside a transaction (the people import does). Changing it
            // here, outside one, closes the temporary database again.
            try await sql.raw("PRAGMA temp_store = MEMORY").run()
            try await sql.raw("PRAGMA temp_store = DEFAULT").run()
        }
    }

    /// The `logins` table, filled with one login per existing account (same id, email and hash).
    private static func createLogins(on database: any Database) async throws {
        try await database.schema(Login.schema)
            .id()
            .field("email", .string, .required)
            .field("password_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_sign_in_at", .datetime)
            .field("lockout_notified_at", .datetime)
            .unique(on: "email")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw(
            """
            INSERT INTO logins (id, email, password_hash, created_at, last_sign_in_at)
            SELECT id, email, password_hash, created_at, last_sign_in_at FROM accounts
            """
        ).run()
    }

    /// Adds `invitations.person_id` and fills it in for invitations still open at the upgrade,
    /// as ``Store/invite(email:role:by:acceptURL:)`` would have: the organisation's directory
    /// person with that address who has no membership yet (the earliest, if several). Left
    /// empty, accepting one would make a second person with the same address.
    private static func addInvitationPerson(on database: any Database) async throws {
        try await database.schema(Invitation.schema)
            .field("person_id", .uuid, .references(Person.schema, .id, onDelete: .setNull))
            .update()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw(
            """
            UPDATE invitations SET person_id = (
                SELECT p.id FROM people p
                WHERE p.organisation_id = invitations.organisation_id AND lower(p.email) = invitations.email
                    AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.person_id = p.id)
                ORDER BY p.created_at, p.id LIMIT 1)
            WHERE accepted_at IS NULL AND revoked_at IS NULL
            """
        ).run()
    }

    private static func createLoginLinks(on database: any Database) async throws {
        try await database.schema(LoginLink.schema)
            .id()
            .field("login_id", .uuid, .required, .references(Login.schema, .id, onDelete: .cascade))
            .field("purpose", .string, .required)
            .field("token_digest", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_digest")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "login_links_login_time").on(LoginLink.schema).column("login_id").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        throw StoreError.invalidConfiguration(
            "Migration 016 (logins separated from memberships) cannot be reverted: restore the backup taken before upgrading.")
    }
}
