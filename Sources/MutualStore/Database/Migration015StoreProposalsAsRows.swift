import FluentKit
import Foundation
import SQLKit

/// 015: a run's proposal as rows (``ProposedMatch``, ``ProposedMatchMember``,
/// ``UnplacedPerson``) instead of one JSON text edited in place. Finished runs' current
/// proposals (the `result` text, edits included) are copied into rows, and their totals are
/// recomputed the way ``RunResult`` reads them (triads count in the total and the bound).
struct StoreProposalsAsRows015: AsyncMigration {
    var name: String { "015_proposals_as_rows" }

    func prepare(on database: any Database) async throws {
        // One transaction: a copy that fails halfway (or a process killed during it) leaves
        // neither tables nor half-copied runs, and the next start runs the whole migration again.
        try await database.transaction { transaction in
            try await transaction.schema(ProposedMatch.schema)
                .id()
                .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
                .field("run_id", .uuid, .required, .references(MatchRun.schema, .id, onDelete: .cascade))
                .field("ordinal", .int, .required)
                .field("kind", .string, .required)
                .field("weight", .int64, .required)
                .field("score", .int, .required)
                .field("reasons", .string, .required)
                .create()
            try await transaction.schema(ProposedMatchMember.schema)
                .id()
                .field("proposed_match_id", .uuid, .required, .references(ProposedMatch.schema, .id, onDelete: .cascade))
                .field("run_id", .uuid, .required, .references(MatchRun.schema, .id, onDelete: .cascade))
                .field("person_key", .string, .required)
                .field("position", .int, .required)
                .create()
            try await transaction.schema(UnplacedPerson.schema)
                .id()
                .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
                .field("run_id", .uuid, .required, .references(MatchRun.schema, .id, onDelete: .cascade))
                .field("ordinal", .int, .required)
                .field("kind", .string, .required)
                .field("person_key", .string, .required)
                .field("reason", .string, .required)
                .field("capacity", .int, .required)
                .field("partners", .int, .required)
                .create()
            try await transaction.schema(MatchRun.schema).field("pricing_rounds", .int, .required, .sql(.default(0))).update()
            try await transaction.schema(MatchRun.schema).field("capacitated", .bool, .required, .sql(.default(false))).update()
            guard let sql = transaction as? any SQLDatabase else { return }
            try await sql.create(index: "proposed_matches_run_ordinal").on(ProposedMatch.schema).column("run_id").column("ordinal").run()
            try await sql.create(index: "proposed_matches_run_score").on(ProposedMatch.schema).column("run_id").column("score").run()
            try await sql.create(index: "proposed_match_members_match").on(ProposedMatchMember.schema).column("proposed_match_id").run()
            try await sql.create(index: "proposed_match_members_run_person").on(ProposedMatchMember.schema).column("run_id").column("person_key").run()
            try await sql.create(index: "unplaced_people_run_ordinal").on(UnplacedPerson.schema).column("run_id").column("ordinal").run()
            try await Self.copyProposals(on: transaction)
        }
    }

    /// Existing finished runs without rows: their current proposal (the `result` text) becomes rows.
    static func copyProposals(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        // Existing finished runs: their current proposal becomes rows. Read with plain SQL, so a
        // later column on `match_runs` cannot break this migration.
        let rows = try await sql.select().columns("id", "organisation_id", "result", "edits").from(MatchRun.schema)
            .where("status", .equal, SQLBind(MatchRun.Status.done.rawValue)).all()
        let withRows = Set(try await sql.select().distinct().column("run_id").from(ProposedMatch.schema).all()
            .map { try $0.decode(column: "run_id", as: UUID.self) })
            .union(try await sql.select().distinct().column("run_id").from(UnplacedPerson.schema).all()
                .map { try $0.decode(column: "run_id", as: UUID.self) })
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            guard !withRows.contains(id) else { continue }
            let organisationID = try row.decode(column: "organisation_id", as: UUID.self)
            let text = try row.decode(column: "result", as: String.self)
            guard var result = RunResult.decode(text) else { continue }
            // The editor before this migration rewrote the stored result on every edit, locks
            // included: it kept the engine's bound while the total counted triads and edits, and
            // called the result optimal whenever the total reached the bound. Decoding clamps
            // such a bound up to the total, which would read as "proven best". A run edited by
            // hand, or one whose stored total passed its stored bound, makes no claim any more.
            let edits = ProposalCoding.edits((try? row.decode(column: "edits", as: String.self)) ?? "")
            if edits.contains(where: \.kind.changesProposal) || Self.storedTotalPassesBound(text) {
                result.optimality = .edited
            }
            try await ProposalRows.insert(result, runID: id, organisationID: organisationID, on: database)
            try await sql.update(MatchRun.schema)
                .set("matched", to: SQLBind(result.matched)).set("total_weight", to: SQLBind(result.totalWeight))
                .set("upper_bound", to: SQLBind(result.upperBound)).set("optimality", to: SQLBind(result.optimality.rawValue))
                .set("gap_millipercent", to: SQLBind(result.gapMillipercent)).set("pricing_rounds", to: SQLBind(result.pricingRounds))
                .set("capacitated", to: SQLBind(result.openPlaces != nil))
                .where("id", .equal, SQLBind(id)).run()
        }
    }

    /// Whether an engine document's `total_weight` is above its `upper_bound`, as written.
    static func storedTotalPassesBound(_ text: String) -> Bool {
        struct Totals: Decodable {
            let totalWeight: Int64?
            let upperBound: Int64?
            enum CodingKeys: String, CodingKey { case totalWeight = "total_weight", upperBound = "upper_bound" }
        }
        guard let totals = try? JSONDecoder().decode(Totals.self, from: Data(text.utf8)),
            let total = totals.totalWeight, let bound = totals.upperBound
        else { return false }
        return total > bound
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MatchRun.schema).deleteField("capacitated").update()
        try await database.schema(MatchRun.schema).deleteField("pricing_rounds").update()
        try await database.schema(UnplacedPerson.schema).delete()
        try await database.schema(ProposedMatchMember.schema).delete()
        try await database.schema(ProposedMatch.schema).delete()
    }
}
