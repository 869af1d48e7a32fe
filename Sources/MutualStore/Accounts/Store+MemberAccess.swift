import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Who in the directory has an account, who was invited when, who never signed in: a page
    /// of people by name (keyset paged: `after` is the previous page's `next`), narrowed to one
    /// status and to a name or address fragment when given, with each status's count over the
    /// whole organisation. Read in two statements, whatever the directory's size.
    public func memberAccess(
        status: AccessStatus? = nil, text: String = "", after: String? = nil, limit: Int = 50, of identity: Identity
    ) async throws -> AccessPage {
        try requireRole(.admin, identity)
        let sql = try database.sql()
        let now = clock.now
        let limit = min(max(limit, 1), 500)
        let cursor = try after.flatMap { $0.isEmpty ? nil : try KeysetCursor(decoding: $0) }
        let statusExpression = SQLQueryString("""
            CASE WHEN a.id IS NOT NULL AND a.last_sign_in_at IS NOT NULL THEN 'signed_in' \
            WHEN a.id IS NOT NULL THEN 'never_signed_in' \
            WHEN i.id IS NOT NULL AND i.expires_at > \(bind: now) THEN 'invited' \
            WHEN i.id IS NOT NULL THEN 'invitation_expired' \
            WHEN p.email IS NULL OR p.email = '' THEN 'no_email' \
            ELSE 'no_account' END
            """)
        func joined(_ builder: SQLSelectBuilder) -> SQLSelectBuilder {
            builder.from(SQLAlias(SQLIdentifier(Person.schema), as: SQLIdentifier("p")))
                .join(SQLAlias(SQLIdentifier(Account.schema), as: SQLIdentifier("a")), method: SQLJoinMethod.left, on: SQLColumn("person_id", table: "a"), .equal, SQLColumn("id", table: "p"))
                // The pending (or expired, not yet replaced) invitation of the person's address:
                // one at most, by the unique (organisation, pending_key) index.
                .join(
                    SQLAlias(SQLIdentifier(Invitation.schema), as: SQLIdentifier("i")), method: SQLJoinMethod.left,
                    on: SQLQueryString("i.organisation_id = p.organisation_id AND i.pending_key = LOWER(p.email)"))
                .where(SQLColumn("organisation_id", table: "p"), .equal, SQLBind(identity.organisationID))
        }
        var counts: [AccessStatus: Int] = [:]
        for row in try await joined(sql.select().column(statusExpression, as: "status").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n"))
            .groupBy(SQLLiteral.numeric("1")).all()
        {
            if let status = AccessStatus(rawValue: try row.decode(column: "status", as: String.self)) {
                counts[status] = try row.decode(column: "n", as: Int.self)
            }
        }
        let builder = joined(
            sql.select()
                .column(SQLColumn("id", table: "p")).column(SQLColumn("name", table: "p")).column(SQLColumn("email", table: "p"))
                .column(SQLColumn("department", table: "p")).column(SQLColumn("last_sign_in_at", table: "a"))
                .column(SQLColumn("created_at", table: "i"), as: "invited_at").column(SQLColumn("expires_at", table: "i"), as: "invitation_expires_at")
                .column(SQLColumn("id", table: "i"), as: "invitation_id")
                .column(statusExpression, as: "status"))
        if let status { builder.where(SQLGroupExpression(statusExpression), .equal, SQLBind(status.rawValue)) }
        let fragment = text.trimmingCharacters(in: .whitespaces).lowercased()
        if !fragment.isEmpty {
            let pattern = "%" + Self.escapeLike(fragment) + "%"
            builder.where(SQLQueryString("(LOWER(p.name) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(COALESCE(p.email, '')) LIKE \(bind: pattern) ESCAPE '\\')"))
        }
        if let cursor {
            builder.where(SQLQueryString("(p.name > \(bind: cursor.key) OR (p.name = \(bind: cursor.key) AND p.id > \(bind: cursor.id)))"))
        }
        struct Row: Decodable {
            let id: UUID
            let name: String
            let email: String?
            let department: String
            let last_sign_in_at: Date?
            let invited_at: Date?
            let invitation_expires_at: Date?
            let invitation_id: UUID?
            let status: String
        }
        let rows = try await builder.orderBy(SQLColumn("name", table: "p")).orderBy(SQLColumn("id", table: "p")).limit(limit + 1).all()
            .map { try $0.decode(model: Row.self) }
        let lines = rows.prefix(limit).map {
            AccessLine(
                personID: $0.id, name: $0.name, email: $0.email, department: $0.department, status: AccessStatus(rawValue: $0.status) ?? .noAccount,
                lastSignInAt: $0.last_sign_in_at, invitedAt: $0.invited_at, invitationExpiresAt: $0.invitation_expires_at,
                invitationID: $0.invitation_id)
        }
        let next = rows.count > limit ? lines.last.map { KeysetCursor(key: $0.name, id: $0.personID).encoded } : nil
        return AccessPage(lines: Array(lines), counts: counts, next: next)
    }
}
