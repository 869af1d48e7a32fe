import Foundation
import Hummingbird
import MutualStore

/// `/api/v1/relationships/{id}/goals`, `/api/v1/goals`, `/api/v1/milestones` and a programme's
/// milestone totals (`/api/v1/programmes/{id}/milestones`).
struct GoalsAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/relationships/:id/goals", role: .participant, list)
        routes.api(.post, "/api/v1/relationships/:id/goals", role: .participant, reads: GoalRequest.self, status: .created, addGoal)
        routes.api(.post, "/api/v1/relationships/:id/milestones", role: .participant, reads: MilestoneRequest.self, status: .created, addShared)
        routes.api(.get, "/api/v1/goals/:id", role: .participant, getGoal)
        routes.api(.patch, "/api/v1/goals/:id", role: .participant, reads: GoalPatch.self, changeGoal)
        routes.api(.delete, "/api/v1/goals/:id", role: .participant, removeGoal)
        routes.api(.post, "/api/v1/goals/:id/done", role: .participant, completeGoal)
        routes.api(.post, "/api/v1/goals/:id/milestones", role: .participant, reads: MilestoneRequest.self, status: .created, addMilestone)
        routes.api(.get, "/api/v1/milestones/:id", role: .participant, getMilestone)
        routes.api(.patch, "/api/v1/milestones/:id", role: .participant, reads: MilestonePatch.self, changeMilestone)
        routes.api(.delete, "/api/v1/milestones/:id", role: .participant, removeMilestone)
        routes.api(.post, "/api/v1/milestones/:id/done", role: .participant, completeMilestone)
        routes.api(.get, "/api/v1/programmes/:id/milestones", role: .programmeManager, totals)
    }

    // MARK: Shapes

    struct GoalRequest: APIBody {
        let title: String
        /// `YYYY-MM-DD`.
        let dueOn: String?
        let progress: Int?
        static var example: GoalRequest { GoalRequest(title: "Run a structured interview", dueOn: "2027-03-31", progress: 10) }
    }
    /// A field left out stays as it is; `due_on: ""` removes the due date.
    struct GoalPatch: APIBody {
        let title: String?
        let dueOn: String?
        let progress: Int?
        let status: Goal.Status?
        static var example: GoalPatch { GoalPatch(title: "Run two structured interviews", dueOn: "2027-04-30", progress: 50, status: .open) }
    }
    struct MilestoneRequest: APIBody {
        let title: String
        /// `YYYY-MM-DD`.
        let dueOn: String
        static var example: MilestoneRequest { MilestoneRequest(title: "First mock interview", dueOn: "2027-02-15") }
    }
    /// A field left out stays as it is; `done: true` marks it done (once), `false` opens it again.
    struct MilestonePatch: APIBody {
        let title: String?
        let dueOn: String?
        let done: Bool?
        static var example: MilestonePatch { MilestonePatch(title: "Second mock interview", dueOn: "2027-03-01", done: true) }
    }
    struct MilestoneBody: APIBody {
        let id: UUID, relationshipId: UUID, goalId: UUID?, title: String, dueOn: String, done: Bool, doneAt: Date?, overdue: Bool
        static var example: MilestoneBody {
            MilestoneBody(
                id: UUID(), relationshipId: UUID(), goalId: UUID(), title: "First mock interview", dueOn: "2027-02-15", done: true, doneAt: Date(),
                overdue: false)
        }
    }
    struct GoalBody: APIBody {
        let id: UUID, relationshipId: UUID, personId: UUID, owner: String, title: String, dueOn: String?, progress: Int, status: Goal.Status
        let createdAt: Date, completedAt: Date?, milestones: [MilestoneBody]
        static var example: GoalBody {
            GoalBody(
                id: UUID(), relationshipId: UUID(), personId: UUID(), owner: "Ana Silva", title: "Run a structured interview", dueOn: "2027-03-31",
                progress: 50, status: .open, createdAt: Date(), completedAt: Date(), milestones: [.example])
        }
    }
    struct GoalsBody: APIBody {
        /// Every member's goals with their milestones.
        let goals: [GoalBody]
        /// Milestones of the whole relationship (the programme's templates, and those members add).
        let milestones: [MilestoneBody]
        static var example: GoalsBody { GoalsBody(goals: [.example], milestones: [.example]) }
    }
    struct TotalsBody: APIBody {
        let completed: Int, total: Int, overdue: Int
        static var example: TotalsBody { TotalsBody(completed: 12, total: 40, overdue: 3) }
    }

    static func body(_ milestone: MilestoneView) -> MilestoneBody {
        MilestoneBody(
            id: milestone.id, relationshipId: milestone.relationshipID, goalId: milestone.goalID, title: milestone.title, dueOn: milestone.dueOn,
            done: milestone.isDone, doneAt: milestone.doneAt, overdue: milestone.isOverdue)
    }

    static func body(_ goal: GoalView) -> GoalBody {
        GoalBody(
            id: goal.id, relationshipId: goal.relationshipID, personId: goal.personID, owner: goal.ownerName, title: goal.title, dueOn: goal.dueOn,
            progress: goal.progress, status: goal.status, createdAt: goal.createdAt, completedAt: goal.completedAt,
            milestones: goal.milestones.map(body))
    }

    // MARK: Handlers

    @Sendable func list(_ request: Request, _ context: SignedInContext) async throws -> GoalsBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        let goals = try await store.goals(inRelationship: id, of: context.identity)
        return GoalsBody(goals: goals.goals.map(Self.body), milestones: goals.sharedMilestones.map(Self.body))
    }

    @Sendable func addGoal(_ request: Request, _ context: SignedInContext, _ input: APIInput<GoalRequest>) async throws -> GoalBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        _ = try await store.relationship(id: id, of: context.identity)
        let body = try await input.read()
        return Self.body(
            try await store.addGoal(to: id, GoalDraft(title: body.title, dueOn: body.dueOn ?? "", progress: body.progress ?? 0), by: context.identity))
    }

    @Sendable func addShared(_ request: Request, _ context: SignedInContext, _ input: APIInput<MilestoneRequest>) async throws -> MilestoneBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        _ = try await store.relationship(id: id, of: context.identity)
        let body = try await input.read()
        return Self.body(try await store.addMilestone(toRelationship: id, MilestoneDraft(title: body.title, dueOn: body.dueOn), by: context.identity))
    }

    @Sendable func getGoal(_ request: Request, _ context: SignedInContext) async throws -> GoalBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "goal")
        return Self.body(try await store.goal(id: id, of: context.identity))
    }

    @Sendable func changeGoal(_ request: Request, _ context: SignedInContext, _ input: APIInput<GoalPatch>) async throws -> GoalBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "goal")
        _ = try await store.goal(id: id, of: context.identity)
        let body = try await input.read()
        return Self.body(
            try await store.changeGoal(
                id: id, GoalChange(title: body.title, dueOn: body.dueOn, progress: body.progress, status: body.status), by: context.identity))
    }

    @Sendable func removeGoal(_ request: Request, _ context: SignedInContext) async throws -> NoContent {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "goal")
        try await store.removeGoal(id: id, by: context.identity)
        return NoContent()
    }

    @Sendable func completeGoal(_ request: Request, _ context: SignedInContext) async throws -> GoalBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "goal")
        return Self.body(try await store.completeGoal(id: id, by: context.identity))
    }

    @Sendable func addMilestone(_ request: Request, _ context: SignedInContext, _ input: APIInput<MilestoneRequest>) async throws -> MilestoneBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "goal")
        _ = try await store.goal(id: id, of: context.identity)
        let body = try await input.read()
        return Self.body(try await store.addMilestone(toGoal: id, MilestoneDraft(title: body.title, dueOn: body.dueOn), by: context.identity))
    }

    @Sendable func getMilestone(_ request: Request, _ context: SignedInContext) async throws -> MilestoneBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "milestone")
        return Self.body(try await store.milestone(id: id, of: context.identity))
    }

    @Sendable func changeMilestone(_ request: Request, _ context: SignedInContext, _ input: APIInput<MilestonePatch>) async throws -> MilestoneBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "milestone")
        _ = try await store.milestone(id: id, of: context.identity)
        let body = try await input.read()
        return Self.body(
            try await store.changeMilestone(id: id, MilestoneChange(title: body.title, dueOn: body.dueOn, done: body.done), by: context.identity))
    }

    @Sendable func removeMilestone(_ request: Request, _ context: SignedInContext) async throws -> NoContent {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "milestone")
        try await store.removeMilestone(id: id, by: context.identity)
        return NoContent()
    }

    @Sendable func completeMilestone(_ request: Request, _ context: SignedInContext) async throws -> MilestoneBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "milestone")
        return Self.body(try await store.completeMilestone(id: id, by: context.identity))
    }

    @Sendable func totals(_ request: Request, _ context: SignedInContext) async throws -> TotalsBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let totals = try await store.milestoneTotals(inProgramme: id, by: context.identity)
        return TotalsBody(completed: totals.completed, total: totals.total, overdue: totals.overdue)
    }
}

/// A programme's milestone template in the programme's body: due `due_after` `unit`s after the
/// relationship opens.
struct MilestoneTemplateBody: APIBody {
    let title: String
    let dueAfter: Int
    let unit: MilestoneOffsetUnit
    static var example: MilestoneTemplateBody { MilestoneTemplateBody(title: "First meeting", dueAfter: 14, unit: .days) }

    init(title: String, dueAfter: Int, unit: MilestoneOffsetUnit) {
        self.title = title
        self.dueAfter = dueAfter
        self.unit = unit
    }

    init(_ draft: MilestoneTemplateDraft) {
        self.init(title: draft.title, dueAfter: draft.dueAfter, unit: draft.unit)
    }
}

extension Goal.Status: APIEnumeration {}
extension MilestoneOffsetUnit: APIEnumeration {}
