import FluentKit
import Foundation
import SQLKit

/// Replaces a person's name and email address wherever they appear in free text, in every
/// text column of every table, found through the database's own catalog (`sqlite_master` and
/// `pragma_table_info` on SQLite, `information_schema.columns` on PostgreSQL), so a table added
/// later is swept without anyone remembering to list it. It is the safety net behind the
/// erasure's column-by-column steps: a name quoted in someone else's message, an email in a
/// job's payload, a subject line that named the person.
///
/// Rows are limited to the person's organisation where the table has `organisation_id`; tables
/// without one are swept for the email address only, and only when the caller says the address
/// is the person's alone (their login belongs to no other organisation). A value that *is* the
/// name, whole, is left alone: that is another person's name field (a namesake), not a mention.
struct PersonalTextSweep {
    /// One text column of one table.
    struct Column: Hashable {
        let table: String
        let column: String
        let hasOrganisation: Bool
    }

    let organisationID: UUID
    let name: String
    let email: String?
    /// Whether the email address may be swept from tables without `organisation_id`.
    let emailIsOnlyTheirs: Bool
    static let replacement = Store.formerMemberName

    /// Every text-like column of every table but the migrations' own, from the catalog.
    static func textColumns(on sql: any SQLDatabase) async throws -> [Column] {
        try await DatabaseCatalog.read(on: sql).tables.flatMap { table in
            table.columns.filter(\.isText).map { Column(table: table.name, column: $0.name, hasOrganisation: table.hasOrganisation) }
        }
    }

    /// `%needle%` for LIKE, with the pattern's own characters escaped (by `\`).
    static func likePattern(_ needle: String) -> String {
        var escaped = ""
        for character in needle {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%" + escaped + "%"
    }

    /// Sweeps every column; returns how many values changed.
    func run(on sql: any SQLDatabase, postgres: Bool) async throws -> Int {
        let columns = try await Self.textColumns(on: sql)
        let namePattern = try NSRegularExpression(
            pattern: "(?<![\\p{L}\\p{N}])" + NSRegularExpression.escapedPattern(for: name) + "(?![\\p{L}\\p{N}])",
            options: [.caseInsensitive])
        let emailPattern = try email.map { try NSRegularExpression(pattern: NSRegularExpression.escapedPattern(for: $0), options: [.caseInsensitive]) }
        let like = postgres ? "ILIKE" : "LIKE"
        let key = postgres ? "ctid::text" : "CAST(rowid AS TEXT)"
        var changed = 0
        for column in columns {
            var needles: [String] = []
            if column.hasOrganisation, name.count >= 2 { needles.append(name) }
            if let email, column.hasOrganisation || emailIsOnlyTheirs { needles.append(email) }
            guard !needles.isEmpty else { continue }
            var query = "SELECT \(key) AS k, \(Self.quote(column.column)) AS v FROM \(Self.quote(column.table)) WHERE ("
            query += needles.indices.map { "\(Self.quote(column.column)) \(like) $\($0 + 1) ESCAPE '\\'" }.joined(separator: " OR ") + ")"
            var binds: [any Encodable & Sendable] = needles.map(Self.likePattern)
            if column.hasOrganisation {
                query += " AND organisation_id = $\(needles.count + 1)"
                binds.append(organisationID)
            }
            let rows = try await sql.raw(Self.statement(query, binds: binds, postgres: postgres)).all()
            for row in rows {
                guard let value = try row.decode(column: "v", as: String?.self) else { continue }
                let rowKey = try row.decode(column: "k", as: String.self)
                var text = value
                // A whole value equal to the name is a namesake's own name field, not a mention.
                if text.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare(name) != .orderedSame {
                    text = namePattern.stringByReplacingMatches(
                        in: text, range: NSRange(text.startIndex..., in: text), withTemplate: NSRegularExpression.escapedTemplate(for: Self.replacement))
                }
                if let emailPattern {
                    text = emailPattern.stringByReplacingMatches(
                        in: text, range: NSRange(text.startIndex..., in: text), withTemplate: NSRegularExpression.escapedTemplate(for: Self.replacement))
                }
                guard text != value else { continue }
                let update = postgres
                    ? "UPDATE \(Self.quote(column.table)) SET \(Self.quote(column.column)) = $1 WHERE ctid = CAST($2 AS tid)"
                    : "UPDATE \(Self.quote(column.table)) SET \(Self.quote(column.column)) = $1 WHERE rowid = CAST($2 AS INTEGER)"
                try await sql.raw(Self.statement(update, binds: [text, rowKey], postgres: postgres)).run()
                changed += 1
            }
        }
        return changed
    }

    static func quote(_ identifier: String) -> String { DatabaseCatalog.quote(identifier) }

    /// A statement with `$n` placeholders bound in order (SQLite takes `$n` too, as `?n`).
    static func statement(_ text: String, binds: [any Encodable & Sendable], postgres: Bool) -> SQLQueryString {
        var query = SQLQueryString("")
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            query.appendLiteral(String(rest[..<dollar]))
            var end = rest.index(after: dollar)
            while end < rest.endIndex, rest[end].isNumber { end = rest.index(after: end) }
            let index = Int(rest[rest.index(after: dollar)..<end]) ?? 0
            if index >= 1, index <= binds.count {
                query.appendInterpolation(bind: binds[index - 1])
            } else {
                query.appendLiteral(String(rest[dollar..<end]))
            }
            rest = rest[end...]
        }
        query.appendLiteral(String(rest))
        return query
    }
}
