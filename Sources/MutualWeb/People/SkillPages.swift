import Foundation
import Hummingbird
import MutualStore

/// The skill taxonomy (everyone reads it, admins edit it) and the skills map for programme managers.
struct SkillPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/skills", role: .participant, showSkills)
        routes.member(.post, "/admin/skills", role: .admin, createSkill)
        routes.member(.post, "/admin/skills/:id/aliases", role: .admin, addAlias)
        routes.member(.post, "/admin/skills/:id/merge", role: .admin, merge)
        routes.member(.get, "/skills/map", role: .programmeManager, skillsMap)
    }

    struct SkillRow {
        let id: String, name: String, aliases: String, teachers: Int, learners: Int
        let mergeTargets: [MergeOption]
    }
    struct MergeOption { let id: String, name: String }
    struct FamilyGroup { let family: String, skills: [SkillRow] }
    struct SkillsPageModel {
        let page: PageChrome
        let families: [FamilyGroup]
        let isAdmin: Bool
        let skillCount: Int
        var status = "", error = ""
    }

    private func model(_ context: SignedInContext, status: String = "", error: String = "") async throws -> SkillsPageModel {
        let skills = try await store.skills(of: context.identity)
        let isAdmin = context.identity.role >= .admin
        let targets = skills.map { MergeOption(id: $0.id.uuidString, name: $0.name) }.sorted { $0.name.lowercased() < $1.name.lowercased() }
        let families = Dictionary(grouping: skills, by: \.family).sorted { $0.key < $1.key }.map { family, skills in
            FamilyGroup(
                family: family,
                skills: skills.map { skill in
                    SkillRow(
                        id: skill.id.uuidString, name: skill.name, aliases: skill.aliases.joined(separator: ", "),
                        teachers: skill.teachers, learners: skill.learners,
                        mergeTargets: isAdmin ? targets.filter { $0.id != skill.id.uuidString } : [])
                })
        }
        var model = SkillsPageModel(
            page: pages.chrome(title: "Skills", context: context, current: "skills"), families: families, isAdmin: isAdmin,
            skillCount: skills.count)
        model.status = status
        model.error = error
        return model
    }

    @Sendable func showSkills(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("skills", try await model(context))
    }

    private func attempt(_ context: SignedInContext, success: String, _ action: () async throws -> Void) async throws -> Response {
        do {
            try await action()
            return try pages.render("skills", try await model(context, status: success))
        } catch let error as StoreError {
            switch error {
            case .invalid, .conflict:
                return try pages.render("skills", try await model(context, error: error.errorDescription ?? ""), status: APIProblem(error).status)
            default: throw error
            }
        }
    }

    @Sendable func createSkill(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let name = context.form["name"] ?? ""
        return try await attempt(context, success: "Added \(name).") {
            _ = try await store.createSkill(name: name, family: context.form["family"] ?? "", by: context.identity)
        }
    }

    @Sendable func addAlias(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "skill")
        let alias = context.form["alias"] ?? ""
        return try await attempt(context, success: "\(alias) now means the same skill.") {
            try await store.addAlias(alias, toSkill: id, by: context.identity)
        }
    }

    @Sendable func merge(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "skill")
        guard let target = UUID(uuidString: context.form["into"] ?? "") else {
            return try pages.render("skills", try await model(context, error: "Choose the skill to merge into."), status: .unprocessableContent)
        }
        return try await attempt(context, success: "Merged. Every profile that had the old skill now has the new one.") {
            try await store.mergeSkill(id, into: target, by: context.identity)
        }
    }

    // MARK: Skills map

    struct MapRow { let name: String, family: String, teachers: Int, learners: Int, gap: Int, gapPositive: Bool }
    struct MapPageModel {
        let page: PageChrome
        let chart: String
        let rows: [MapRow]
        let hasRows: Bool
        let teacherLevel: Int
    }

    @Sendable func skillsMap(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let demand = try await store.skillsMap(of: context.identity)
        return try pages.render(
            "skills-map",
            MapPageModel(
                page: pages.chrome(title: "Skills map", context: context, current: "map"),
                chart: SkillsMapChart.svg(for: Array(demand.prefix(15))),
                rows: demand.map {
                    MapRow(name: $0.name, family: $0.family, teachers: $0.teachers, learners: $0.learners, gap: $0.gap, gapPositive: $0.gap > 0)
                },
                hasRows: !demand.isEmpty, teacherLevel: Store.teachingLevel))
    }
}
