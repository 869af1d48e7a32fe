import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Tables the organisation export leaves out: credentials, sign-in machinery and the job
    /// queue (operational, and holding sealed messages), none of which is the organisation's data.
    static let organisationExportSkippedTables: Set<String> = [
        "sessions", "jobs", "idempotency_keys", "sign_in_failures", "pending_sign_ins", "login_links", "login_two_factor",
        "two_factor_recovery_codes", "sso_sign_in_attempts", "message_digest_cursors",
    ]

    /// Whether a column holds a secret (a digest, a sealed value, a signing secret, a password hash).
    static func isSecretColumn(_ name: String) -> Bool {
        name.contains("token") || name.contains("secret") || name.contains("password") || name.hasPrefix("sealed")
            || name.hasSuffix("_digest")
    }

    /// The whole organisation as one JSON document, streamed: `{"format", "exported_at",
    /// "tables": {"<table>": [rows…], …}}`, every table of the catalog that has
    /// `organisation_id` (so one added later is included), read 500 rows at a time in id order
    /// and written as it is read, so nothing is held twice and memory stays flat however large
    /// the organisation. Secret columns are left out. Records `organisation.exported` first.
    public func exportOrganisation(of admin: Identity, write: (String) async throws -> Void) async throws {
        try requireRole(.admin, admin)
        try await transaction { database in
            _ = try await self.record(
                NewEvent(.organisationExported, organisationID: admin.organisationID, actor: admin.personID, subject: admin.organisationID),
                on: database)
        }
        let sql = try database.sql()
        let catalog = try await DatabaseCatalog.read(on: sql)
        func quoted(_ text: String) throws -> String { String(decoding: try JSONEncoder().encode(text), as: UTF8.self) }
        try await write("{\"format\":\"mutual.organisation/1\",\"exported_at\":\(try quoted(ISO8601DateFormatter().string(from: clock.now))),\"tables\":{")
        var firstTable = true
        for table in catalog.tables where !Self.organisationExportSkippedTables.contains(table.name) {
            let owned: String
            if table.name == Organisation.schema {
                owned = "t.id = $1"
            } else if table.hasOrganisation {
                owned = "t.organisation_id = $1"
            } else {
                continue
            }
            guard table.has("id") else { continue }
            let columns = table.columns.filter { !Self.isSecretColumn($0.name) }
            try await write((firstTable ? "" : ",") + "\(try quoted(table.name)):[")
            firstTable = false
            var after: UUID?
            var firstRow = true
            while true {
                var query = "SELECT t.id AS k, \(catalog.jsonObject(columns, alias: "t")) AS j FROM \(DatabaseCatalog.quote(table.name)) t WHERE \(owned)"
                var binds: [any Encodable & Sendable] = [admin.organisationID]
                if let after {
                    query += " AND t.id > $2"
                    binds.append(after)
                }
                query += " ORDER BY t.id LIMIT 500"
                let rows = try await sql.raw(PersonalTextSweep.statement(query, binds: binds, postgres: catalog.postgres)).all()
                guard !rows.isEmpty else { break }
                var chunk = ""
                for row in rows {
                    chunk += (firstRow ? "" : ",") + (try row.decode(column: "j", as: String.self))
                    firstRow = false
                }
                try await write(chunk)
                after = try rows.last?.decode(column: "k", as: UUID.self)
                if rows.count < 500 { break }
            }
            try await write("]")
        }
        try await write("}}")
    }
}
