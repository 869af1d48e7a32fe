import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Searches the caller's organisation's directory. Filters run in the database with the
    /// indexes of migration 003, so the first page stays fast at 100,000 people.
    public func searchPeople(_ query: DirectoryQuery, of identity: Identity) async throws -> DirectoryPage {
        let sql = try database.sql()
        let pageSize = min(max(query.pageSize, 1), 100)
        let page = max(query.page, 1)
        var notes: [String] = []
        var strengthSkill: UUID?
        var wantSkill: UUID?
        let needsResolver = !query.skill.trimmingCharacters(in: .whitespaces).isEmpty
            || !query.want.trimmingCharacters(in: .whitespaces).isEmpty
        if needsResolver {
            let resolver = try await skillResolver(for: identity.organisationID)
            if !query.skill.trimmingCharacters(in: .whitespaces).isEmpty {
                strengthSkill = resolver.existingSkillID(for: query.skill)
                if strengthSkill == nil { notes.append("No skill called \"\(query.skill)\" exists yet, so nobody has it.") }
            }
            if !query.want.trimmingCharacters(in: .whitespaces).isEmpty {
                wantSkill = resolver.existingSkillID(for: query.want)
                if wantSkill == nil { notes.append("No skill called \"\(query.want)\" exists yet, so nobody wants it.") }
            }
            if !notes.isEmpty {
                return DirectoryPage(entries: [], total: 0, page: page, pageSize: pageSize, notes: notes)
            }
        }

        func filtered(_ builder: SQLSelectBuilder) -> SQLSelectBuilder {
            builder.from(Person.schema).where("organisation_id", .equal, SQLBind(identity.organisationID))
            // Erased people (migration 031) stay only as "a former member" in others' history.
            builder.where(SQLQueryString("erased_at IS NULL"))
            let text = query.text.trimmingCharacters(in: .whitespaces).lowercased()
            if !text.isEmpty {
                let pattern = "%" + Self.escapeLike(text) + "%"
                builder.where(SQLQueryString("(LOWER(name) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(COALESCE(email, '')) LIKE \(bind: pattern) ESCAPE '\\')"))
            }
            let department = query.department.trimmingCharacters(in: .whitespaces)
            if !department.isEmpty { builder.where("department", .equal, SQLBind(department)) }
            if let level = query.level { builder.where("level", .equal, SQLBind(level)) }
            let zone = query.timeZone.trimmingCharacters(in: .whitespaces)
            if !zone.isEmpty { builder.where("timezone", .equal, SQLBind(zone)) }
            let language = query.language.trimmingCharacters(in: .whitespaces).lowercased()
            if !language.isEmpty {
                let pattern = "%;" + Self.escapeLike(language) + ";%"
                builder.where(SQLQueryString("(';' || LOWER(languages) || ';') LIKE \(bind: pattern) ESCAPE '\\'"))
            }
            if let strengthSkill {
                builder.where(SQLQueryString("""
                    EXISTS (SELECT 1 FROM person_skills ps WHERE ps.person_id = people.id AND ps.skill_id = \(bind: strengthSkill) \
                    AND ps.kind = 'strength' AND ps.level >= \(bind: max(1, min(5, query.minimumLevel))))
                    """))
            }
            if let wantSkill {
                builder.where(SQLQueryString("""
                    EXISTS (SELECT 1 FROM person_skills pw WHERE pw.person_id = people.id AND pw.skill_id = \(bind: wantSkill) AND pw.kind = 'want')
                    """))
            }
            return builder
        }

        let countRow = try await filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total")).first()
        let total = try countRow?.decode(column: "total", as: Int.self) ?? 0
        let rows = try await filtered(
            sql.select().columns("id", "external_id", "name", "department", "level", "timezone", "languages"))
            .orderBy("name").orderBy("id")
            .limit(pageSize).offset((page - 1) * pageSize)
            .all()
        struct Row: Decodable {
            let id: UUID
            let external_id: String
            let name: String
            let department: String
            let level: Int
            let timezone: String
            let languages: String
        }
        let people = try rows.map { try $0.decode(model: Row.self) }
        var skillsByPerson: [UUID: (strengths: [DirectoryEntry.Skill], wants: [DirectoryEntry.Skill])] = [:]
        if !people.isEmpty {
            let skillRows = try await sql.select()
                .column(SQLColumn("person_id", table: "ps")).column(SQLColumn("kind", table: "ps"))
                .column(SQLColumn("level", table: "ps")).column(SQLColumn("name", table: "s"))
                .from(SQLAlias(SQLIdentifier(PersonSkill.schema), as: SQLIdentifier("ps")))
                .join(SQLAlias(SQLIdentifier(Skill.schema), as: SQLIdentifier("s")), on: SQLColumn("skill_id", table: "ps"), .equal, SQLColumn("id", table: "s"))
                .where(SQLColumn("person_id", table: "ps"), .in, SQLBind.group(people.map(\.id)))
                .all()
            for row in skillRows {
                let personID = try row.decode(column: "person_id", as: UUID.self)
                let skill = DirectoryEntry.Skill(name: try row.decode(column: "name", as: String.self), level: try row.decode(column: "level", as: Int.self))
                if try row.decode(column: "kind", as: String.self) == PersonSkill.Kind.strength.rawValue {
                    skillsByPerson[personID, default: ([], [])].strengths.append(skill)
                } else {
                    skillsByPerson[personID, default: ([], [])].wants.append(skill)
                }
            }
        }
        let entries = people.map { person in
            let skills = skillsByPerson[person.id] ?? ([], [])
            return DirectoryEntry(
                id: person.id, externalID: person.external_id, name: person.name, department: person.department,
                level: person.level, timeZone: person.timezone, languages: Person.list(person.languages),
                strengths: skills.strengths.sorted { ($1.level, $0.name) < ($0.level, $1.name) },
                wants: skills.wants.sorted { $0.name < $1.name })
        }
        return DirectoryPage(entries: entries, total: total, page: page, pageSize: pageSize, notes: [])
    }

    /// The departments, time zones and languages in use, for the directory's filter menus.
    public func directoryFacets(of identity: Identity) async throws -> (departments: [String], timeZones: [String], languages: [String]) {
        let sql = try database.sql()
        func distinct(_ column: String) async throws -> [String] {
            try await sql.select().distinct().column(column).from(Person.schema)
                .where("organisation_id", .equal, SQLBind(identity.organisationID))
                .orderBy(column)
                .all()
                .map { try $0.decode(column: column, as: String.self) }
                .filter { !$0.isEmpty }
        }
        let languages = Set(try await distinct("languages").flatMap { Person.list($0) })
        return (try await distinct("department"), try await distinct("timezone"), languages.sorted())
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
