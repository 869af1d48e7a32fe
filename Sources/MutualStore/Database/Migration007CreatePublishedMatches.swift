import FluentKit
import SQLKit

/// 007: published matches and each member's answer.
struct CreatePublishedMatches007: AsyncMigration {
    var name: String { "007_create_published_matches" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PublishedMatch.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("run_id", .uuid, .required, .references(MatchRun.schema, .id, onDelete: .cascade))
            .field("status", .string, .required)
            .field("score", .int, .required)
            .field("reasons", .string, .required)
            .field("published_at", .datetime, .required)
            .create()
        try await database.schema(MatchMember.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("match_id", .uuid, .required, .references(PublishedMatch.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("response", .string, .required)
            .field("reason", .string, .required)
            .field("responded_at", .datetime)
            .unique(on: "match_id", "person_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "matches_programme").on(PublishedMatch.schema).column("programme_id").run()
            try await sql.create(index: "match_members_person").on(MatchMember.schema).column("person_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MatchMember.schema).delete()
        try await database.schema(PublishedMatch.schema).delete()
    }
}
