import FluentKit
import Foundation

extension Store {
    /// Most milestone templates one programme has.
    public static let milestoneTemplateLimit = 20

    /// A programme's milestone templates, in order.
    func milestoneTemplates(ofProgramme id: UUID, on database: any Database) async throws -> [MilestoneTemplateDraft] {
        try await ProgrammeMilestoneTemplate.query(on: database).filter(\.$programmeID == id).sort(\.$position).all()
            .map { MilestoneTemplateDraft(title: $0.title, dueAfter: $0.dueAfter, unit: $0.unit) }
    }

    /// Replaces a programme's milestone templates. Relationships already open keep the
    /// milestones they got; the new templates apply to relationships that open from now on.
    static func replaceMilestoneTemplates(of programme: Programme, with templates: [MilestoneTemplateDraft], on database: any Database) async throws {
        let id = try programme.requireID()
        try await ProgrammeMilestoneTemplate.query(on: database).filter(\.$programmeID == id).delete()
        for (position, draft) in templates.enumerated() {
            let template = ProgrammeMilestoneTemplate()
            template.organisationID = programme.organisationID
            template.programmeID = id
            template.position = position
            template.title = draft.title
            template.dueAfter = draft.dueAfter
            template.unit = draft.unit
            try await template.create(on: database)
        }
    }

    /// Checks and tidies templates; each message names the template and what to change.
    static func validated(_ templates: [MilestoneTemplateDraft]) throws -> [MilestoneTemplateDraft] {
        let field = MilestoneTemplateLines.field
        guard templates.count <= milestoneTemplateLimit else {
            throw StoreError.invalid(
                field: field, message: "A programme can have at most \(milestoneTemplateLimit) milestone templates; there are \(templates.count). Merge or remove some.")
        }
        return try templates.enumerated().map { index, template in
            let title = try InputRules.requiredText(
                template.title, field: "\(field)[\(index)].title", label: "the name of milestone template \(index + 1)", maxLength: TextLimits.goalTitle)
            guard (0...template.unit.limit).contains(template.dueAfter) else {
                throw StoreError.invalid(
                    field: "\(field)[\(index)].due_after",
                    message: "Milestone template \(index + 1) (\(title)) is due \(template.unit.describe(template.dueAfter)) after the match; use 0 to \(template.unit.limit) \(template.unit.rawValue) (at most two years).")
            }
            return MilestoneTemplateDraft(title: title, dueAfter: template.dueAfter, unit: template.unit)
        }
    }
}
