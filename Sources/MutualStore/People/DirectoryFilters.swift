import Foundation
import SQLKit

/// A directory search's filters, resolved (skills to ids) and written once as the SQL condition
/// that the page and its count share.
struct DirectoryFilters {
    let organisationID: UUID
    let text: String
    let department: String
    let level: Int?
    let timeZone: String
    let language: String
    let strengthSkill: UUID?
    let minimumLevel: Int
    let wantSkill: UUID?

    init(query: DirectoryQuery, organisationID: UUID, strengthSkill: UUID?, wantSkill: UUID?) {
        self.organisationID = organisationID
        text = query.text.trimmingCharacters(in: .whitespaces).lowercased()
        department = query.department.trimmingCharacters(in: .whitespaces)
        level = query.level
        timeZone = query.timeZone.trimmingCharacters(in: .whitespaces)
        language = query.language.trimmingCharacters(in: .whitespaces).lowercased()
        self.strengthSkill = strengthSkill
        minimumLevel = max(1, min(5, query.minimumLevel))
        self.wantSkill = wantSkill
    }

    /// Whether anything narrows the organisation's people.
    var isFiltered: Bool {
        !text.isEmpty || !department.isEmpty || level != nil || !timeZone.isEmpty || !language.isEmpty
            || strengthSkill != nil || wantSkill != nil
    }

    /// Exactly one skill filter (a strength or a want) and nothing else: counted from its postings.
    var isOnlyOneSkill: Bool {
        text.isEmpty && department.isEmpty && level == nil && timeZone.isEmpty && language.isEmpty
            && (strengthSkill == nil) != (wantSkill == nil)
    }

    /// The condition on `people`. `drivenBySkill` (SQLite only) writes the organisation test as
    /// `+people.organisation_id`, which SQLite cannot use an index for, so that it starts from
    /// the strength's holders (an `IN` list) rather than walking the whole name index.
    func condition(drivenBySkill: Bool) -> SQLQueryString {
        var condition: SQLQueryString = drivenBySkill
            ? "+people.organisation_id = \(bind: organisationID)"
            : "people.organisation_id = \(bind: organisationID)"
        // Erased people (migration 031) stay only as "a former member" in others' history.
        condition = condition + " AND people.erased_at IS NULL"
        if !text.isEmpty {
            let pattern = "%" + Store.escapeLike(text) + "%"
            condition = condition + SQLQueryString(
                " AND (LOWER(people.name) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(COALESCE(people.email, '')) LIKE \(bind: pattern) ESCAPE '\\')")
        }
        if !department.isEmpty { condition = condition + SQLQueryString(" AND people.department = \(bind: department)") }
        if let level { condition = condition + SQLQueryString(" AND people.level = \(bind: level)") }
        if !timeZone.isEmpty { condition = condition + SQLQueryString(" AND people.timezone = \(bind: timeZone)") }
        if !language.isEmpty {
            let pattern = "%;" + Store.escapeLike(language) + ";%"
            condition = condition + SQLQueryString(" AND (';' || LOWER(people.languages) || ';') LIKE \(bind: pattern) ESCAPE '\\'")
        }
        if let strengthSkill {
            if drivenBySkill {
                condition = condition + SQLQueryString("""
                     AND people.id IN (SELECT ps.person_id FROM person_skills ps WHERE ps.skill_id = \(bind: strengthSkill) \
                    AND ps.kind = 'strength' AND ps.level >= \(bind: minimumLevel))
                    """)
            } else {
                condition = condition + SQLQueryString("""
                     AND EXISTS (SELECT 1 FROM person_skills ps WHERE ps.person_id = people.id AND ps.skill_id = \(bind: strengthSkill) \
                    AND ps.kind = 'strength' AND ps.level >= \(bind: minimumLevel))
                    """)
            }
        }
        if let wantSkill {
            condition = condition + SQLQueryString("""
                 AND EXISTS (SELECT 1 FROM person_skills pw WHERE pw.person_id = people.id AND pw.skill_id = \(bind: wantSkill) AND pw.kind = 'want')
                """)
        }
        return condition
    }
}
