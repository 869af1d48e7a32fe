import Foundation
import MutualStore
import MutualTestSupport
import SQLKit
import Testing

/// Every test's database is a copy of a template the migrations made once per process
/// (`MigratedTemplate`); these tests keep the copy honest against the migrations themselves.
@Suite("Test databases copied from the migrated template")
struct TestDatabaseTemplateTests {
    @Test("A test's database has the tables, columns, keys, indexes, rows and migration log that running every migration makes", arguments: TestBackend.all)
    func copyMatchesMigrations(backend: TestBackend) async throws {
        let copied = try await backend.withDatabase { try await SchemaDescription.read($0) }
        let migrated = try await backend.withDatabase(migrations: MutualMigrations.all.count) { try await SchemaDescription.read($0) }
        #expect(copied.migrations.count == MutualMigrations.all.count)
        #expect(copied.objects.count > 50, "the description reads the schema: \(copied.objects.count) objects")
        if backend == .postgres {
            // A copied table would name its keys by PostgreSQL's default rule; the clone adds them by name.
            #expect(copied.objects.contains { $0.contains("constraint accounts_login_organisation u UNIQUE") }, "a named constraint keeps its name")
            #expect(copied.objects.contains { $0.contains("index CREATE UNIQUE INDEX \"uq:_fluent_migrations.name\"") })
        }
        // Compared line by line, so a difference names the table, column or index.
        #expect(copied.objects.filter { !migrated.objects.contains($0) } == [], "only in the copy")
        #expect(migrated.objects.filter { !copied.objects.contains($0) } == [], "only in the migrated database")
        #expect(copied == migrated)
    }

    @Test("Each test's database is its own: a row written in one is not in the next, and removing one leaves the next", arguments: TestBackend.all)
    func copiesAreIsolated(backend: TestBackend) async throws {
        let (first, removeFirst) = try await backend.makeDatabase()
        let (second, removeSecond) = try await backend.makeDatabase()
        do {
            _ = try await first.sql().raw("DELETE FROM _fluent_migrations").all()
            let rows = try await second.sql().raw("SELECT count(*) AS count FROM _fluent_migrations").first()
            #expect(try rows?.decode(column: "count", as: Int.self) == MutualMigrations.all.count)
        } catch {
            await first.shutdown()
            await second.shutdown()
            try? await removeFirst()
            try? await removeSecond()
            throw error
        }
        await first.shutdown()
        try await removeFirst()
        let rows = try await second.sql().raw("SELECT count(*) AS count FROM _fluent_migrations").first()
        #expect(try rows?.decode(column: "count", as: Int.self) == MutualMigrations.all.count)
        await second.shutdown()
        try await removeSecond()
    }
}

/// A database's schema as lines of text that compare equal when two databases have the same
/// tables (columns in order, types, nullability, defaults), constraints and indexes by name and
/// definition, row counts, and applied migrations.
private struct SchemaDescription: Equatable {
    var objects: [String]
    var migrations: [String]

    static func read(_ database: MutualDatabase) async throws -> SchemaDescription {
        let sql = try database.sql()
        var objects: [String]
        if database.location.isPostgres {
            struct Row: Decodable { var line: String }
            // Column order by rank: attnum keeps the gaps a dropped column leaves, a copy has none.
            let columns = try await sql.raw(
                """
                SELECT c.relname || '.' || a.attname || ' #' || rank() OVER (PARTITION BY c.oid ORDER BY a.attnum) || ' '
                       || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
                       || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '') AS line
                FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
                """
            ).all(decoding: Row.self).map(\.line)
            let constraints = try await sql.raw(
                """
                SELECT t.relname || ' constraint ' || c.conname || ' ' || c.contype::text || ' ' || pg_get_constraintdef(c.oid) AS line
                FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
                WHERE t.relnamespace = current_schema()::regnamespace
                """
            ).all(decoding: Row.self).map(\.line)
            let indexes = try await sql.raw(
                "SELECT tablename || ' index ' || replace(indexdef, ' ON ' || schemaname || '.', ' ON ') AS line FROM pg_indexes WHERE schemaname = current_schema()"
            ).all(decoding: Row.self).map(\.line)
            objects = columns + constraints + indexes
        } else {
            struct Row: Decodable { var type: String; var name: String; var tbl_name: String; var sql: String? }
            objects = try await sql.raw("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
                .all(decoding: Row.self).map { "\($0.tbl_name) \($0.type) \($0.name): \($0.sql ?? "")" }
        }
        struct Table: Decodable { var name: String }
        let tables =
            database.location.isPostgres
            ? try await sql.raw("SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()").all(decoding: Table.self)
            : try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all(decoding: Table.self)
        for table in tables {
            let row = try await sql.raw(SQLQueryString("SELECT count(*) AS count FROM \(ident: table.name)")).first()
            objects.append("\(table.name) rows: \(try row?.decode(column: "count", as: Int.self) ?? -1)")
        }
        struct Applied: Decodable { var name: String; var batch: Int }
        let migrations = try await sql.raw("SELECT name, batch FROM _fluent_migrations ORDER BY name")
            .all(decoding: Applied.self).map { "\($0.name) batch \($0.batch)" }
        return SchemaDescription(objects: objects.sorted(), migrations: migrations)
    }
}
