import FluentKit
import SQLKit

/// 009: relationships with their agreement and signatures, and self-match requests.
struct CreateRelationships009: AsyncMigration {
    var name: String { "009_create_relationships" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Relationship.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("match_id", .uuid, .references(PublishedMatch.schema, .id, onDelete: .setNull))
            .field("status", .string, .required)
            .field("end_reason", .string, .required)
            .field("started_at", .datetime, .required)
            .field("ended_at", .datetime)
            .field("vision", .string, .required)
            .field("boundaries", .string, .required)
            .field("confidentiality", .string, .required)
            .field("cadence", .string, .required)
            .field("structure", .string, .required)
            .field("agreement_version", .int, .required)
            .field("agreement_updated_at", .datetime)
            .create()
        try await database.schema(RelationshipMember.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("relationship_id", .uuid, .required, .references(Relationship.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("goals", .string, .required)
            .field("signed_version", .int, .required)
            .field("signed_at", .datetime)
            .unique(on: "relationship_id", "person_id")
            .create()
        try await database.schema(MatchRequest.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("from_person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("to_person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("status", .string, .required)
            .field("message", .string, .required)
            .field("created_at", .datetime, .required)
            .field("answered_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "relationships_programme").on(Relationship.schema).column("programme_id").run()
            try await sql.create(index: "relationships_match").on(Relationship.schema).column("match_id").run()
            try await sql.create(index: "relationship_members_person").on(RelationshipMember.schema).column("person_id").run()
            try await sql.create(index: "match_requests_to").on(MatchRequest.schema).column("to_person_id").run()
            try await sql.create(index: "match_requests_from").on(MatchRequest.schema).column("from_person_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MatchRequest.schema).delete()
        try await database.schema(RelationshipMember.schema).delete()
        try await database.schema(Relationship.schema).delete()
    }
}
