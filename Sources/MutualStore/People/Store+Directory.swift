import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Searches the caller's organisation's directory, a page at a time by name (keyset paged:
    /// `after` is the previous page's `next`). Filters run in the database with the indexes of
    /// migrations 003 and 034. A page costs about the same whatever the organisation's size: the
    /// rows are found through the name index and stop at the page's end, only the columns shown
    /// are read, and the total is counted only where an index can count it (see ``DirectoryPage``).
    public func searchPeople(_ query: DirectoryQuery, of identity: Identity) async throws -> DirectoryPage {
        let sql = try database.sql()
        let pageSize = min(max(query.pageSize, 1), 100)
        let cursor = try query.after.flatMap { $0.isEmpty ? nil : try KeysetCursor(decoding: $0) }
        // The old `page` parameter: read by offset, for one release.
        let page = cursor == nil ? max(query.page, 1) : 1
        var notes: [String] = []
        var strengthSkill: UUID?
        var wantSkill: UUID?
        let skillText = query.skill.trimmingCharacters(in: .whitespaces)
        let wantText = query.want.trimmingCharacters(in: .whitespaces)
        if !skillText.isEmpty || !wantText.isEmpty {
            let resolver = try await skillResolver(for: identity.organisationID)
            if !skillText.isEmpty {
                strengthSkill = resolver.existingSkillID(for: query.skill)
                if strengthSkill == nil { notes.append("No skill called \"\(query.skill)\" exists yet, so nobody has it.") }
            }
            if !wantText.isEmpty {
                wantSkill = resolver.existingSkillID(for: query.want)
                if wantSkill == nil { notes.append("No skill called \"\(query.want)\" exists yet, so nobody wants it.") }
            }
            if !notes.isEmpty {
                return DirectoryPage(entries: [], total: 0, next: nil, page: page, pageSize: pageSize, notes: notes)
            }
        }
        let filters = DirectoryFilters(
            query: query, organisationID: identity.organisationID, strengthSkill: strengthSkill, wantSkill: wantSkill)
        let count = try await directoryCount(filters, on: sql)

        // SQLite walks the name index and probes each person's skills; for a skill few people
        // have, it would probe the whole organisation before filling a page, so such a search
        // starts from the skill's holders instead (the `+` keeps SQLite off the name index).
        // PostgreSQL's planner makes that choice itself.
        let rare = !database.location.isPostgres && filters.strengthSkill != nil
            && (count.strengthHolders ?? Int.max) < Self.rareSkillHolders
        var condition = filters.condition(drivenBySkill: rare)
        if let cursor {
            condition = condition + SQLQueryString(
                " AND (people.name > \(bind: cursor.key) OR (people.name = \(bind: cursor.key) AND people.id > \(bind: cursor.id)))")
        }
        var pageQuery: SQLQueryString = """
            SELECT id, external_id, name, department, level, timezone, languages FROM people \
            WHERE \(condition) ORDER BY name, id LIMIT \(literal: pageSize + 1)
            """
        if cursor == nil && page > 1 { pageQuery = pageQuery + SQLQueryString(" OFFSET \(literal: (page - 1) * pageSize)") }
        struct Row: Decodable {
            let id: UUID
            let external_id: String
            let name: String
            let department: String
            let level: Int
            let timezone: String
            let languages: String
        }
        let rows = try await sql.raw(pageQuery).all().map { try $0.decode(model: Row.self) }
        let people = Array(rows.prefix(pageSize))
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
        let next = rows.count > pageSize ? people.last.map { KeysetCursor(key: $0.name, id: $0.id).encoded } : nil
        return DirectoryPage(
            entries: entries, total: count.exact, totalEstimate: count.estimate, next: next, page: page, pageSize: pageSize, notes: [])
    }

    /// Below this many holders of a skill, a search by that skill starts from its holders (SQLite).
    static let rareSkillHolders = 2_000
    /// Up to this many matches a filtered search is counted exactly (the count stops there).
    static let exactCountLimit = 1_000

    /// How many people a search finds, at the cost of index reads:
    /// - no filter: `COUNT(*)` over (organisation, erased_at), migration 034's index alone;
    /// - a skill alone (strength or want): its holders counted in person_skills' (organisation,
    ///   kind, skill, level) index, less the erased people among them (erased people keep their
    ///   skills as anonymous rows);
    /// - otherwise: counted up to ``exactCountLimit`` and, beyond it, estimated from each
    ///   filter's own count as if the filters were independent.
    private func directoryCount(_ filters: DirectoryFilters, on sql: any SQLDatabase) async throws -> DirectoryCount {
        let organisation = filters.organisationID
        func number(_ query: SQLQueryString) async throws -> Int {
            try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        /// A want has no level (it is stored as 0), so wants are counted from level 0.
        func holders(_ skill: UUID, kind: String, minimumLevel: Int) async throws -> Int {
            let postings = try await number("""
                SELECT COUNT(*) AS n FROM person_skills WHERE organisation_id = \(bind: organisation) \
                AND kind = \(bind: kind) AND skill_id = \(bind: skill) AND level >= \(bind: minimumLevel)
                """)
            // `CROSS JOIN` keeps SQLite's join order: the few erased people first (migration 034's
            // index), then their skills. Joined the other way, SQLite started from the skill's
            // 9,867 holders and looked each one up (about 40 ms at 100,000 people). PostgreSQL
            // plans it either way.
            let erased = try await number("""
                SELECT COUNT(*) AS n FROM people p CROSS JOIN person_skills ps \
                WHERE ps.person_id = p.id AND p.organisation_id = \(bind: organisation) AND p.erased_at IS NOT NULL \
                AND ps.kind = \(bind: kind) AND ps.skill_id = \(bind: skill) AND ps.level >= \(bind: minimumLevel)
                """)
            return postings - erased
        }
        // Each count runs only where its answer is used: everyone for no filter (and the
        // estimate), a skill's holders for that skill alone, the rare-skill choice and the estimate.
        func countEveryone() async throws -> Int {
            try await number("SELECT COUNT(*) AS n FROM people WHERE organisation_id = \(bind: organisation) AND erased_at IS NULL")
        }
        if !filters.isFiltered { return DirectoryCount(exact: try await countEveryone(), estimate: nil, strengthHolders: nil) }
        let strengthHolders = try await filters.strengthSkill.asyncMap {
            try await holders($0, kind: PersonSkill.Kind.strength.rawValue, minimumLevel: filters.minimumLevel)
        }
        func countWantHolders() async throws -> Int? {
            try await filters.wantSkill.asyncMap { try await holders($0, kind: PersonSkill.Kind.want.rawValue, minimumLevel: 0) }
        }
        if filters.isOnlyOneSkill {
            let exact = strengthHolders != nil ? strengthHolders : try await countWantHolders()
            return DirectoryCount(exact: exact, estimate: nil, strengthHolders: strengthHolders)
        }
        let capped = try await number(
            "SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM people WHERE \(filters.condition(drivenBySkill: false)) LIMIT \(literal: Self.exactCountLimit + 1)) c")
        if capped <= Self.exactCountLimit { return DirectoryCount(exact: capped, estimate: nil, strengthHolders: strengthHolders) }
        let everyone = try await countEveryone()
        let wantHolders = try await countWantHolders()

        // Beyond the limit: each indexed filter's share of everyone, multiplied.
        var share = 1.0
        let base = Double(max(everyone, 1))
        for holders in [strengthHolders, wantHolders].compactMap({ $0 }) { share *= Double(holders) / base }
        func indexed(_ column: String, _ value: SQLQueryString) async throws {
            let n = try await number("SELECT COUNT(*) AS n FROM people WHERE organisation_id = \(bind: organisation) AND \(unsafeRaw: column) = \(value)")
            share *= Double(n) / base
        }
        if !filters.department.isEmpty { try await indexed("department", "\(bind: filters.department)") }
        if let level = filters.level { try await indexed("level", "\(bind: level)") }
        if !filters.timeZone.isEmpty { try await indexed("timezone", "\(bind: filters.timeZone)") }
        let estimate = max(Self.exactCountLimit + 1, Self.twoSignificantFigures(share * Double(everyone)))
        return DirectoryCount(exact: nil, estimate: min(estimate, everyone), strengthHolders: strengthHolders)
    }

    static func twoSignificantFigures(_ value: Double) -> Int {
        guard value >= 100 else { return Int(value.rounded()) }
        let scale = pow(10, floor(log10(value)) - 1)
        return Int((value / scale).rounded() * scale)
    }

    /// The departments, time zones and languages in use, for the directory's filter menus: read
    /// once per ``DirectoryFacetCache/lifetime`` per organisation (writes here forget them).
    public func directoryFacets(of identity: Identity) async throws -> DirectoryFacets {
        let now = clock.now
        if let cached = directoryFacetCache.facets(of: identity.organisationID, at: now) { return cached }
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
        let facets = DirectoryFacets(departments: try await distinct("department"), timeZones: try await distinct("timezone"), languages: languages.sorted())
        directoryFacetCache.remember(facets, of: identity.organisationID, at: now)
        return facets
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}

/// What a directory count found: exact or estimated, and how many hold the searched strength.
private struct DirectoryCount {
    let exact: Int?
    let estimate: Int?
    let strengthHolders: Int?
}
