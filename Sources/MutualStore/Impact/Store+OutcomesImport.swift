import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Rows written per INSERT: five binds each keeps a statement well under SQLite's and
    /// PostgreSQL's bind limits.
    static let outcomeRowsPerInsert = 1_000

    /// Imports HR outcomes (`id,outcome,value`, long format) into the admin's organisation.
    /// Re-importable: a person's value for an outcome replaces the earlier one. Rows naming an
    /// id no person has are rejected with their line; `options.mode` says whether one rejected
    /// row stops the import or only itself, and a dry run writes nothing. An import that wrote
    /// something records `outcomes.imported` in its transaction.
    public func importOutcomes(
        from chunks: some AsyncSequence<[UInt8], any Error>, options: PeopleImportOptions, by identity: Identity
    ) async throws -> OutcomesImportReport {
        guard identity.role >= .admin else {
            throw StoreError.forbidden(message: "Only admins can import HR outcomes. Ask an admin to run the import.")
        }
        var reader = OutcomesCSVReader()
        for try await chunk in chunks { reader.feed(chunk) }
        reader.finish()
        var report = OutcomesImportReport(mode: options.mode, dryRun: options.dryRun)
        report.rowsRead = reader.rowsRead
        report.warnings = reader.warnings
        guard reader.fileProblems.isEmpty else {
            report.fileProblems = reader.fileProblems
            report.outcome = .nothingWritten
            return report
        }
        let organisationID = identity.organisationID
        if options.dryRun {
            return try await Self.settleOutcomes(reader, into: report, organisationID: organisationID, options: options, actor: nil, now: clock.now, on: try db(), store: self)
        }
        // Reading the stored values and writing the new ones in one transaction: the counts
        // describe what this import changed, even with another import running.
        let now = clock.now
        let prepared = report
        let read = reader
        return try await transaction { transaction in
            try await Self.settleOutcomes(
                read, into: prepared, organisationID: organisationID, options: options, actor: identity.personID, now: now,
                on: transaction, store: self)
        }
    }

    /// Classifies the rows against the stored values and, unless this is a dry run or an
    /// all-or-nothing import with a rejected row, writes them and records the event.
    private static func settleOutcomes(
        _ reader: OutcomesCSVReader, into report: OutcomesImportReport, organisationID: UUID, options: PeopleImportOptions, actor: UUID?,
        now: Date, on database: any Database, store: Store
    ) async throws -> OutcomesImportReport {
        var report = report
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        var personByExternalID: [String: UUID] = [:]
        for row in try await sql.select().column("id").column("external_id").from(Person.schema)
            .where("organisation_id", .equal, organisationID).all()
        {
            personByExternalID[try row.decode(column: "external_id", as: String.self)] = try row.decode(column: "id", as: UUID.self)
        }
        var stored: [OutcomeKey: Double] = [:]
        for row in try await sql.select().column("person_id").column("outcome").column("value").from(HROutcome.schema)
            .where("organisation_id", .equal, organisationID).all()
        {
            let key = OutcomeKey(personID: try row.decode(column: "person_id", as: UUID.self), outcome: try row.decode(column: "outcome", as: String.self))
            stored[key] = try row.decode(column: "value", as: Double.self)
        }

        var rejected = reader.rejected
        var writes: [(key: OutcomeKey, value: Double)] = []
        var names = Set<String>()
        for row in reader.rows {
            guard let personID = personByExternalID[row.id] else {
                rejected.append(.init(line: row.line, id: row.id, problems: [.init(
                    line: row.line, column: "id",
                    reason: "no person has the id \"\(row.id)\"; import the people first, or correct the id to the people file's")]))
                continue
            }
            names.insert(row.outcome)
            let key = OutcomeKey(personID: personID, outcome: row.outcome)
            switch stored[key] {
            case nil: report.created += 1
            case row.value?: report.unchanged += 1
            default: report.changed += 1
            }
            if stored[key] != row.value { writes.append((key, row.value)) }
        }
        for row in rejected.sorted(by: { $0.line < $1.line }) { report.reject(row) }
        report.outcomes = names.sorted()
        if report.rejectedCount > 0 && options.mode == .allOrNothing {
            report.outcome = .nothingWritten
            return report
        }
        guard !options.dryRun, !writes.isEmpty else { return report }
        var start = 0
        while start < writes.count {
            let end = min(writes.count, start + outcomeRowsPerInsert)
            let insert = sql.insert(into: HROutcome.schema).columns("id", "organisation_id", "person_id", "outcome", "value", "imported_at")
            for write in writes[start..<end] {
                insert.values([
                    SQLBind(UUID()), SQLBind(organisationID), SQLBind(write.key.personID), SQLBind(write.key.outcome),
                    SQLBind(write.value), SQLBind(now),
                ])
            }
            try await insert.onConflict(with: ["person_id", "outcome"]) { update in
                var update = update
                update = update.set(excludedValueOf: "value")
                update = update.set(excludedValueOf: "imported_at")
                return update
            }.run()
            start = end
        }
        try await store.record(
            NewEvent(
                .outcomesImported, organisationID: organisationID, actor: actor, subject: UUID(),
                payload: [
                    "created": .int(report.created), "updated": .int(report.changed), "rejected": .int(report.rejectedCount),
                    "outcomes": .int(report.outcomes.count), "mode": .string(options.mode.rawValue),
                ]),
            on: database)
        return report
    }

    /// The outcome names an organisation has values for, sorted.
    public func outcomeNames(of identity: Identity) async throws -> [String] {
        guard let sql = try db() as? any SQLDatabase else { throw StoreError.unavailable }
        return try await sql.select().distinct().column("outcome").from(HROutcome.schema)
            .where("organisation_id", .equal, identity.organisationID).orderBy("outcome").all()
            .map { try $0.decode(column: "outcome", as: String.self) }
    }
}

/// A person's value for one outcome.
struct OutcomeKey: Hashable {
    var personID: UUID
    var outcome: String
}
