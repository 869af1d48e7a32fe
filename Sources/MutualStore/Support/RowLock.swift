import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Locks, for the rest of `database`'s transaction, the rows of `table` whose `column`
    /// equals `value`, so a check made after it and the write that follows it cannot be
    /// interleaved with another transaction's. PostgreSQL: `SELECT … FOR UPDATE`. SQLite runs one
    /// writing transaction at a time (`WriteQueue`), so there the transaction is the lock.
    static func lockRows(_ table: String, where column: String, equals value: UUID, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" else { return }
        try await sql.raw("SELECT 1 FROM \(ident: table) WHERE \(ident: column) = \(bind: value) FOR UPDATE").run()
    }
}
