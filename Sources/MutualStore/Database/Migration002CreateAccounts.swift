import FluentKit
import SQLKit

/// 002: accounts, sessions, invitations, API tokens, sign-in throttling and the outbox.
struct CreateAccounts002: AsyncMigration {
    var name: String { "002_create_accounts" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Account.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_sign_in_at", .datetime)
            .unique(on: "email")
            .create()

        try await database.schema(Session.schema)
            .field("token_digest", .string, .identifier(auto: false))
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()

        try await database.schema(Invitation.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("email", .string, .required)
            .field("role", .string, .required)
            .field("token_digest", .string, .required)
            .field("invited_by", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("accepted_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_digest")
            .create()

        try await database.schema(APIToken.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_digest", .string, .required)
            .field("prefix", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .unique(on: "token_digest")
            .create()

        try await database.schema(SignInFailure.schema)
            .id()
            .field("subject", .string, .required)
            .field("occurred_at", .datetime, .required)
            .create()

        try await database.schema(OutboxMessage.schema)
            .id()
            .field("organisation_id", .uuid, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .create()

        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "sign_in_failures_subject_time").on(SignInFailure.schema)
                .column("subject").column("occurred_at").run()
            try await sql.create(index: "accounts_organisation").on(Account.schema).column("organisation_id").run()
            try await sql.create(index: "invitations_organisation").on(Invitation.schema).column("organisation_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [OutboxMessage.schema, SignInFailure.schema, APIToken.schema, Invitation.schema, Session.schema, Account.schema] {
            try await database.schema(schema).delete()
        }
    }
}
