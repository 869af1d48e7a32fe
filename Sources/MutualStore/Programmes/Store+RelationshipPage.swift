import FluentKit
import Foundation
import SQLKit

/// One page of a programme's relationships, with how many it has in all.
public struct RelationshipPage: Sendable, Equatable {
    public let relationships: [RelationshipSummary]
    /// Every relationship of the programme: `COUNT(*)` over its index.
    public let total: Int
    /// The cursor of the following page (``KeysetCursor``, empty key); nil on the last page.
    public let next: String?
}

extension Store {
    /// A page of the programme's relationships in id order (keyset paged: `after` is the
    /// previous page's `next`), for its managers. Three statements whatever the programme's
    /// size (a programme of 10,000 people has about 5,000 relationships, which
    /// ``relationships(in:by:)`` loads as models): the count, the page's rows, and their members'
    /// names in one join.
    public func relationshipPage(
        in programmeID: UUID, after: String? = nil, limit: Int = 50, by identity: Identity
    ) async throws -> RelationshipPage {
        let programme = try await managedProgramme(id: programmeID, of: identity)
        let limit = min(max(limit, 1), 500)
        let sql = try database.sql()
        let total = try await sql.raw("SELECT COUNT(*) AS n FROM relationships WHERE programme_id = \(bind: programmeID)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        var condition: SQLQueryString = "programme_id = \(bind: programmeID)"
        if let after, !after.isEmpty {
            condition = condition + SQLQueryString(" AND id > \(bind: try KeysetCursor(decoding: after).id)")
        }
        struct Row: Decodable {
            let id: UUID
            let status: String
            let agreement_version: Int
        }
        let rows = try await sql.raw("SELECT id, status, agreement_version FROM relationships WHERE \(condition) ORDER BY id LIMIT \(literal: limit + 1)")
            .all().map { try $0.decode(model: Row.self) }
        let page = Array(rows.prefix(limit))
        struct Member: Decodable {
            let relationship_id: UUID
            let position: Int
            let signed_version: Int
            let name: String?
        }
        var members: [UUID: [Member]] = [:]
        if !page.isEmpty {
            let found = try await sql.raw("""
                SELECT rm.relationship_id, rm.position, rm.signed_version, p.name FROM relationship_members rm \
                LEFT JOIN people p ON p.id = rm.person_id WHERE rm.relationship_id IN \(SQLBind.group(page.map(\.id)))
                """).all().map { try $0.decode(model: Member.self) }
            for member in found { members[member.relationship_id, default: []].append(member) }
        }
        let name = programme.name
        let summaries = page.map { row in
            let own = (members[row.id] ?? []).sorted { $0.position < $1.position }
            return RelationshipSummary(
                id: row.id, programmeName: name, memberNames: own.map { $0.name ?? "Someone who left" },
                status: Relationship.Status(rawValue: row.status) ?? .active,
                isSigned: own.allSatisfy { $0.signed_version == row.agreement_version })
        }
        let next = rows.count > limit ? page.last.map { KeysetCursor(key: "", id: $0.id).encoded } : nil
        return RelationshipPage(relationships: summaries, total: total, next: next)
    }
}
