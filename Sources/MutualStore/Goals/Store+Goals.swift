import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Most goals one member keeps in one relationship.
    public static let goalLimit = 30
    /// Most milestones under one goal, or shared by one relationship.
    public static let milestoneLimit = 30

    // MARK: Reading

    /// A relationship's goals and milestones, for its members and programme managers; "not
    /// found" for anyone else.
    public func goals(inRelationship id: UUID, of identity: Identity) async throws -> RelationshipGoals {
        let (relationship, members) = try await scopedRelationship(id: id, of: identity)
        let database = try db()
        let goals = try await Goal.query(on: database).filter(\.$relationshipID == id).all()
        let milestones = try await Milestone.query(on: database).filter(\.$relationshipID == id).all()
        let names = try await personNames(members.map(\.personID), on: database)
        let today = GoalDates.startOfDay(clock.now)
        let isMember = members.contains { $0.personID == identity.personID }
        let canWrite = isMember && relationship.status.isOpen
        let order = Dictionary(uniqueKeysWithValues: members.map { ($0.personID, $0.position) })
        let views = try goals.sorted { (order[$0.personID] ?? .max, $0.position, $0.createdAt) < (order[$1.personID] ?? .max, $1.position, $1.createdAt) }
            .map { goal in
                try Self.view(
                    goal, ownerName: names[goal.personID] ?? "Someone who left", milestones: milestones.filter { $0.goalID == goal.id },
                    canWrite: canWrite && goal.personID == identity.personID, today: today)
            }
        return RelationshipGoals(
            relationshipID: id, goals: views,
            sharedMilestones: try Self.sortedMilestones(milestones.filter { $0.goalID == nil }).map { try Self.view($0, canWrite: canWrite, today: today) },
            viewerIsMember: isMember, isOpen: relationship.status.isOpen)
    }

    /// One goal with its milestones; "not found" unless the caller may see its relationship.
    public func goal(id: UUID, of identity: Identity) async throws -> GoalView {
        guard let goal = try await Goal.query(on: try db()).filter(\.$id == id).filter(\.$organisationID == identity.organisationID).first() else {
            throw StoreError.notFound(what: "goal")
        }
        let all: RelationshipGoals
        do {
            all = try await goals(inRelationship: goal.relationshipID, of: identity)
        } catch StoreError.notFound {
            throw StoreError.notFound(what: "goal")
        }
        guard let view = all.goals.first(where: { $0.id == id }) else { throw StoreError.notFound(what: "goal") }
        return view
    }

    /// One milestone; "not found" unless the caller may see its relationship.
    public func milestone(id: UUID, of identity: Identity) async throws -> MilestoneView {
        guard let milestone = try await Milestone.query(on: try db()).filter(\.$id == id).filter(\.$organisationID == identity.organisationID).first()
        else { throw StoreError.notFound(what: "milestone") }
        let all: RelationshipGoals
        do {
            all = try await goals(inRelationship: milestone.relationshipID, of: identity)
        } catch StoreError.notFound {
            throw StoreError.notFound(what: "milestone")
        }
        guard let view = (all.sharedMilestones + all.goals.flatMap(\.milestones)).first(where: { $0.id == id }) else {
            throw StoreError.notFound(what: "milestone")
        }
        return view
    }

    /// A programme's milestones over all its relationships: completed of total, and overdue.
    /// Programme managers only.
    public func milestoneTotals(inProgramme id: UUID, by identity: Identity) async throws -> MilestoneTotals {
        _ = try await managedProgramme(id: id, of: identity)
        guard let sql = try db() as? any SQLDatabase else { throw StoreError.unavailable }
        let today = GoalDates.startOfDay(clock.now)
        let query: SQLQueryString = """
            SELECT COUNT(*) AS total, \
            COALESCE(SUM(CASE WHEN m.done_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS completed, \
            COALESCE(SUM(CASE WHEN m.done_at IS NULL AND m.due_at < \(bind: today) AND r.status IN ('active', 'paused') THEN 1 ELSE 0 END), 0) AS overdue \
            FROM \(ident: Milestone.schema) m JOIN \(ident: Relationship.schema) r ON r.id = m.relationship_id \
            WHERE r.programme_id = \(bind: id) AND m.organisation_id = \(bind: identity.organisationID)
            """
        guard let row = try await sql.raw(query).first() else { return MilestoneTotals(completed: 0, total: 0, overdue: 0) }
        return MilestoneTotals(
            completed: try row.decode(column: "completed", as: Int.self), total: try row.decode(column: "total", as: Int.self),
            overdue: try row.decode(column: "overdue", as: Int.self))
    }

    /// Milestones not yet done, due in `[from, to)`, in the organisation's open relationships,
    /// with the people each concerns: for reminders (the nudges' "a milestone due"). Due days
    /// are stored as midnight UTC, so a day's milestones are `from` = that midnight, `to` = the next.
    func milestonesDue(organisationID: UUID, from: Date, to: Date, on database: any Database) async throws -> [DueMilestone] {
        let due = try await Milestone.query(on: database).filter(\.$organisationID == organisationID)
            .filter(\.$dueAt >= from).filter(\.$dueAt < to).filter(\.$doneAt == nil).sort(\.$dueAt).all()
        guard !due.isEmpty else { return [] }
        let relationshipIDs = Array(Set(due.map(\.relationshipID)))
        var relationships: [UUID: Relationship] = [:]
        var members: [UUID: [UUID]] = [:]
        for slice in relationshipIDs.queryBatches() {
            for relationship in try await Relationship.query(on: database).filter(\.$id ~~ Array(slice)).all() where relationship.status.isOpen {
                relationships[try relationship.requireID()] = relationship
            }
            for member in try await RelationshipMember.query(on: database).filter(\.$relationshipID ~~ Array(slice)).sort(\.$position).all() {
                members[member.relationshipID, default: []].append(member.personID)
            }
        }
        let goalIDs = Array(Set(due.compactMap(\.goalID)))
        var owners: [UUID: UUID] = [:]
        for slice in goalIDs.queryBatches() {
            for goal in try await Goal.query(on: database).filter(\.$id ~~ Array(slice)).all() { owners[try goal.requireID()] = goal.personID }
        }
        return try due.compactMap { milestone in
            guard let relationship = relationships[milestone.relationshipID] else { return nil }
            let people = milestone.goalID.flatMap { owners[$0] }.map { [$0] } ?? members[milestone.relationshipID] ?? []
            return DueMilestone(
                milestoneID: try milestone.requireID(), relationshipID: milestone.relationshipID, programmeID: relationship.programmeID,
                goalID: milestone.goalID, title: milestone.title, dueAt: milestone.dueAt, personIDs: people)
        }
    }

    // MARK: Goals

    /// Adds a goal of the caller's own to a relationship they are a member of.
    public func addGoal(to relationshipID: UUID, _ draft: GoalDraft, by identity: Identity) async throws -> GoalView {
        let id = try await transaction { database -> UUID in
            _ = try await self.writableRelationship(relationshipID, by: identity, on: database)
            let title = try Self.goalTitle(draft.title)
            let dueAt = draft.dueOn.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try GoalDates.day(draft.dueOn, field: "due_on", label: "the goal's due date")
            let progress = try Self.progress(draft.progress)
            let mine = try await Goal.query(on: database).filter(\.$relationshipID == relationshipID).filter(\.$personID == identity.personID).all()
            guard mine.count < Self.goalLimit else {
                throw StoreError.conflict(field: nil, message: "You have \(Self.goalLimit) goals in this relationship, the most there can be. Mark some done or remove one first.")
            }
            let goal = Goal()
            goal.organisationID = identity.organisationID
            goal.relationshipID = relationshipID
            goal.personID = identity.personID
            goal.position = (mine.map(\.position).max() ?? -1) + 1
            goal.title = title
            goal.dueAt = dueAt
            goal.progress = progress
            goal.status = .open
            goal.createdAt = self.clock.now
            goal.updatedAt = self.clock.now
            try await goal.create(on: database)
            let id = try goal.requireID()
            try await self.record(
                NewEvent(
                    .goalCreated, organisationID: identity.organisationID, actor: identity.personID, subject: id,
                    payload: ["relationship_id": .id(relationshipID), "progress": .int(progress), "has_due_date": .bool(dueAt != nil)]),
                on: database)
            return id
        }
        return try await goal(id: id, of: identity)
    }

    /// Changes the caller's own goal. Marking it done sets its progress to 100 % and records
    /// `goal.completed` once, however many requests mark it at once; opening it again clears
    /// the completion.
    public func changeGoal(id: UUID, _ change: GoalChange, by identity: Identity) async throws -> GoalView {
        try await transaction { database in
            let goal = try await self.writableGoal(id, by: identity, on: database)
            // What the change changes, for the audit log (`goal.changed` names the fields, never the words).
            var changed: [String] = []
            if let title = change.title {
                let title = try Self.goalTitle(title)
                if title != goal.title { changed.append("title") }
                goal.title = title
            }
            if let dueOn = change.dueOn {
                let dueAt = dueOn.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try GoalDates.day(dueOn, field: "due_on", label: "the goal's due date")
                if dueAt != goal.dueAt { changed.append("due_on") }
                goal.dueAt = dueAt
            }
            if let progress = change.progress {
                let progress = try Self.progress(progress)
                if progress != goal.progress { changed.append("progress") }
                goal.progress = progress
            }
            // Opening a done goal again is a change too; completing one is `goal.completed` below.
            if change.status == .open, goal.status == .done { changed.append("status") }
            goal.updatedAt = self.clock.now
            // Only the fields set above are written; the status changes below, on its own condition.
            try await goal.save(on: database)
            if !changed.isEmpty {
                var payload: [String: EventValue] = ["relationship_id": .id(goal.relationshipID), "changed": .string(changed.joined(separator: ","))]
                if changed.contains("progress") { payload["progress"] = .int(goal.progress) }
                if changed.contains("status") { payload["status"] = .string(Goal.Status.open.rawValue) }
                try await self.record(
                    NewEvent(.goalChanged, organisationID: identity.organisationID, actor: identity.personID, subject: id, payload: payload), on: database)
            }
            guard let status = change.status, let sql = database as? any SQLDatabase else { return }
            switch status {
            case .done:
                // Of any number of requests marking it done, one finds it open: one event.
                let claimed = try await sql.update(Goal.schema)
                    .set("status", to: SQLBind(Goal.Status.done.rawValue)).set("completed_at", to: SQLBind(self.clock.now))
                    .set("progress", to: SQLBind(100))
                    .where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind(Goal.Status.open.rawValue))
                    .returning("id").all()
                if !claimed.isEmpty {
                    try await self.record(
                        NewEvent(
                            .goalCompleted, organisationID: identity.organisationID, actor: identity.personID, subject: id,
                            payload: ["relationship_id": .id(goal.relationshipID)]),
                        on: database)
                }
            case .open:
                try await sql.update(Goal.schema)
                    .set("status", to: SQLBind(Goal.Status.open.rawValue)).set("completed_at", to: SQLLiteral.null)
                    .where("id", .equal, SQLBind(id)).run()
            }
        }
        return try await goal(id: id, of: identity)
    }

    /// Marks the caller's own goal done (see ``changeGoal(id:_:by:)``).
    public func completeGoal(id: UUID, by identity: Identity) async throws -> GoalView {
        try await changeGoal(id: id, GoalChange(status: .done), by: identity)
    }

    /// Removes the caller's own goal and its milestones.
    public func removeGoal(id: UUID, by identity: Identity) async throws {
        try await transaction { database in
            let goal = try await self.writableGoal(id, by: identity, on: database)
            let milestones = try await Milestone.query(on: database).filter(\.$goalID == id).count()
            try await Milestone.query(on: database).filter(\.$goalID == id).delete()
            try await goal.delete(on: database)
            try await self.record(
                NewEvent(
                    .goalRemoved, organisationID: identity.organisationID, actor: identity.personID, subject: id,
                    payload: ["relationship_id": .id(goal.relationshipID), "milestones": .int(milestones)]),
                on: database)
        }
    }

    // MARK: Milestones

    /// Adds a milestone under the caller's own goal.
    public func addMilestone(toGoal goalID: UUID, _ draft: MilestoneDraft, by identity: Identity) async throws -> MilestoneView {
        let id = try await transaction { database -> UUID in
            let goal = try await self.writableGoal(goalID, by: identity, on: database)
            return try await self.insertMilestone(draft, relationshipID: goal.relationshipID, goalID: goalID, by: identity, on: database)
        }
        return try await milestone(id: id, of: identity)
    }

    /// Adds a milestone of the whole relationship (any member may).
    public func addMilestone(toRelationship relationshipID: UUID, _ draft: MilestoneDraft, by identity: Identity) async throws -> MilestoneView {
        let id = try await transaction { database -> UUID in
            _ = try await self.writableRelationship(relationshipID, by: identity, on: database)
            return try await self.insertMilestone(draft, relationshipID: relationshipID, goalID: nil, by: identity, on: database)
        }
        return try await milestone(id: id, of: identity)
    }

    /// Changes a milestone: its title, its due day, or whether it is done. Marking it done
    /// records `milestone.completed` once, however many requests mark it at once (the others
    /// find it done and change nothing); opening it again clears who did it and when.
    public func changeMilestone(id: UUID, _ change: MilestoneChange, by identity: Identity) async throws -> MilestoneView {
        try await transaction { database in
            let milestone = try await self.writableMilestone(id, by: identity, on: database)
            var changed: [String] = []
            if let title = change.title {
                let title = try Self.milestoneTitle(title)
                if title != milestone.title { changed.append("title") }
                milestone.title = title
            }
            if let dueOn = change.dueOn {
                let dueAt = try GoalDates.day(dueOn, field: "due_on", label: "the milestone's due date")
                if dueAt != milestone.dueAt { changed.append("due_on") }
                milestone.dueAt = dueAt
            }
            if change.done == false, milestone.doneAt != nil { changed.append("done") }
            if milestone.hasChanges { try await milestone.save(on: database) }
            if !changed.isEmpty {
                var payload = Self.milestonePayload(milestone)
                payload["changed"] = .string(changed.joined(separator: ","))
                try await self.record(
                    NewEvent(.milestoneChanged, organisationID: identity.organisationID, actor: identity.personID, subject: id, payload: payload),
                    on: database)
            }
            guard let done = change.done, let sql = database as? any SQLDatabase else { return }
            if done {
                let claimed = try await sql.update(Milestone.schema)
                    .set("done_at", to: SQLBind(self.clock.now)).set("done_by", to: SQLBind(identity.personID))
                    .where("id", .equal, SQLBind(id)).where("done_at", .is, SQLLiteral.null)
                    .returning("id").all()
                if !claimed.isEmpty {
                    try await self.record(
                        NewEvent(
                            .milestoneCompleted, organisationID: identity.organisationID, actor: identity.personID, subject: id,
                            payload: Self.milestonePayload(milestone)),
                        on: database)
                }
            } else {
                try await sql.update(Milestone.schema)
                    .set("done_at", to: SQLLiteral.null).set("done_by", to: SQLLiteral.null)
                    .where("id", .equal, SQLBind(id)).run()
            }
        }
        return try await milestone(id: id, of: identity)
    }

    /// Marks a milestone done (see ``changeMilestone(id:_:by:)``).
    public func completeMilestone(id: UUID, by identity: Identity) async throws -> MilestoneView {
        try await changeMilestone(id: id, MilestoneChange(done: true), by: identity)
    }

    /// Removes a milestone (a programme's template milestone too: the members decide what fits them).
    public func removeMilestone(id: UUID, by identity: Identity) async throws {
        try await transaction { database in
            let milestone = try await self.writableMilestone(id, by: identity, on: database)
            try await milestone.delete(on: database)
            try await self.record(
                NewEvent(.milestoneRemoved, organisationID: identity.organisationID, actor: identity.personID, subject: id, payload: Self.milestonePayload(milestone)),
                on: database)
        }
    }

    /// A milestone's event payload: its relationship, and its goal unless it is the whole relationship's.
    static func milestonePayload(_ milestone: Milestone) -> [String: EventValue] {
        var payload: [String: EventValue] = ["relationship_id": .id(milestone.relationshipID)]
        if let goalID = milestone.goalID { payload["goal_id"] = .id(goalID) }
        return payload
    }

    // MARK: Seeding from text and templates

    /// Adds one goal per line of `text` (list markers stripped) that the member does not have
    /// yet (same words in any case), after their existing goals; never removes one. The
    /// agreement form and a new relationship (the enrolment's goals) call it.
    func addGoals(fromText text: String, relationshipID: UUID, personID: UUID, organisationID: UUID, on database: any Database) async throws {
        let lines = GoalLines.split(text)
        guard !lines.isEmpty else { return }
        let existing = try await Goal.query(on: database).filter(\.$relationshipID == relationshipID).filter(\.$personID == personID).all()
        var titles = Set(existing.map { $0.title.lowercased() })
        var position = (existing.map(\.position).max() ?? -1) + 1
        var count = existing.count
        for line in lines {
            let title = Self.goalTitleFromText(line)
            guard count < Self.goalLimit, titles.insert(title.lowercased()).inserted else { continue }
            let goal = Goal()
            goal.organisationID = organisationID
            goal.relationshipID = relationshipID
            goal.personID = personID
            goal.position = position
            goal.title = title
            goal.progress = 0
            goal.status = .open
            goal.createdAt = clock.now
            goal.updatedAt = clock.now
            try await goal.create(on: database)
            position += 1
            count += 1
        }
    }

    /// A line of free text as a goal's title: single-line (tabs become spaces) and within the
    /// title limit (the agreement keeps the whole text).
    static func goalTitleFromText(_ line: String) -> String {
        let flat = line.replacingOccurrences(of: "\t", with: " ")
        guard flat.count > TextLimits.goalTitle else { return flat }
        return String(flat.prefix(TextLimits.goalTitle - 1)) + "…"
    }

    /// Gives a relationship that just opened the programme's template milestones, each due its
    /// offset after the relationship's start. Runs inside the opening transaction.
    func applyMilestoneTemplates(to relationship: Relationship, on database: any Database) async throws {
        let templates = try await ProgrammeMilestoneTemplate.query(on: database).filter(\.$programmeID == relationship.programmeID)
            .sort(\.$position).all()
        for template in templates {
            let draft = MilestoneTemplateDraft(title: template.title, dueAfter: template.dueAfter, unit: template.unit)
            let milestone = Milestone()
            milestone.organisationID = relationship.organisationID
            milestone.relationshipID = try relationship.requireID()
            milestone.goalID = nil
            milestone.title = template.title
            milestone.dueAt = draft.dueDay(after: relationship.startedAt)
            milestone.templatePosition = template.position
            milestone.createdAt = clock.now
            try await milestone.create(on: database)
        }
    }

    // MARK: Helpers

    /// The relationship a write is for, read on the writing transaction under its row's lock:
    /// "not found" when the caller may not see it, refused for a reader who is not a member,
    /// and a conflict once it has ended.
    private func writableRelationship(_ id: UUID, by identity: Identity, on database: any Database) async throws -> Relationship {
        try await Self.lockRows(Relationship.schema, where: "id", equals: id, on: database)
        guard let relationship = try await Relationship.query(on: database).filter(\.$id == id)
            .filter(\.$organisationID == identity.organisationID).first()
        else { throw StoreError.notFound(what: "relationship") }
        let isMember = try await RelationshipMember.query(on: database).filter(\.$relationshipID == id)
            .filter(\.$personID == identity.personID).first() != nil
        let readsAsManager = isMember ? false : try await manages(programmeID: relationship.programmeID, identity)
        guard isMember || readsAsManager else { throw StoreError.notFound(what: "relationship") }
        guard isMember else {
            throw StoreError.forbidden(
                message: "Only the members of a relationship write its goals and milestones. As a programme manager you can read them.")
        }
        guard relationship.status.isOpen else {
            throw StoreError.conflict(
                field: nil, message: "This relationship is \(relationship.status.rawValue), so its goals and milestones can no longer change.")
        }
        return relationship
    }

    /// A goal the caller may change: their own, in an open relationship they are a member of.
    private func writableGoal(_ id: UUID, by identity: Identity, on database: any Database) async throws -> Goal {
        guard let found = try await Goal.query(on: database).filter(\.$id == id).filter(\.$organisationID == identity.organisationID).first() else {
            throw StoreError.notFound(what: "goal")
        }
        do {
            _ = try await writableRelationship(found.relationshipID, by: identity, on: database)
        } catch StoreError.notFound {
            throw StoreError.notFound(what: "goal")
        }
        // Read again after the relationship's lock, so a goal removed meanwhile is not written.
        guard let goal = try await Goal.find(id, on: database) else { throw StoreError.notFound(what: "goal") }
        guard goal.personID == identity.personID else {
            let owner = try await Person.find(goal.personID, on: database)?.name ?? "another member"
            throw StoreError.forbidden(message: "This is \(owner)'s goal: only they change it and its milestones. Add a goal of your own instead.")
        }
        return goal
    }

    /// A milestone the caller may change: any member's for a shared one, the goal's owner's otherwise.
    private func writableMilestone(_ id: UUID, by identity: Identity, on database: any Database) async throws -> Milestone {
        guard let found = try await Milestone.query(on: database).filter(\.$id == id).filter(\.$organisationID == identity.organisationID).first()
        else { throw StoreError.notFound(what: "milestone") }
        do {
            _ = try await writableRelationship(found.relationshipID, by: identity, on: database)
        } catch StoreError.notFound {
            throw StoreError.notFound(what: "milestone")
        }
        guard let milestone = try await Milestone.find(id, on: database) else { throw StoreError.notFound(what: "milestone") }
        if let goalID = milestone.goalID, let goal = try await Goal.find(goalID, on: database), goal.personID != identity.personID {
            let owner = try await Person.find(goal.personID, on: database)?.name ?? "another member"
            throw StoreError.forbidden(message: "This milestone belongs to \(owner)'s goal: only they change it. Add a shared milestone instead.")
        }
        return milestone
    }

    private func insertMilestone(_ draft: MilestoneDraft, relationshipID: UUID, goalID: UUID?, by identity: Identity, on database: any Database) async throws -> UUID {
        let title = try Self.milestoneTitle(draft.title)
        let dueAt = try GoalDates.day(draft.dueOn, field: "due_on", label: "the milestone's due date")
        let siblings = try await Milestone.query(on: database).filter(\.$relationshipID == relationshipID).filter(\.$goalID == goalID).count()
        guard siblings < Self.milestoneLimit else {
            throw StoreError.conflict(
                field: nil,
                message: "There are \(Self.milestoneLimit) milestones \(goalID == nil ? "shared by this relationship" : "under this goal"), the most there can be. Remove one first.")
        }
        let milestone = Milestone()
        milestone.organisationID = identity.organisationID
        milestone.relationshipID = relationshipID
        milestone.goalID = goalID
        milestone.title = title
        milestone.dueAt = dueAt
        milestone.createdAt = clock.now
        try await milestone.create(on: database)
        let id = try milestone.requireID()
        try await record(
            NewEvent(.milestoneCreated, organisationID: identity.organisationID, actor: identity.personID, subject: id, payload: Self.milestonePayload(milestone)),
            on: database)
        return id
    }

    static func goalTitle(_ text: String) throws -> String {
        try InputRules.requiredText(text, field: "title", label: "the goal (what you want to reach)", maxLength: TextLimits.goalTitle)
    }

    static func milestoneTitle(_ text: String) throws -> String {
        try InputRules.requiredText(text, field: "title", label: "the milestone (a step on the way, like \"First mock interview\")", maxLength: TextLimits.goalTitle)
    }

    static func progress(_ value: Int) throws -> Int {
        guard (0...100).contains(value) else {
            throw StoreError.invalid(field: "progress", message: "Progress is a percentage: a whole number from 0 to 100 (it was \(value)).")
        }
        return value
    }

    private func personNames(_ ids: [UUID], on database: any Database) async throws -> [UUID: String] {
        var names: [UUID: String] = [:]
        for person in try await Person.query(on: database).filter(\.$id ~~ ids).all() { names[try person.requireID()] = person.name }
        return names
    }

    private static func sortedMilestones(_ milestones: [Milestone]) -> [Milestone] {
        milestones.sorted { ($0.dueAt, $0.createdAt, $0.title) < ($1.dueAt, $1.createdAt, $1.title) }
    }

    private static func view(_ milestone: Milestone, canWrite: Bool, today: Date) throws -> MilestoneView {
        MilestoneView(
            id: try milestone.requireID(), relationshipID: milestone.relationshipID, goalID: milestone.goalID, title: milestone.title,
            dueOn: GoalDates.text(milestone.dueAt), doneAt: milestone.doneAt, isOverdue: milestone.doneAt == nil && milestone.dueAt < today,
            viewerCanWrite: canWrite)
    }

    private static func view(_ goal: Goal, ownerName: String, milestones: [Milestone], canWrite: Bool, today: Date) throws -> GoalView {
        GoalView(
            id: try goal.requireID(), relationshipID: goal.relationshipID, personID: goal.personID, ownerName: ownerName, title: goal.title,
            dueOn: goal.dueAt.map(GoalDates.text), progress: goal.progress, status: goal.status, createdAt: goal.createdAt,
            completedAt: goal.completedAt, milestones: try sortedMilestones(milestones).map { try view($0, canWrite: canWrite, today: today) },
            viewerCanWrite: canWrite)
    }
}
