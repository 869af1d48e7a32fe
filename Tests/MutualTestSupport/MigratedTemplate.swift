import Foundation
import MutualStore
import SQLKit
import Synchronization

/// One migrated database per test process and backend, which every test's database is cloned
/// from: running the ~30 migrations for each of the ~700 test cases was most of the suites'
/// set-up time (each migration is its own round trips and commits, and SQLite rebuilds tables
/// for some of them). The template is made by the real migrations, once per process and
/// backend, so every run still migrates from nothing on both databases; a test that needs an
/// older schema (`withDatabase(migrations:)`) still runs the migrations itself.
/// `TestDatabaseTemplateTests` checks that a clone has exactly the schema the migrations make.
///
/// - SQLite: the template is a migrated file; a test's database is a byte copy of it.
/// - PostgreSQL: the template is a migrated schema; a test's schema is filled by one statement
///   (a `DO` block made once from the template's catalog) that creates each table `LIKE` the
///   template's, copies the rows the migrations wrote (their log), and adds the template's
///   keys, foreign keys and indexes under their own names.
actor MigratedTemplate {
    static let shared = MigratedTemplate()

    /// The directory of this process's SQLite test files (the template and each test's copy).
    /// Removed when the process exits; a test removes its own copy when it ends.
    static let sqliteDirectory: URL = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-tests-\(getpid())", isDirectory: true)
        try? FileManager.default.removeItem(at: directory)  // a directory left by an earlier process with the same id
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: MigratedTemplate.sqliteDirectory) }
        return directory
    }()

    /// A new path in ``sqliteDirectory`` for one test's SQLite file.
    static func newSQLitePath() -> String {
        sqliteDirectory.appendingPathComponent("\(UUID().uuidString).sqlite").path
    }

    /// Removes a test's SQLite file with its write-ahead log and shared-memory index.
    static func removeSQLite(at path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    private var sqliteTemplate: Task<String, any Error>?
    private var postgresTemplate: Task<PostgresTemplate, any Error>?

    /// Copies the migrated SQLite template to `path` (made on first use).
    func copySQLite(to path: String) async throws {
        let template: Task<String, any Error>
        if let existing = sqliteTemplate {
            template = existing
        } else {
            template = Task {
                let path = Self.sqliteDirectory.appendingPathComponent("template.sqlite").path
                let database = try MutualDatabase(location: .sqliteFile(path: path), logger: TestBackend.logger)
                do {
                    try await database.migrate()
                } catch {
                    await database.shutdown()
                    throw error
                }
                // Closing the last connection checkpoints the write-ahead log into the file, so
                // the file alone is the whole database (still in WAL mode, as a served one is).
                await database.shutdown()
                return path
            }
            sqliteTemplate = template
        }
        let source = try await template.value
        try FileManager.default.copyItem(atPath: source, toPath: path)
    }

    /// The migrated PostgreSQL template schema and the statement that clones it (made on first use).
    func postgres(url: String) async throws -> PostgresTemplate {
        if let existing = postgresTemplate { return try await existing.value }
        let template = Task { try await PostgresTemplate.make(url: url) }
        postgresTemplate = template
        return try await template.value
    }
}

/// A migrated PostgreSQL schema kept for the whole test process, and the `DO` statement that
/// makes the schema on a connection's search path a copy of it.
struct PostgresTemplate: Sendable {
    /// `test_template_<seconds since 1970>_<random>`: the time lets a later process drop
    /// templates that a killed process left behind.
    let schema: String
    /// Run on a database whose search path starts with an empty schema; fills it.
    let cloneStatement: String

    static let prefix = "test_template_"

    static func make(url: String) async throws -> PostgresTemplate {
        let schema = prefix + "\(Int(Date().timeIntervalSince1970))_" + UUID().uuidString.prefix(8).lowercased()
        try await TestBackend.adminExecute(url: url, "CREATE SCHEMA \(schema)")
        let database = try MutualDatabase(
            location: .postgres(url: url), logger: TestBackend.logger, maxConnectionsPerEventLoop: 1, postgresSearchPath: [schema])
        let clone: String
        do {
            try await database.migrate()
            clone = try await cloneStatement(for: schema, on: database.sql())
        } catch {
            await database.shutdown()
            try? await TestBackend.adminExecute(url: url, "DROP SCHEMA \(schema) CASCADE")
            throw error
        }
        await database.shutdown()
        try? await dropAbandonedTemplates(url: url)
        // The template outlives every test of the process; drop it when the process exits.
        atexit {
            PostgresTemplate.dropAtExit()
        }
        PostgresTemplate.made.withLock { $0 = (url, schema) }
        return PostgresTemplate(schema: schema, cloneStatement: clone)
    }

    /// Reads the template's catalog (on a connection whose search path is the template, so
    /// foreign keys name their tables without a schema) and writes the statement that copies it.
    private static func cloneStatement(for schema: String, on sql: any SQLDatabase) async throws -> String {
        struct Name: Decodable { var name: String }
        struct Constraint: Decodable { var table: String; var name: String; var definition: String }
        struct Index: Decodable { var definition: String }
        let literal = "'\(schema)'"
        let tables = try await sql.raw(
            SQLQueryString(
                """
                SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = \(unsafeRaw: literal) AND c.relkind IN ('r', 'p') ORDER BY c.oid
                """)
        ).all(decoding: Name.self).map(\.name)
        // Primary keys, unique constraints, then foreign keys (which need the keys they point at).
        // CHECK and NOT NULL constraints come with LIKE … INCLUDING ALL.
        let constraints = try await sql.raw(
            SQLQueryString(
                """
                SELECT t.relname AS table, c.conname AS name, pg_get_constraintdef(c.oid) AS definition
                FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = \(unsafeRaw: literal) AND c.contype IN ('p', 'u', 'x', 'f')
                ORDER BY c.contype = 'f', c.oid
                """)
        ).all(decoding: Constraint.self)
        // Indexes of their own (those of keys and unique constraints come with the constraints).
        let indexes = try await sql.raw(
            SQLQueryString(
                """
                SELECT pg_get_indexdef(i.indexrelid) AS definition
                FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
                WHERE n.nspname = \(unsafeRaw: literal)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
                ORDER BY i.indexrelid
                """)
        ).all(decoding: Index.self)
        var statements = tables.map { "CREATE TABLE \(quoted($0)) (LIKE \(schema).\(quoted($0)) INCLUDING ALL EXCLUDING INDEXES)" }
        for table in tables {
            // Rows the migrations wrote: their own log, and any data a migration seeds.
            let rows = try await sql.raw(SQLQueryString("SELECT count(*) AS count FROM \(unsafeRaw: quoted(table))")).first()
            if let count = try rows?.decode(column: "count", as: Int.self), count > 0 {
                statements.append("INSERT INTO \(quoted(table)) SELECT * FROM \(schema).\(quoted(table))")
            }
        }
        statements += constraints.map { "ALTER TABLE \(quoted($0.table)) ADD CONSTRAINT \(quoted($0.name)) \($0.definition)" }
        // pg_get_indexdef names the table with its schema: the template's becomes the clone's.
        statements += indexes.map { $0.definition.replacingOccurrences(of: " ON \(schema).", with: " ON ") }
        for statement in statements where statement.contains("$clone$") {
            throw TestSetupError("The template's catalog has a statement the clone cannot quote: \(statement)")
        }
        return "DO $clone$ BEGIN\n" + statements.map { $0 + ";\n" }.joined() + "END $clone$"
    }

    private static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Drops templates more than a day old: a process that was killed left them (no run takes a day).
    private static func dropAbandonedTemplates(url: String) async throws {
        let admin = try MutualDatabase(location: .postgres(url: url), logger: TestBackend.logger, maxConnectionsPerEventLoop: 1)
        struct Name: Decodable { var name: String }
        let names: [String]
        do {
            names = try await admin.sql().raw("SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'test\\_template\\_%'")
                .all(decoding: Name.self).map(\.name)
        } catch {
            await admin.shutdown()
            throw error
        }
        let dayAgo = Int(Date().timeIntervalSince1970) - 86_400
        for name in names {
            let parts = name.dropFirst(prefix.count).split(separator: "_")
            guard let made = parts.first.flatMap({ Int($0) }), made < dayAgo,
                name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
            else { continue }
            _ = try? await admin.sql().raw(SQLQueryString("DROP SCHEMA \(unsafeRaw: name) CASCADE")).all()
        }
        await admin.shutdown()
    }

    /// The template this process made, for the exit handler.
    private static let made = Mutex<(url: String, schema: String)?>(nil)

    /// Drops this process's template as it exits (best effort, at most 10 s).
    private static func dropAtExit() {
        guard let (url, schema) = made.withLock({ $0 }) else { return }
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            try? await TestBackend.adminExecute(url: url, "DROP SCHEMA \(schema) CASCADE")
            done.signal()
        }
        _ = done.wait(timeout: .now() + 10)
    }
}
