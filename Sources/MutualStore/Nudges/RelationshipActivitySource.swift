import Foundation
import SQLKit

/// A table whose rows show a relationship is alive: meetings today, and any capability that
/// records what a relationship does (the learning ledger's logs). The quiet rule, silence
/// closing and the needs-attention list read every source in ``Store/relationshipActivitySources``.
public struct RelationshipActivitySource: Sendable {
    /// A name for the source (docs and tests).
    public let name: String
    /// `SELECT 1 … WHERE <the row belongs to relationship `relationship`> AND <it happened after `after`>`:
    /// `relationship` is the SQL expression of the relationship's id (`r.id`).
    public let activityAfter: @Sendable (_ relationship: String, _ after: Date) -> SQLQueryString
    /// `SELECT MAX(<time>) … WHERE <row of `relationship`> AND <time> <= now`: the latest activity.
    public let latestBefore: @Sendable (_ relationship: String, _ now: Date) -> SQLQueryString

    public init(
        name: String, activityAfter: @escaping @Sendable (String, Date) -> SQLQueryString,
        latestBefore: @escaping @Sendable (String, Date) -> SQLQueryString
    ) {
        self.name = name
        self.activityAfter = activityAfter
        self.latestBefore = latestBefore
    }

    /// A source that is one table with the relationship's id and a time column (the usual case:
    /// `RelationshipActivitySource.table("meeting_logs", time: "created_at")`). `condition` is
    /// extra SQL about the row (`status = 'scheduled'`), or empty.
    public static func table(_ table: String, relationshipColumn: String = "relationship_id", time: String, condition: String = "")
        -> RelationshipActivitySource
    {
        let extra = condition.isEmpty ? "" : " AND \(condition)"
        return RelationshipActivitySource(
            name: table,
            activityAfter: { relationship, after in
                "SELECT 1 FROM \(ident: table) src WHERE src.\(ident: relationshipColumn) = \(unsafeRaw: relationship) AND src.\(ident: time) > \(bind: after)\(unsafeRaw: extra)"
            },
            latestBefore: { relationship, now in
                "SELECT MAX(src.\(ident: time)) FROM \(ident: table) src WHERE src.\(ident: relationshipColumn) = \(unsafeRaw: relationship) AND src.\(ident: time) <= \(bind: now)\(unsafeRaw: extra)"
            })
    }

    /// Scheduled meetings (the meetings core, migration 019): a planned meeting counts from its start.
    public static let meetings = RelationshipActivitySource.table("meetings", time: "starts_at", condition: "src.status = 'scheduled'")
}
