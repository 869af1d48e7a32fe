import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import SQLKit

/// A row of a read-only statement that returns many narrow rows (the dashboard's facts, the
/// feedback summary's answers), read without the general path's per-row costs.
///
/// On SQLite, SQLKit's statements reach the connection through its EventLoopFuture interface,
/// which hands every row to the event loop as a task of its own (an allocation, a lock and a
/// wake-up per row), then decodes each column through a `Decoder`. Reading the rows on the
/// connection's own thread and taking each column's value as it is stored costs a fraction of
/// that. On PostgreSQL, SQLKit's rows decode each column through a generic translation that
/// looks up the type's conformances at run time (a quarter of a dashboard's time); PostgresNIO
/// decodes a column of a known type directly.
struct ReadRow: @unchecked Sendable {
    private enum Storage {
        case sqlite(SQLiteRow)
        case postgres(PostgresRandomAccessRow)
        case general(any SQLRow)
    }

    private let storage: Storage

    private init(_ storage: Storage) { self.storage = storage }

    /// A column the statement must have returned, as SQLite stored it.
    private func stored(_ row: SQLiteRow, _ column: String) throws -> SQLiteData {
        guard let data = row.column(column) else { throw ReadRowError(column: column, expected: "a column of that name") }
        return data
    }

    private func cell(_ row: PostgresRandomAccessRow, _ column: String) throws -> PostgresCell {
        guard row.contains(column) else { throw ReadRowError(column: column, expected: "a column of that name") }
        return row[column]
    }

    func text(_ column: String) throws -> String {
        switch storage {
        case .sqlite(let row):
            switch try stored(row, column) {
            case .text(let value): return value
            case .integer(let value): return String(value)
            case .float(let value): return String(value)
            case .blob(let value): return String(buffer: value)
            case .null: throw ReadRowError(column: column, expected: "text")
            }
        case .postgres(let row): return try cell(row, column).decode(String.self)
        case .general(let row): return try row.decode(column: column, as: String.self)
        }
    }

    func int(_ column: String) throws -> Int {
        guard let value = try optionalInt(column) else { throw ReadRowError(column: column, expected: "a number") }
        return value
    }

    func optionalInt(_ column: String) throws -> Int? {
        switch storage {
        case .sqlite(let row):
            let data = try stored(row, column)
            if data == .null { return nil }
            guard let value = Int(sqliteData: data) else { throw ReadRowError(column: column, expected: "a number") }
            return value
        case .postgres(let row):
            let cell = try cell(row, column)
            return cell.bytes == nil ? nil : try cell.decode(Int.self)
        case .general(let row): return try row.decode(column: column, as: Int?.self)
        }
    }

    func bool(_ column: String) throws -> Bool {
        switch storage {
        case .sqlite(let row):
            guard let value = Bool(sqliteData: try stored(row, column)) else { throw ReadRowError(column: column, expected: "true or false") }
            return value
        case .postgres(let row): return try cell(row, column).decode(Bool.self)
        case .general(let row): return try row.decode(column: column, as: Bool.self)
        }
    }

    func date(_ column: String) throws -> Date {
        guard let value = try optionalDate(column) else { throw ReadRowError(column: column, expected: "a time") }
        return value
    }

    func optionalDate(_ column: String) throws -> Date? {
        switch storage {
        case .sqlite(let row):
            let data = try stored(row, column)
            if data == .null { return nil }
            guard let value = Date(sqliteData: data) else { throw ReadRowError(column: column, expected: "a time") }
            return value
        case .postgres(let row):
            let cell = try cell(row, column)
            return cell.bytes == nil ? nil : try cell.decode(Date.self)
        case .general(let row): return try row.decode(column: column, as: Date?.self)
        }
    }

    /// Runs `query` (a SELECT) and returns its rows.
    static func all(_ query: SQLQueryString, on database: any SQLDatabase) async throws -> [ReadRow] {
        var serializer = SQLSerializer(database: database)
        query.serialize(to: &serializer)
        // Logged as SQLKit logs its statements (at the database's query level), since both
        // paths below go around SQLKit: a query logger then sees every statement.
        if let level = database.queryLogLevel {
            database.logger.log(level: level, "Executing query", metadata: ["sql": .string(serializer.sql)])
        }
        if let postgres = database as? any PostgresDatabase, let binds = postgresBindings(serializer.binds) {
            let statement = PostgresQuery(unsafeSQL: serializer.sql, binds: binds)
            let rows = try await postgres.withConnection { connection in
                connection.eventLoop.makeFutureWithTask { try await connection.query(statement, logger: connection.logger).collect() }
            }.get()
            return rows.map { ReadRow(.postgres($0.makeRandomAccess())) }
        }
        guard let sqlite = database as? any SQLiteDatabase else {
            return try await database.raw(query).all().map { ReadRow(.general($0)) }
        }
        let encoder = SQLiteDataEncoder()
        let binds = try serializer.binds.map { try encoder.encode($0) }
        let sql = serializer.sql
        let collected = RowCollector()
        try await sqlite.withConnection { connection in
            // The connection's own async query calls back on its thread, in order.
            try await connection.query(sql, binds) { collected.rows.append($0) }
        }
        return collected.rows.map { ReadRow(.sqlite($0)) }
    }

    /// The statement's values as PostgreSQL parameters; nil when one is of a kind not listed
    /// here (the statement then takes the general path).
    private static func postgresBindings(_ values: [any Encodable & Sendable]) -> PostgresBindings? {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case let value as UUID: bindings.append(value)
            case let value as String: bindings.append(value)
            case let value as Date: bindings.append(value)
            case let value as Int: bindings.append(value)
            case let value as Bool: bindings.append(value)
            case let value as Double: bindings.append(value)
            default: return nil
            }
        }
        return bindings
    }

    /// The rows, appended one at a time by the connection's thread and read once it has finished.
    private final class RowCollector: @unchecked Sendable {
        var rows: [SQLiteRow] = []
    }
}

/// A column that did not hold what the statement was written to return: a programming error
/// or a damaged database, never bad input.
struct ReadRowError: Error, CustomStringConvertible {
    let column: String
    let expected: String

    var description: String { "The column \(column) did not hold \(expected)." }
}
