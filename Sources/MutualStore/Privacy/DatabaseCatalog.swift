import Foundation
import SQLKit

/// The tables and columns the database itself reports (`sqlite_master` and `pragma_table_info`
/// on SQLite, `information_schema.columns` on PostgreSQL), so privacy code that must cover
/// every table (the erasure's sweep, the organisation export) covers one added later without
/// anyone listing it.
public struct DatabaseCatalog: Sendable {
    public struct Column: Sendable, Hashable {
        public let name: String
        /// As the database declares it, lower-cased (`text`, `uuid`, `real`, `timestamp with time zone`, …).
        public let type: String

        /// Text a person could have typed into: where names and addresses can be.
        public var isText: Bool {
            type.isEmpty || type.contains("text") || type.contains("char") || type.contains("clob")
        }
    }

    public struct Table: Sendable, Hashable {
        public let name: String
        public let columns: [Column]

        public var hasOrganisation: Bool { columns.contains { $0.name == "organisation_id" } }
        public func has(_ column: String) -> Bool { columns.contains { $0.name == column } }
    }

    public let tables: [Table]
    public let postgres: Bool

    /// Reads the catalog (every table but the migrations' own record).
    public static func read(on sql: any SQLDatabase) async throws -> DatabaseCatalog {
        let postgres = sql.dialect.name == "postgresql"
        var byTable: [String: [Column]] = [:]
        if postgres {
            let rows = try await sql.raw("""
                SELECT table_name::text AS t, column_name::text AS c, data_type::text AS d FROM information_schema.columns \
                WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
                """).all()
            for row in rows {
                byTable[try row.decode(column: "t", as: String.self), default: []].append(
                    Column(name: try row.decode(column: "c", as: String.self), type: try row.decode(column: "d", as: String.self).lowercased()))
            }
        } else {
            let names = try await sql.raw(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ).all().map { try $0.decode(column: "name", as: String.self) }
            for table in names {
                let rows = try await sql.raw("SELECT name, type FROM pragma_table_info(\(bind: table))").all()
                byTable[table] = try rows.map {
                    Column(name: try $0.decode(column: "name", as: String.self), type: try $0.decode(column: "type", as: String.self).lowercased())
                }
            }
        }
        let tables = byTable.filter { $0.key != "_fluent_migrations" }.sorted { $0.key < $1.key }
            .map { Table(name: $0.key, columns: $0.value) }
        return DatabaseCatalog(tables: tables, postgres: postgres)
    }

    public func table(_ name: String) -> Table? { tables.first { $0.name == name } }

    /// `"identifier"`, quoted for both databases.
    public static func quote(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A SQL expression building one JSON object of `columns` of a row (aliased `alias`):
    /// `json_object` on SQLite (its stored dates, seconds since 1970, written as ISO 8601 for
    /// columns named `…_at`), `json_build_object` on PostgreSQL.
    public func jsonObject(_ columns: [Column], alias: String) -> String {
        let pairs = columns.map { column -> String in
            let reference = "\(alias).\(Self.quote(column.name))"
            let value: String
            if !postgres, column.type == "real", column.name.hasSuffix("_at") {
                value = "strftime('%Y-%m-%dT%H:%M:%SZ', \(reference), 'unixepoch')"
            } else {
                value = reference
            }
            return "'\(column.name.replacingOccurrences(of: "'", with: "''"))', \(value)"
        }
        return postgres ? "json_build_object(\(pairs.joined(separator: ", ")))::text" : "json_object(\(pairs.joined(separator: ", ")))"
    }
}
