import FluentKit
import Foundation
import SQLKit

/// A skill with its aliases and how many people teach (level ≥ 3) or want it.
public struct SkillSummary: Sendable, Equatable, Codable {
    public let id: UUID
    public let slug: String
    public let name: String
    public let family: String
    public let aliases: [String]
    public let teachers: Int
    public let learners: Int
}

/// One row of the skills map: where demand outruns the people who can teach.
public struct SkillDemand: Sendable, Equatable, Codable {
    public let skillID: UUID
    public let name: String
    public let family: String
    /// People with the skill at level 3 or more.
    public let teachers: Int
    /// People who want to learn it.
    public let learners: Int
    /// `learners - teachers`: positive where a workshop or outside help is needed.
    public var gap: Int { learners - teachers }
}

extension Store {
    /// The level from which someone counts as able to teach a skill on the skills map.
    public static let teachingLevel = 3

    /// The organisation's taxonomy, by family then name, with aliases and counts.
    public func skills(of identity: Identity) async throws -> [SkillSummary] {
        let db = try db()
        let skills = try await Skill.query(on: db).filter(\.$organisationID == identity.organisationID).all()
        let aliases = try await SkillAlias.query(on: db).filter(\.$organisationID == identity.organisationID).all()
        let demand = Dictionary(uniqueKeysWithValues: try await skillsMap(of: identity, includeEmpty: true).map { ($0.skillID, $0) })
        let aliasesBySkill = Dictionary(grouping: aliases, by: \.skillID)
        return try skills.map { skill in
            let id = try skill.requireID()
            return SkillSummary(
                id: id, slug: skill.slug, name: skill.name, family: skill.family,
                aliases: (aliasesBySkill[id] ?? []).map(\.slug).sorted(),
                teachers: demand[id]?.teachers ?? 0, learners: demand[id]?.learners ?? 0)
        }
        .sorted { ($0.family, $0.name.lowercased()) < ($1.family, $1.name.lowercased()) }
    }

    /// Adds a skill to the taxonomy. Refused when its name already means another skill.
    public func createSkill(name rawName: String, family rawFamily: String, by identity: Identity) async throws -> Skill {
        try requireRole(.admin, identity)
        let name = try InputRules.requiredText(rawName, field: "name", label: "the skill's name", maxLength: TextLimits.skillName)
        let family = try InputRules.requiredText(rawFamily, field: "family", label: "a family such as Technical or Leadership", maxLength: TextLimits.skillFamily)
        let slug = SkillResolver.slug(name)
        guard !slug.isEmpty else {
            throw StoreError.invalid(field: "name", message: "A skill's name needs at least one letter or digit.")
        }
        let skill = Skill(organisationID: identity.organisationID, slug: slug, name: name, family: family)
        try await transaction { transaction in
            // Checked and written under the organisation's lock: 50 admins adding "SQL" at once
            // make one skill, and the rest hear that it exists.
            try await Self.lockRows(Organisation.schema, where: "id", equals: identity.organisationID, on: transaction)
            let resolver = try await self.skillResolver(for: identity.organisationID, on: transaction)
            if let existing = resolver.existingSkillID(for: name) {
                throw StoreError.conflict(
                    field: "name", message: "\(name) already means the skill \(resolver.name(of: existing) ?? slug). Use that skill, or rename it.")
            }
            try await skill.create(on: transaction)
        }
        return skill
    }

    /// Makes `alias` another name for a skill, so imports and profiles that use it land on the skill.
    public func addAlias(_ alias: String, toSkill skillID: UUID, by identity: Identity) async throws {
        try requireRole(.admin, identity)
        let skill = try await scopedSkill(id: skillID, of: identity)
        let alias = try InputRules.optionalText(alias, field: "alias", label: "the alias", maxLength: TextLimits.skillName)
        let slug = SkillResolver.slug(alias)
        guard !slug.isEmpty else {
            throw StoreError.invalid(field: "alias", message: "An alias needs at least one letter or digit.")
        }
        let target = try skill.requireID()
        try await transaction { transaction in
            try await Self.lockRows(Organisation.schema, where: "id", equals: identity.organisationID, on: transaction)
            let resolver = try await self.skillResolver(for: identity.organisationID, on: transaction)
            if let existing = resolver.existingSkillID(for: alias) {
                if existing == skillID { return }
                throw StoreError.conflict(
                    field: "alias", message: "\(alias) already means \(resolver.name(of: existing) ?? "another skill"). Merge the two skills instead.")
            }
            try await SkillAlias(organisationID: identity.organisationID, skillID: target, slug: slug).create(on: transaction)
        }
    }

    /// Merges `sourceID` into `targetID`: every profile that used the source now has the target
    /// (keeping the higher level where a person had both), the source's name and aliases become
    /// aliases of the target, and the source is removed.
    public func mergeSkill(_ sourceID: UUID, into targetID: UUID, by identity: Identity) async throws {
        try requireRole(.admin, identity)
        let source = try await scopedSkill(id: sourceID, of: identity)
        _ = try await scopedSkill(id: targetID, of: identity)
        guard sourceID != targetID else {
            throw StoreError.invalid(field: "into", message: "Choose a different skill to merge into.")
        }
        let organisationID = identity.organisationID
        try await transaction { transaction in
            let moving = try await PersonSkill.query(on: transaction).filter(\.$skillID == sourceID).all()
            let existing = try await PersonSkill.query(on: transaction)
                .filter(\.$skillID == targetID)
                .filter(\.$personID ~~ moving.map(\.personID))
                .all()
            var kept: [String: PersonSkill] = [:]
            for row in existing { kept["\(row.personID)|\(row.kind.rawValue)"] = row }
            for row in moving {
                if let twin = kept["\(row.personID)|\(row.kind.rawValue)"] {
                    // A strength keeps the higher level; a want keeps the lower current level
                    // (the person is further from it) and the higher priority.
                    twin.level = row.kind == .strength ? max(twin.level, row.level) : min(twin.level, row.level)
                    twin.priority = max(twin.priority, row.priority)
                    try await twin.save(on: transaction)
                    try await row.delete(on: transaction)
                } else {
                    row.skillID = targetID
                    try await row.save(on: transaction)
                }
            }
            try await SkillAlias.query(on: transaction)
                .set(\.$skillID, to: targetID)
                .filter(\.$skillID == sourceID)
                .update()
            try await source.delete(on: transaction)
            try await SkillAlias(organisationID: organisationID, skillID: targetID, slug: source.slug).create(on: transaction)
        }
    }

    /// Per skill, how many can teach it and how many want it, biggest gap first.
    public func skillsMap(of identity: Identity, includeEmpty: Bool = false) async throws -> [SkillDemand] {
        let sql = try database.sql()
        let rows = try await sql.raw("""
            SELECT s.id AS id, s.name AS name, s.family AS family,
                   COALESCE(SUM(CASE WHEN ps.kind = 'strength' AND ps.level >= \(bind: Self.teachingLevel) THEN 1 ELSE 0 END), 0) AS teachers,
                   COALESCE(SUM(CASE WHEN ps.kind = 'want' THEN 1 ELSE 0 END), 0) AS learners
            FROM skills s LEFT JOIN person_skills ps ON ps.skill_id = s.id
            WHERE s.organisation_id = \(bind: identity.organisationID)
            GROUP BY s.id, s.name, s.family
            """).all()
        let demand = try rows.map { row in
            SkillDemand(
                skillID: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                family: try row.decode(column: "family", as: String.self), teachers: try row.decode(column: "teachers", as: Int.self),
                learners: try row.decode(column: "learners", as: Int.self))
        }
        return demand
            .filter { includeEmpty || $0.teachers + $0.learners > 0 }
            .sorted { ($1.gap, $0.name.lowercased()) < ($0.gap, $1.name.lowercased()) }
    }

    func scopedSkill(id: UUID, of identity: Identity) async throws -> Skill {
        guard let skill = try await Skill.query(on: db())
            .filter(\.$id == id)
            .filter(\.$organisationID == identity.organisationID)
            .first()
        else { throw StoreError.notFound(what: "skill") }
        return skill
    }
}
