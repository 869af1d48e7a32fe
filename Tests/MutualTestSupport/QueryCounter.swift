import Foundation
import Logging

/// Counts the SQL statements a database runs: give its ``logger`` to the database
/// (`TestBackend.withDatabase(logger:)`, `TestAppOptions.databaseLogger`), then read
/// ``count(during:)`` around the work to measure. SQLKit logs every statement as "Executing
/// query" at the database's query level (trace), and so does `ReadRow`, which goes around it.
public final class QueryCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var statements: [String] = []

    public init() {}

    /// A logger that passes every statement to this counter (and nothing else anywhere).
    public var logger: Logger {
        Logger(label: "mutual.test.queries") { _ in Handler(counter: self) }
    }

    /// The statements run while `work` ran.
    public func statements<T>(during work: () async throws -> T) async rethrows -> (result: T, statements: [String]) {
        let start = lock.withLock { statements.count }
        let result = try await work()
        let seen = lock.withLock { Array(statements[start...]) }
        return (result, seen)
    }

    fileprivate func note(_ sql: String) { lock.withLock { statements.append(sql) } }

    private struct Handler: LogHandler {
        let counter: QueryCounter
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            guard event.message.description == "Executing query" else { return }
            counter.note(event.metadata?["sql"].map { "\($0)" } ?? "")
        }
    }
}
