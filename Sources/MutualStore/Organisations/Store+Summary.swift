import FluentKit
import Foundation
import SQLKit

/// Headline figures for the dashboard.
public struct OrganisationSummary: Sendable, Equatable {
    public let people: Int
    public let members: Int
    public let skills: Int
}

extension Store {
    /// The dashboard's three counts, each a `COUNT(*)` that an index answers. Fluent's `count()`
    /// counts a column, `COUNT(people.id)`, which SQLite answers by reading every row: 50 ms at
    /// 100,000 people against 3 ms for `COUNT(*)` over migration 034's (organisation,
    /// erased_at) index. Erased people are not counted, as the directory does not list them.
    public func summary(of identity: Identity) async throws -> OrganisationSummary {
        let sql = try database.sql()
        let organisation = identity.organisationID
        func count(_ query: SQLQueryString) async throws -> Int {
            try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let people = try await count("SELECT COUNT(*) AS n FROM people WHERE organisation_id = \(bind: organisation) AND erased_at IS NULL")
        let members = try await count("SELECT COUNT(*) AS n FROM accounts WHERE organisation_id = \(bind: organisation)")
        let skills = try await count("SELECT COUNT(*) AS n FROM skills WHERE organisation_id = \(bind: organisation)")
        return OrganisationSummary(people: people, members: members, skills: skills)
    }
}
