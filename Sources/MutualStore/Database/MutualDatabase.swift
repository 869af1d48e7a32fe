import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// Where Mutual keeps its data: an embedded SQLite file (the default), an in-memory SQLite
/// database (tests), or a PostgreSQL server (production, several replicas).
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqliteFile(path: String)
    case sqliteMemory(identifier: String)
    case postgres(url: String)

    /// Reads a location the way an operator writes it: a `postgres://` or `postgresql://` URL,
    /// `:memory:`, or a file path.
    public init(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            self = .postgres(url: trimmed)
        } else if trimmed == ":memory:" {
            self = .sqliteMemory(identifier: UUID().uuidString)
        } else {
            self = .sqliteFile(path: trimmed.hasPrefix("sqlite://") ? String(trimmed.dropFirst("sqlite://".count)) : trimmed)
        }
    }

    /// A description safe for logs: the password of a PostgreSQL URL is hidden.
    public var description: String {
        switch self {
        case .sqliteFile(let path): return "SQLite file \(path)"
        case .sqliteMemory: return "in-memory SQLite"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "PostgreSQL" }
            if components.password != nil { components.password = "***" }
            return "PostgreSQL \(components.string ?? "")"
        }
    }

    public var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }
}

/// Owns the connection pools and the migrations. One per process; share it between requests.
public final class MutualDatabase: Sendable {
    public let location: DatabaseLocation
    private let databases: Databases
    private let migrations: Migrations
    private let logger: Logger
    /// Serialises write transactions on SQLite (see ``WriteQueue``); PostgreSQL needs no queue.
    private let sqliteWrites = WriteQueue()
    /// The one event loop whose single connection every SQLite query uses. Two connections to
    /// one SQLite database can meet a lock, and SQLiteNIO's busy handler then retries without
    /// end on a thread of the shared I/O pool: with the job worker reading while requests
    /// write, both threads of a two-core machine ended up spinning and every database stalled.
    /// One connection means queries wait their turn in the pool, as suspended tasks.
    private let sqliteLoop: (any EventLoop)?

    /// How long a query waits for SQLite's one connection: long enough to queue behind a large
    /// import's transaction, short enough that a query wrongly made outside the transaction it
    /// runs in (waiting for the connection its own transaction holds) fails instead of hanging.
    static let sqliteWaitLimit: TimeAmount = .seconds(30)

    /// How long a request waits for a PostgreSQL connection. Writes to one hot row queue behind
    /// its lock while holding their connections (50 edits of one agreement at once); the driver's
    /// 10 s default failed the last of them on a busy two-core machine, where 30 s lets them finish.
    static let postgresWaitLimit: TimeAmount = .seconds(30)

    /// - Parameter postgresSearchPath: PostgreSQL schemas to use instead of `public` (tests give
    ///   each test a schema of its own).
    public init(
        location: DatabaseLocation, logger: Logger, maxConnectionsPerEventLoop: Int = 4, postgresSearchPath: [String]? = nil
    ) throws {
        self.location = location
        self.logger = logger
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: MultiThreadedEventLoopGroup.singleton)
        switch location {
        case .sqliteFile(let path):
            databases.use(.sqlite(.file(path), connectionPoolTimeout: Self.sqliteWaitLimit, sqlLogLevel: .trace), as: .sqlite)
        case .sqliteMemory(let identifier):
            databases.use(
                .sqlite(.init(storage: .memory(identifier: identifier)), connectionPoolTimeout: Self.sqliteWaitLimit, sqlLogLevel: .trace),
                as: .sqlite)
        case .postgres(let url):
            do {
                var configuration = try SQLPostgresConfiguration(url: url)
                configuration.searchPath = postgresSearchPath
                databases.use(
                    .postgres(
                        configuration: configuration, maxConnectionsPerEventLoop: maxConnectionsPerEventLoop,
                        connectionPoolTimeout: Self.postgresWaitLimit,
                        encodingContext: .default, decodingContext: .default, sqlLogLevel: .trace),
                    as: .psql)
            } catch {
                throw StoreError.invalidConfiguration(
                    "The PostgreSQL URL could not be read (\(error)). Write it as postgres://USER:PASSWORD@HOST:5432/DATABASE.")
            }
        }
        self.databases = databases
        self.sqliteLoop = location.isPostgres ? nil : MultiThreadedEventLoopGroup.singleton.next()
        let migrations = Migrations()
        migrations.add(MutualMigrations.all)
        self.migrations = migrations
    }

    /// A database handle for one unit of work. Throws once the pools are shut down (a request
    /// that arrives while the server stops).
    public func database(logger: Logger? = nil) throws -> any Database {
        guard let database = databases.database(logger: logger ?? self.logger, on: sqliteLoop ?? MultiThreadedEventLoopGroup.singleton.any()) else {
            throw StoreError.unavailable
        }
        return database
    }

    /// The same handle as SQLKit, for reporting queries and raw statements.
    public func sql(logger: Logger? = nil) throws -> any SQLDatabase {
        guard let sql = try database(logger: logger) as? any SQLDatabase else { throw StoreError.unavailable }
        return sql
    }

    /// Runs `work` in a transaction. On SQLite, transactions queue for the single writer here
    /// instead of waiting inside SQLite on a shared thread.
    public func transaction<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        switch location {
        case .postgres:
            return try await database().transaction(work)
        case .sqliteFile, .sqliteMemory:
            return try await sqliteWrites.run { try await self.database().transaction(work) }
        }
    }

    /// Brings the schema up to date. Safe to run on every start and from several replicas in turn.
    public func migrate() async throws {
        try await migrate(with: migrations)
    }

    /// Runs only the first `count` migrations: a database as an older release left it, for
    /// testing what a later migration does to existing rows. `migrate()` then runs the rest.
    public func migrate(first count: Int) async throws {
        let older = Migrations()
        older.add(Array(MutualMigrations.all.prefix(count)))
        try await migrate(with: older)
    }

    private func migrate(with migrations: Migrations) async throws {
        let migrator = Migrator(
            databases: databases, migrations: migrations, logger: logger,
            on: sqliteLoop ?? MultiThreadedEventLoopGroup.singleton.any(), migrationLogLevel: .info)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
        if case .sqliteFile = location {
            // WAL: cheaper commits, and a backup (sqlite3 .backup) reads while the server writes.
            _ = try await sql().raw("PRAGMA journal_mode=WAL").all()
        }
    }

    /// Answers whether the database accepts a trivial query, for `/readyz`.
    public func isReachable() async -> Bool {
        do {
            _ = try await sql().raw("SELECT 1 AS ok").all()
            return true
        } catch {
            logger.warning("Database not reachable", metadata: ["error": "\(error)"])
            return false
        }
    }

    public func shutdown() async {
        await databases.shutdownAsync()
    }
}
