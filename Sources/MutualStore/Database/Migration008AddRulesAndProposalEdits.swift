import FluentKit

/// 008: a programme's matching rules (the rules-file JSON; empty means the model's defaults),
/// and on each match run the manager's edits to its proposal and the frame it was run around.
struct AddRulesAndProposalEdits008: AsyncMigration {
    var name: String { "008_programme_rules_and_proposal_edits" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one column per ALTER TABLE.
        try await database.schema(Programme.schema).field("matching_rules", .string, .required, .sql(.default(""))).update()
        try await database.schema(MatchRun.schema).field("edits", .string, .required, .sql(.default(""))).update()
        try await database.schema(MatchRun.schema).field("frame", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MatchRun.schema).deleteField("frame").update()
        try await database.schema(MatchRun.schema).deleteField("edits").update()
        try await database.schema(Programme.schema).deleteField("matching_rules").update()
    }
}
