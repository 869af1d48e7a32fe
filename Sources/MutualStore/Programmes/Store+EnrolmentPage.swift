import FluentKit
import Foundation
import SQLKit

/// One page of a programme's enrolments, by name, with the counts over every enrolment the
/// search matches.
public struct EnrolmentPage: Sendable, Equatable {
    public let lines: [EnrolmentLine]
    /// Enrolments matching the search (all of them without one): `COUNT(*)`.
    public let total: Int
    /// Of those, how many are ready to match.
    public let ready: Int
    /// The cursor of the following page (``KeysetCursor``); nil on the last page.
    public let next: String?

    public var notReady: Int { total - ready }

    public init(lines: [EnrolmentLine], total: Int, ready: Int, next: String?) {
        self.lines = lines
        self.total = total
        self.ready = ready
        self.next = next
    }

    /// Nothing: what a participant's view of the programme holds.
    public static let empty = EnrolmentPage(lines: [], total: 0, ready: 0, next: nil)
}

extension Store {
    /// A page of a programme's enrolments by name (keyset paged: `after` is the previous page's
    /// `next`), narrowed to names containing `text`, each with what their profile still lacks
    /// for the programme. Read in two statements whatever the programme's size: the counts
    /// (`COUNT(*)` and the ready ones, one aggregate), and the page, whose rows are found first
    /// (by the people's name index and the enrolments' unique (programme, person) index) and
    /// then grouped with their skills to learn whether each has a strength and a want. Only the
    /// columns the list shows are read; no Fluent model is loaded.
    public func enrolmentPage(
        in programmeID: UUID, text: String = "", after: String? = nil, limit: Int = 50, by identity: Identity
    ) async throws -> EnrolmentPage {
        let programme = try await managedProgramme(id: programmeID, of: identity)
        let limit = min(max(limit, 1), 500)
        let cursor = try after.flatMap { $0.isEmpty ? nil : try KeysetCursor(decoding: $0) }
        let sql = try database.sql()
        let required = programme.requiredProfileFields

        // Which enrolments the list holds: the programme's, of the organisation, matching the search.
        var matching = SQLQueryString("e.programme_id = \(bind: programmeID) AND e.organisation_id = \(bind: identity.organisationID)")
        let fragment = text.trimmingCharacters(in: .whitespaces).lowercased()
        if !fragment.isEmpty {
            matching = matching + SQLQueryString(" AND LOWER(p.name) LIKE \(bind: "%" + Self.escapeLike(fragment) + "%") ESCAPE '\\'")
        }

        // The counts: one aggregate. Readiness is tested per row in SQL; a strength or a want is
        // an index probe of person_skills (unique on person, skill, kind), not a row load.
        let ready: SQLQueryString
        if required.isEmpty {
            ready = "COUNT(*)"
        } else {
            let condition = Self.readinessCondition(required, hasStrength: Self.exists("strength"), hasWant: Self.exists("want"))
            ready = "COALESCE(SUM(CASE WHEN \(condition) THEN 1 ELSE 0 END), 0)"
        }
        let countQuery: SQLQueryString = "SELECT COUNT(*) AS total, \(ready) AS ready FROM enrolments e JOIN people p ON p.id = e.person_id WHERE \(matching)"
        let counts = try await sql.raw(countQuery).first()
        let total = try counts?.decode(column: "total", as: Int.self) ?? 0
        let readyCount = try counts?.decode(column: "ready", as: Int?.self) ?? 0

        // The page: its rows first (ordered and limited inside), then each row's skill kinds as
        // aggregates over a left join, grouped by the row.
        var pageCondition = matching
        if let cursor {
            pageCondition = pageCondition + SQLQueryString(
                " AND (p.name > \(bind: cursor.key) OR (p.name = \(bind: cursor.key) AND p.id > \(bind: cursor.id)))")
        }
        let columns: SQLQueryString =
            "pg.person_id, pg.external_id, pg.name, pg.department, pg.timezone, pg.languages, pg.availability, pg.level, pg.role, pg.goals, pg.source, pg.answers"
        let pageQuery: SQLQueryString = """
            SELECT \(columns), MAX(CASE WHEN s.kind = 'strength' THEN 1 ELSE 0 END) AS has_strength, \
            MAX(CASE WHEN s.kind = 'want' THEN 1 ELSE 0 END) AS has_want \
            FROM (SELECT p.id AS person_id, p.external_id, p.name, p.department, p.timezone, p.languages, p.availability, p.level, \
            e.role, e.goals, e.source, e.answers FROM enrolments e JOIN people p ON p.id = e.person_id WHERE \(pageCondition) \
            ORDER BY p.name, p.id LIMIT \(literal: limit + 1)) pg \
            LEFT JOIN person_skills s ON s.person_id = pg.person_id \
            GROUP BY \(columns) ORDER BY pg.name, pg.person_id
            """
        struct Row: Decodable {
            let person_id: UUID
            let external_id: String
            let name: String
            let department: String
            let timezone: String
            let languages: String
            let availability: String
            let level: Int
            let role: String
            let goals: String
            let source: String
            let answers: String
            let has_strength: Int
            let has_want: Int
        }
        let rows = try await sql.raw(pageQuery).all().map { try $0.decode(model: Row.self) }
        let lines = rows.prefix(limit).map { row -> EnrolmentLine in
            let missing = required.filter { field in
                switch field {
                case .strengths: row.has_strength == 0
                case .wants: row.has_want == 0
                case .timezone: row.timezone.isEmpty
                case .languages: row.languages.isEmpty
                case .availability: row.availability.isEmpty || row.availability == "[]"
                case .department: row.department.isEmpty
                case .level: row.level <= 0
                }
            }
            return EnrolmentLine(
                personID: row.person_id, externalID: row.external_id, name: row.name, department: row.department,
                role: EnrolmentRole(rawValue: row.role) ?? .peer, goals: row.goals, source: EnrolmentSource(rawValue: row.source) ?? .manager,
                answers: Self.answers(json: row.answers), missing: missing)
        }
        let next = rows.count > limit ? lines.last.map { KeysetCursor(key: $0.name, id: $0.personID).encoded } : nil
        return EnrolmentPage(lines: Array(lines), total: total, ready: readyCount, next: next)
    }

    /// Everyone enrolled, by name, page after page (for tests and small programmes; pages and
    /// the API read ``enrolmentPage(in:text:after:limit:by:)``).
    public func enrolments(in programmeID: UUID, by identity: Identity) async throws -> [EnrolmentLine] {
        var lines: [EnrolmentLine] = []
        var after: String?
        repeat {
            let page = try await enrolmentPage(in: programmeID, after: after, limit: 500, by: identity)
            lines += page.lines
            after = page.next
        } while after != nil
        return lines
    }

    /// `EXISTS` a skill of this kind for the person `p`.
    private static func exists(_ kind: String) -> SQLQueryString {
        SQLQueryString("EXISTS (SELECT 1 FROM person_skills s WHERE s.person_id = p.id AND s.kind = \(unsafeRaw: "'" + kind + "'"))")
    }

    /// The SQL condition that a person `p` has every required field, given the expressions
    /// saying whether they have a strength and a want. The same rules as the page's `missing`.
    static func readinessCondition(_ required: [ProfileField], hasStrength: SQLQueryString, hasWant: SQLQueryString) -> SQLQueryString {
        let parts: [SQLQueryString] = required.map { field in
            switch field {
            case .strengths: hasStrength
            case .wants: hasWant
            case .timezone: "p.timezone <> ''"
            case .languages: "p.languages <> ''"
            case .availability: "(p.availability <> '' AND p.availability <> '[]')"
            case .department: "p.department <> ''"
            case .level: "p.level > 0"
            }
        }
        guard var condition = parts.first else { return "1 = 1" }
        for part in parts.dropFirst() { condition = condition + " AND " + part }
        return "(" + condition + ")"
    }
}
