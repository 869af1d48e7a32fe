import FluentKit

/// 010: what a running match run is doing, for the page that waits for it.
struct AddRunProgress010: AsyncMigration {
    var name: String { "010_match_run_progress" }

    func prepare(on database: any Database) async throws {
        try await database.schema(MatchRun.schema).field("progress", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MatchRun.schema).deleteField("progress").update()
    }
}
