import FluentKit
import SQLKit
import Foundation
import MutualMatching

/// Turns free text ("Public Speaking", "public-speaking", "js") into one of an organisation's
/// skills: by canonical slug first, then by alias. Loads the taxonomy once, so an import of
/// 100,000 rows does not query per cell. Meant for one unit of work at a time; the lock only
/// keeps its tables consistent when that work hops between threads.
public final class SkillResolver: @unchecked Sendable {
    private let lock = NSLock()
    public let organisationID: UUID
    private var bySlug: [String: UUID]
    private var names: [UUID: String]
    /// Skills created by this resolver (unknown names met while `create` was true).
    public private(set) var created: [Skill] = []

    /// The family new, unknown skills get until an admin files them.
    public static let uncategorised = "Uncategorised"

    init(organisationID: UUID, skills: [Skill], aliases: [SkillAlias]) {
        self.organisationID = organisationID
        var bySlug: [String: UUID] = [:]
        var names: [UUID: String] = [:]
        for skill in skills {
            guard let id = skill.id else { continue }
            bySlug[skill.slug] = id
            names[id] = skill.name
        }
        for alias in aliases where bySlug[alias.slug] == nil {
            bySlug[alias.slug] = alias.skillID
        }
        self.bySlug = bySlug
        self.names = names
    }

    /// The normalised form every name is compared in.
    public static func slug(_ text: String) -> String { SkillSlug.make(text) }

    /// The skill `text` names, if the taxonomy knows it.
    public func existingSkillID(for text: String) -> UUID? {
        let slug = Self.slug(text)
        return lock.withLock { bySlug[slug] }
    }

    /// The skill `text` names, creating it (family "Uncategorised", name as typed) when unknown.
    /// Returns nil for text with no letters or digits.
    public func skillID(for text: String, on database: any Database) async throws -> UUID? {
        let slug = Self.slug(text)
        guard !slug.isEmpty else { return nil }
        if let id = lock.withLock({ bySlug[slug] }) { return id }
        let skill = Skill(
            id: UUID(), organisationID: organisationID, slug: slug, name: Self.displayName(text), family: Self.uncategorised)
        // Another request may add the same new skill between this resolver's load and now (two
        // profiles naming "Rust" at once). Insert only when absent, then use whichever row won:
        // a plain insert would fail the unique index and, on PostgreSQL, the whole transaction.
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        try await sql.insert(into: Skill.schema)
            .columns("id", "organisation_id", "slug", "name", "family")
            .values(SQLBind(skill.id), SQLBind(organisationID), SQLBind(slug), SQLBind(skill.name), SQLBind(skill.family))
            .ignoringConflicts(with: ["organisation_id", "slug"])
            .run()
        guard let stored = try await Skill.query(on: database)
            .filter(\.$organisationID == organisationID).filter(\.$slug == slug).first()
        else { throw StoreError.unavailable }
        let id = try stored.requireID()
        lock.withLock {
            bySlug[slug] = id
            names[id] = stored.name
            if id == skill.id { created.append(stored) }
        }
        return id
    }

    /// The display name of a skill id known to this resolver.
    public func name(of id: UUID) -> String? { lock.withLock { names[id] } }

    /// "public speaking" → "Public speaking"; text already capitalised is kept as typed.
    static func displayName(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let first = trimmed.first, first.isLowercase else { return trimmed }
        return first.uppercased() + trimmed.dropFirst()
    }
}

extension Store {
    /// A resolver over the organisation's current skills and aliases.
    public func skillResolver(for organisationID: UUID, on database: (any Database)? = nil) async throws -> SkillResolver {
        let database = try database ?? db()
        let skills = try await Skill.query(on: database).filter(\.$organisationID == organisationID).all()
        let aliases = try await SkillAlias.query(on: database).filter(\.$organisationID == organisationID).all()
        return SkillResolver(organisationID: organisationID, skills: skills, aliases: aliases)
    }
}
