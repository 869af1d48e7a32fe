import Foundation
import MutualStore

/// The relationship page's Goals section (`relationship-goals.mustache`): every member's goals
/// with progress and milestones, the relationship's shared milestones, and for members the
/// one-tap forms (progress steps, mark done) and the add/edit/remove forms.
struct GoalsSection {
    struct ProgressStep { let value: Int, current: Bool }
    struct MilestoneRow {
        let id: String, title: String, dueOn: String, done: Bool, doneOn: String, overdue: Bool, canWrite: Bool
        /// What the done button sends: the opposite of now.
        let toggle: String
    }
    struct GoalRow {
        let id: String, owner: String, title: String, dueOn: String, progress: Int, done: Bool, completedOn: String, canWrite: Bool
        let steps: [ProgressStep]
        let milestones: [MilestoneRow], hasMilestones: Bool, milestoneSummary: String
    }

    let relationshipID: String
    /// The viewer is a member and the relationship is open.
    let canWrite: Bool
    let goals: [GoalRow], hasGoals: Bool
    let shared: [MilestoneRow], hasShared: Bool
    /// "3 of 5 milestones done, 1 overdue", over the whole relationship.
    let summary: String

    /// The progress a member can set with one tap.
    static let steps = [0, 25, 50, 75, 100]

    static func make(_ goals: RelationshipGoals) -> GoalsSection {
        let rows = goals.goals.map { goal in
            let done = goal.milestones.filter(\.isDone).count
            return GoalRow(
                id: goal.id.uuidString, owner: goal.ownerName, title: goal.title, dueOn: goal.dueOn ?? "", progress: goal.progress,
                done: goal.status == .done, completedOn: goal.completedAt.map(GoalDates.text) ?? "", canWrite: goal.viewerCanWrite,
                steps: steps.map { ProgressStep(value: $0, current: $0 == goal.progress) },
                milestones: goal.milestones.map(row), hasMilestones: !goal.milestones.isEmpty,
                milestoneSummary: goal.milestones.isEmpty ? "" : "\(done) of \(goal.milestones.count) milestones done")
        }
        let all = goals.sharedMilestones + goals.goals.flatMap(\.milestones)
        let overdue = all.filter(\.isOverdue).count
        let summary =
            all.isEmpty ? "" : "\(all.filter(\.isDone).count) of \(all.count) milestones done" + (overdue > 0 ? ", \(overdue) overdue." : ".")
        return GoalsSection(
            relationshipID: goals.relationshipID.uuidString, canWrite: goals.viewerIsMember && goals.isOpen, goals: rows, hasGoals: !rows.isEmpty,
            shared: goals.sharedMilestones.map(row), hasShared: !goals.sharedMilestones.isEmpty, summary: summary)
    }

    static func row(_ milestone: MilestoneView) -> MilestoneRow {
        MilestoneRow(
            id: milestone.id.uuidString, title: milestone.title, dueOn: milestone.dueOn, done: milestone.isDone,
            doneOn: milestone.doneAt.map(GoalDates.text) ?? "", overdue: milestone.isOverdue, canWrite: milestone.viewerCanWrite,
            toggle: milestone.isDone ? "false" : "true")
    }
}
