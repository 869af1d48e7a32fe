import Foundation
import Hummingbird
import MutualStore

/// The Goals section's forms on the relationship page: add, change and remove goals and
/// milestones, set progress and mark things done. Each form answers with a redirect back to the
/// goal on the relationship page, or that page with what to fix (422).
struct GoalPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.post, "/relationships/:id/goals", role: .participant, addGoal)
        routes.member(.post, "/relationships/:id/milestones", role: .participant, addSharedMilestone)
        routes.member(.post, "/goals/:id", role: .participant, changeGoal)
        routes.member(.post, "/goals/:id/remove", role: .participant, removeGoal)
        routes.member(.post, "/goals/:id/milestones", role: .participant, addMilestone)
        routes.member(.post, "/milestones/:id", role: .participant, changeMilestone)
        routes.member(.post, "/milestones/:id/remove", role: .participant, removeMilestone)
    }

    @Sendable func addGoal(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        _ = try await store.relationship(id: id, of: context.identity)
        let draft = GoalDraft(title: context.form["title"] ?? "", dueOn: context.form["due_on"] ?? "")
        return try await perform(context, relationshipID: id) {
            let goal = try await store.addGoal(to: id, draft, by: context.identity)
            return "goal-\(goal.id.uuidString)"
        }
    }

    @Sendable func addSharedMilestone(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        _ = try await store.relationship(id: id, of: context.identity)
        let draft = MilestoneDraft(title: context.form["title"] ?? "", dueOn: context.form["due_on"] ?? "")
        return try await perform(context, relationshipID: id) {
            let milestone = try await store.addMilestone(toRelationship: id, draft, by: context.identity)
            return "milestone-\(milestone.id.uuidString)"
        }
    }

    @Sendable func changeGoal(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "goal")
        let goal = try await store.goal(id: id, of: context.identity)
        let form = context.form
        return try await perform(context, relationshipID: goal.relationshipID) {
            var change = GoalChange(title: form["title"], dueOn: form["due_on"])
            if let progress = form["progress"] {
                guard let value = Int(progress.trimmingCharacters(in: .whitespaces)) else {
                    throw StoreError.invalid(field: "progress", message: "Progress is a percentage: a whole number from 0 to 100.")
                }
                change.progress = value
            }
            if let status = form["status"] {
                guard let value = Goal.Status(rawValue: status) else {
                    throw StoreError.invalid(field: "status", message: "A goal is either open or done; choose one of them.")
                }
                change.status = value
            }
            _ = try await store.changeGoal(id: id, change, by: context.identity)
            return "goal-\(id.uuidString)"
        }
    }

    @Sendable func removeGoal(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "goal")
        let goal = try await store.goal(id: id, of: context.identity)
        return try await perform(context, relationshipID: goal.relationshipID) {
            try await store.removeGoal(id: id, by: context.identity)
            return "goals-section"
        }
    }

    @Sendable func addMilestone(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "goal")
        let goal = try await store.goal(id: id, of: context.identity)
        let draft = MilestoneDraft(title: context.form["title"] ?? "", dueOn: context.form["due_on"] ?? "")
        return try await perform(context, relationshipID: goal.relationshipID) {
            let milestone = try await store.addMilestone(toGoal: id, draft, by: context.identity)
            return "milestone-\(milestone.id.uuidString)"
        }
    }

    @Sendable func changeMilestone(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "milestone")
        let milestone = try await store.milestone(id: id, of: context.identity)
        let form = context.form
        return try await perform(context, relationshipID: milestone.relationshipID) {
            var change = MilestoneChange(title: form["title"], dueOn: form["due_on"])
            if let done = form["done"] {
                guard done == "true" || done == "false" else {
                    throw StoreError.invalid(field: "done", message: "Say whether the milestone is done: true or false.")
                }
                change.done = done == "true"
            }
            _ = try await store.changeMilestone(id: id, change, by: context.identity)
            return "milestone-\(id.uuidString)"
        }
    }

    @Sendable func removeMilestone(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "milestone")
        let milestone = try await store.milestone(id: id, of: context.identity)
        return try await perform(context, relationshipID: milestone.relationshipID) {
            try await store.removeMilestone(id: id, by: context.identity)
            return "goals-section"
        }
    }

    /// Runs a change and goes back to the place on the relationship page it concerns (the
    /// anchor it returns), so on a phone the next tap is where the last one was; a problem with
    /// what was typed shows the page with the message.
    private func perform(_ context: SignedInContext, relationshipID: UUID, _ change: () async throws -> String) async throws -> Response {
        let anchor: String
        do {
            anchor = try await change()
        } catch let error as StoreError where error.isInputProblem {
            var model = try await RelationshipPages(store: store, pages: pages).model(context, id: relationshipID)
            model.error = error.errorDescription ?? ""
            return try pages.render("relationship", model, status: APIProblem(error).status)
        }
        return .redirect(to: "/relationships/\(relationshipID.uuidString)#\(anchor)", type: .normal)
    }
}
