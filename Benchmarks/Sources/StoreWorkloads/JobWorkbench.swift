import Foundation
import Logging
import MutualStore
import SQLKit

/// A store on a fresh database for the job queue and event benchmarks: an SQLite file in the
/// temporary folder, or a schema of its own in the PostgreSQL named by `MUTUAL_BENCH_POSTGRES`.
public final class JobWorkbench: Sendable {
    /// The kind of the benchmark's jobs: their handler does nothing, so what is timed is the
    /// queue itself (claim, lease, settle).
    public static let kind = "bench.noop"

    public let store: Store
    public let backend: String
    let cleanup: @Sendable () async -> Void

    init(store: Store, backend: String, cleanup: @escaping @Sendable () async -> Void) {
        self.store = store
        self.backend = backend
        self.cleanup = cleanup
    }

    static var logger: Logger {
        var logger = Logger(label: "mutual.bench")
        logger.logLevel = .warning
        return logger
    }

    /// The PostgreSQL URL to benchmark against, if one is set.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["MUTUAL_BENCH_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A migrated SQLite file (with WAL, as `mutual serve` uses it).
    public static func sqlite() async throws -> JobWorkbench {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-jobs-bench-\(UUID().uuidString).sqlite").path
        let database = try MutualDatabase(location: .sqliteFile(path: path), logger: logger)
        try await database.migrate()
        return JobWorkbench(store: Store(database: database, passwords: PasswordHasher(cost: 4), logger: logger), backend: "SQLite file") {
            await database.shutdown()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    /// A migrated schema of its own in the PostgreSQL at `url`, dropped by ``close()``.
    public static func postgres(url: String) async throws -> JobWorkbench {
        let schema = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await adminExecute(url: url, "CREATE SCHEMA \(schema)")
        let database = try MutualDatabase(location: .postgres(url: url), logger: logger, maxConnectionsPerEventLoop: 4, postgresSearchPath: [schema])
        try await database.migrate()
        return JobWorkbench(store: Store(database: database, passwords: PasswordHasher(cost: 4), logger: logger), backend: "PostgreSQL") {
            await database.shutdown()
            try? await adminExecute(url: url, "DROP SCHEMA \(schema) CASCADE")
        }
    }

    private static func adminExecute(url: String, _ statement: String) async throws {
        let admin = try MutualDatabase(location: .postgres(url: url), logger: logger, maxConnectionsPerEventLoop: 1)
        defer { Task { await admin.shutdown() } }
        _ = try await admin.sql().raw(SQLQueryString(statement)).all()
    }

    /// Writes `count` queued no-op jobs, a thousand to a transaction (not what is timed).
    public func enqueue(_ count: Int) async throws {
        var written = 0
        while written < count {
            let batch = min(1000, count - written)
            let first = written
            try await store.database.transaction { database in
                for n in first..<(first + batch) {
                    try await self.store.enqueue(
                        NewJob(kind: Self.kind, payload: "{\"n\":\(n)}", subject: "bench:\(n)", organisationID: nil), on: database)
                }
            }
            written += batch
        }
    }

    /// Runs every queued job with `workers` workers at once, each running `concurrency` jobs at
    /// a time, as replicas' workers do (claim a batch with a lease, run, settle each job in its
    /// own transaction). Returns how many jobs ran.
    public func drain(workers: Int, concurrency: Int = 4) async throws -> Int {
        let handler = JobHandler(kind: Self.kind) { _ in .finished }
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for number in 0..<workers {
                var configuration = JobWorkerConfiguration()
                configuration.concurrency = concurrency
                configuration.workerID = "bench-\(number)"
                let worker = JobWorker(store: store, handlers: [handler], configuration: configuration, logger: Self.logger)
                group.addTask { try await worker.drain() }
            }
            return try await group.reduce(0, +)
        }
    }

    /// One write as a request makes it: a transaction that inserts a row (a job row stands in for
    /// any single-row change), with or without the domain event the change records.
    public func write(withEvent: Bool, organisationID: UUID) async throws {
        let store = self.store
        try await store.database.transaction { database in
            try await store.enqueue(NewJob(kind: "bench.write", payload: "{}", subject: "bench:write", organisationID: nil), on: database)
            if withEvent {
                try await store.record(
                    NewEvent(.programmeChanged, organisationID: organisationID, actor: nil, subject: UUID(), payload: ["changed": .int(1)]),
                    on: database)
            }
        }
    }

    /// An organisation for events to belong to.
    public func organisation() async throws -> UUID {
        let account = try await store.createOrganisation(
            SetupRequest(organisationName: "Bench Corp", adminName: "Bench Admin", email: "admin@bench.example", password: "benchmark-password"),
            slug: "bench")
        return account.organisationID
    }

    /// Closes the database and removes it.
    public func close() async { await cleanup() }
}
