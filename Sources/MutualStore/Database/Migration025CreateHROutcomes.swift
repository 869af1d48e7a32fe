import FluentKit
import SQLKit

/// 025: HR outcomes for impact reports, one value per person and outcome name
/// (`retained_12m`, `promoted_12m`, …), imported by admins from a CSV.
struct CreateHROutcomes025: AsyncMigration {
    var name: String { "025_create_hr_outcomes" }

    func prepare(on database: any Database) async throws {
        try await database.schema(HROutcome.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("outcome", .string, .required)
            .field("value", .double, .required)
            .field("imported_at", .datetime, .required)
            // Re-importing a person's outcome replaces it: never two values.
            .unique(on: "person_id", "outcome")
            .create()
        if let sql = database as? any SQLDatabase {
            // The impact report reads one organisation's outcome by name.
            try await sql.create(index: "hr_outcomes_organisation_outcome").on(HROutcome.schema)
                .column("organisation_id").column("outcome").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(HROutcome.schema).delete()
    }
}
