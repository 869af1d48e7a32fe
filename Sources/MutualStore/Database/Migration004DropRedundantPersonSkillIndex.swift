import FluentKit
import SQLKit

/// 004: drops `person_skills_person`. The unique index on (person_id, skill_id, kind) already
/// serves every lookup by person, and each extra index is one more B-tree insert per skill line
/// (500,000 in a 100,000-person import).
struct DropRedundantPersonSkillIndex004: AsyncMigration {
    var name: String { "004_drop_redundant_person_skill_index" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "person_skills_person").ifExists().run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "person_skills_person").on(PersonSkill.schema).column("person_id").run()
    }
}
