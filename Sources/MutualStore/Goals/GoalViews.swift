import Foundation

/// A milestone as pages and the API show it.
public struct MilestoneView: Sendable, Equatable {
    public let id: UUID
    public let relationshipID: UUID
    /// The goal it belongs to; nil for a milestone of the whole relationship.
    public let goalID: UUID?
    public let title: String
    /// `YYYY-MM-DD`.
    public let dueOn: String
    public let doneAt: Date?
    /// Not done and due before today (UTC).
    public let isOverdue: Bool
    /// Whether the viewer may change it (the goal's owner, or any member for a shared one,
    /// while the relationship is open).
    public let viewerCanWrite: Bool

    public var isDone: Bool { doneAt != nil }
}

/// A member's goal with its milestones.
public struct GoalView: Sendable, Equatable {
    public let id: UUID
    public let relationshipID: UUID
    public let personID: UUID
    public let ownerName: String
    public let title: String
    /// `YYYY-MM-DD`, when set.
    public let dueOn: String?
    public let progress: Int
    public let status: Goal.Status
    public let createdAt: Date
    public let completedAt: Date?
    public let milestones: [MilestoneView]
    /// The goal is the viewer's own and the relationship is open.
    public let viewerCanWrite: Bool
}

/// Everything the Goals section of a relationship shows.
public struct RelationshipGoals: Sendable, Equatable {
    public let relationshipID: UUID
    /// Every member's goals, member by member (in the relationship's order), then in the order written.
    public let goals: [GoalView]
    /// Milestones of the whole relationship (the programme's templates and any a member added).
    public let sharedMilestones: [MilestoneView]
    public let viewerIsMember: Bool
    public let isOpen: Bool
}

/// A goal as a member writes it.
public struct GoalDraft: Sendable, Equatable {
    public var title: String
    /// `YYYY-MM-DD` or empty.
    public var dueOn: String
    public var progress: Int

    public init(title: String, dueOn: String = "", progress: Int = 0) {
        self.title = title
        self.dueOn = dueOn
        self.progress = progress
    }
}

/// A change to a goal; nil leaves a field as it is. An empty `dueOn` removes the due date.
public struct GoalChange: Sendable, Equatable {
    public var title: String?
    public var dueOn: String?
    public var progress: Int?
    public var status: Goal.Status?

    public init(title: String? = nil, dueOn: String? = nil, progress: Int? = nil, status: Goal.Status? = nil) {
        self.title = title
        self.dueOn = dueOn
        self.progress = progress
        self.status = status
    }
}

/// A milestone as a member writes it.
public struct MilestoneDraft: Sendable, Equatable {
    public var title: String
    /// `YYYY-MM-DD`.
    public var dueOn: String

    public init(title: String, dueOn: String) {
        self.title = title
        self.dueOn = dueOn
    }
}

/// A change to a milestone; nil leaves a field as it is. `done` true marks it done (once),
/// false opens it again.
public struct MilestoneChange: Sendable, Equatable {
    public var title: String?
    public var dueOn: String?
    public var done: Bool?

    public init(title: String? = nil, dueOn: String? = nil, done: Bool? = nil) {
        self.title = title
        self.dueOn = dueOn
        self.done = done
    }
}

/// A programme's milestones over all its relationships.
public struct MilestoneTotals: Sendable, Equatable {
    /// Milestones marked done.
    public let completed: Int
    /// Every milestone of every relationship of the programme.
    public let total: Int
    /// Not done, due before today, in a relationship that is still open (active or paused).
    public let overdue: Int
}

/// A milestone that falls due, for reminders (the nudges).
public struct DueMilestone: Sendable, Equatable {
    public let milestoneID: UUID
    public let relationshipID: UUID
    public let programmeID: UUID
    public let goalID: UUID?
    public let title: String
    public let dueAt: Date
    /// Who it concerns: the goal's owner, or every member for a milestone of the whole relationship.
    public let personIDs: [UUID]
}
