import FluentKit
import SQLKit

/// 030: SCIM provisioning (issue 17, point 2). `people.deactivated_at` marks a person their
/// identity provider deactivated (they cannot sign in and leave every pool until reactivated),
/// and `scim_tokens` holds each organisation's one provisioning token, as a SHA-256 digest only.
struct AddProvisioning030: AsyncMigration {
    var name: String { "030_add_provisioning" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Person.schema)
            .field("deactivated_at", .datetime)
            .update()
        try await database.schema(SCIMToken.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("token_digest", .string, .required)
            .field("prefix", .string, .required)
            .field("created_by", .uuid)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            // One token per organisation: creating a second one at once fails on this index.
            .unique(on: "organisation_id")
            .unique(on: "token_digest")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SCIMToken.schema).delete()
        try await database.schema(Person.schema).deleteField("deactivated_at").update()
    }
}
