import Foundation
import Logging
import MutualStore
import SQLKit
import Testing

/// The databases the store and web suites run on: in-memory SQLite always, and PostgreSQL when
/// `MUTUAL_TEST_POSTGRES` holds a URL (CI sets it). Each test gets its own empty, migrated
/// database: a SQLite file, or a schema in PostgreSQL, copied from a template the migrations
/// made once per test process (``MigratedTemplate``) and removed afterwards.
public enum TestBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    public var testDescription: String { rawValue }

    /// The backends to run every database test on.
    public static var all: [TestBackend] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["MUTUAL_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the run must have every service (CI sets `MUTUAL_REQUIRE_SERVICES=1`).
    public static var servicesRequired: Bool {
        ProcessInfo.processInfo.environment["MUTUAL_REQUIRE_SERVICES"] == "1"
    }

    static let logger: Logger = {
        var logger = Logger(label: "mutual.test")
        logger.logLevel = .warning
        return logger
    }()

    /// Runs `body` with a migrated, empty database and shuts it down afterwards.
    /// `migrations` runs only that many (an older release's schema); nil runs them all.
    /// `logger` is the database's (a ``QueryCounter``'s, to count statements).
    public func withDatabase<T: Sendable>(
        migrations: Int? = nil, logger: Logger? = nil, _ body: (MutualDatabase) async throws -> T
    ) async throws -> T {
        let (database, cleanup) = try await makeDatabase(migrations: migrations, logger: logger)
        do {
            let result = try await body(database)
            await database.shutdown()
            try await cleanup()
            return result
        } catch {
            await database.shutdown()
            try? await cleanup()
            throw error
        }
    }

    /// A migrated, empty database and the step that removes it. The caller shuts the database down.
    ///
    /// With `migrations` nil the database is a copy of this process's migrated template (see
    /// ``MigratedTemplate``), not migrated again; with a count, that many migrations run on an
    /// empty database, as they do on an older installation.
    public func makeDatabase(migrations: Int? = nil, logger: Logger? = nil) async throws -> (MutualDatabase, @Sendable () async throws -> Void) {
        let logger = logger ?? Self.logger
        switch self {
        case .sqlite:
            // A file in the process's test directory (what sqlite-kit calls an in-memory
            // database is a temporary file too, which nothing removed).
            let path = MigratedTemplate.newSQLitePath()
            let database: MutualDatabase
            do {
                if migrations == nil { try await MigratedTemplate.shared.copySQLite(to: path) }
                database = try MutualDatabase(location: .sqliteFile(path: path), logger: logger)
            } catch {
                MigratedTemplate.removeSQLite(at: path)
                throw error
            }
            if let migrations {
                do {
                    try await database.migrate(first: migrations)
                } catch {
                    await database.shutdown()
                    MigratedTemplate.removeSQLite(at: path)
                    throw error
                }
            }
            return (database, { MigratedTemplate.removeSQLite(at: path) })
        case .postgres:
            guard let url = Self.postgresURL else {
                throw TestSetupError("MUTUAL_TEST_POSTGRES is not set; the PostgreSQL suite cannot run.")
            }
            let template = migrations == nil ? try await MigratedTemplate.shared.postgres(url: url) : nil
            let schema = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            await PostgresGate.shared.acquire()
            let database: MutualDatabase
            do {
                try await Self.adminExecute(url: url, "CREATE SCHEMA \(schema)")
                database = try MutualDatabase(
                    location: .postgres(url: url), logger: logger, maxConnectionsPerEventLoop: 2, postgresSearchPath: [schema])
            } catch {
                await PostgresGate.shared.release()
                throw error
            }
            do {
                if let template {
                    _ = try await database.sql().raw(SQLQueryString(template.cloneStatement)).all()
                } else {
                    try await migrate(database, migrations)
                }
            } catch {
                await database.shutdown()
                try? await Self.adminExecute(url: url, "DROP SCHEMA \(schema) CASCADE")
                await PostgresGate.shared.release()
                throw error
            }
            return (
                database,
                {
                    do {
                        try await Self.adminExecute(url: url, "DROP SCHEMA \(schema) CASCADE")
                    } catch {
                        await PostgresGate.shared.release()
                        throw error
                    }
                    await PostgresGate.shared.release()
                }
            )
        }
    }

    private func migrate(_ database: MutualDatabase, _ count: Int?) async throws {
        if let count { try await database.migrate(first: count) } else { try await database.migrate() }
    }

    static func adminExecute(url: String, _ statement: String) async throws {
        let admin = try MutualDatabase(location: .postgres(url: url), logger: logger, maxConnectionsPerEventLoop: 1)
        do {
            _ = try await admin.sql().raw(SQLQueryString(statement)).all()
        } catch {
            await admin.shutdown()
            throw error
        }
        await admin.shutdown()
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Lets a bounded number of PostgreSQL test databases exist at once. Swift Testing runs every
/// test case concurrently and each database opens its own pool, so without a bound the suites
/// exhaust the server's `max_connections` (100 by default) as they grow.
actor PostgresGate {
    static let shared = PostgresGate(limit: 8)

    private var available: Int
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { available = limit }

    func acquire() async {
        if available > 0 {
            available -= 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            available += 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
