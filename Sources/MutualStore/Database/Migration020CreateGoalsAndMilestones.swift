import FluentKit
import Foundation
import SQLKit

/// 020: trackable goals and milestones for relationships, and programmes' milestone templates.
/// Each member's goals text in the agreement becomes one goal per non-empty line, list markers
/// stripped; the text stays as the agreement's words.
struct CreateGoalsAndMilestones020: AsyncMigration {
    var name: String { "020_create_goals_and_milestones" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Goal.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("relationship_id", .uuid, .required, .references(Relationship.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("title", .string, .required)
            .field("due_at", .datetime)
            .field("progress", .int, .required)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .field("completed_at", .datetime)
            .field("updated_at", .datetime, .required)
            .create()
        try await database.schema(Milestone.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("relationship_id", .uuid, .required, .references(Relationship.schema, .id, onDelete: .cascade))
            .field("goal_id", .uuid, .references(Goal.schema, .id, onDelete: .cascade))
            .field("title", .string, .required)
            .field("due_at", .datetime, .required)
            .field("done_at", .datetime)
            .field("done_by", .uuid)
            .field("template_position", .int)
            .field("created_at", .datetime, .required)
            .create()
        try await database.schema(ProgrammeMilestoneTemplate.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("title", .string, .required)
            .field("due_after", .int, .required)
            .field("unit", .string, .required)
            .unique(on: "programme_id", "position")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "goals_relationship").on(Goal.schema).column("relationship_id").run()
        try await sql.create(index: "milestones_relationship").on(Milestone.schema).column("relationship_id").run()
        try await sql.create(index: "milestones_goal").on(Milestone.schema).column("goal_id").run()
        // The nudges' "milestones due between two days" for one organisation.
        try await sql.create(index: "milestones_organisation_due").on(Milestone.schema).column("organisation_id").column("due_at").run()
        try await Self.convertGoalsText(on: sql)
    }

    /// One goal per line of every member's goals text. Reads and writes with plain SQL, naming
    /// only the columns it needs, so later changes to these tables cannot break it.
    static func convertGoalsText(on sql: any SQLDatabase) async throws {
        let rows = try await sql.raw(
            """
            SELECT m.organisation_id, m.relationship_id, m.person_id, m.goals, r.started_at \
            FROM \(ident: RelationshipMember.schema) m JOIN \(ident: Relationship.schema) r ON r.id = m.relationship_id \
            WHERE m.goals <> ''
            """
        ).all()
        for row in rows {
            let text = try row.decode(column: "goals", as: String.self)
            let startedAt = try row.decode(column: "started_at", as: Date.self)
            let organisationID = try row.decode(column: "organisation_id", as: UUID.self)
            let relationshipID = try row.decode(column: "relationship_id", as: UUID.self)
            let personID = try row.decode(column: "person_id", as: UUID.self)
            for (position, line) in GoalLines.split(text).prefix(Store.goalLimit).enumerated() {
                try await sql.insert(into: Goal.schema)
                    .columns("id", "organisation_id", "relationship_id", "person_id", "position", "title", "progress", "status", "created_at", "updated_at")
                    .values(
                        SQLBind(UUID()), SQLBind(organisationID), SQLBind(relationshipID), SQLBind(personID), SQLBind(position),
                        SQLBind(Store.goalTitleFromText(line)), SQLBind(0), SQLBind(Goal.Status.open.rawValue), SQLBind(startedAt), SQLBind(startedAt)
                    )
                    .run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProgrammeMilestoneTemplate.schema).delete()
        try await database.schema(Milestone.schema).delete()
        try await database.schema(Goal.schema).delete()
    }
}
