import Foundation

/// What the dashboard's figures are computed from, for one programme: narrow rows (ids, states
/// and times, never whole models) read in a dozen indexed queries. Every figure, including a
/// KPI's value at the end of an earlier month, is a pure function of these facts, so the
/// arithmetic is tested without a database.
public struct ProgrammeFacts: Sendable {
    /// A relationship of the programme; members are indices into ``members``' person lists.
    public struct RelationshipFact: Sendable {
        public var status: Relationship.Status
        public var startedAt: Date
        public var endedAt: Date?
        public var members: [UUID]
    }

    /// A meeting held or planned (not cancelled).
    public struct MeetingFact: Sendable {
        public var relationship: Int
        public var startsAt: Date
    }

    /// A member's log of a meeting.
    public struct LogFact: Sendable {
        public var relationship: Int
        public var person: UUID
        public var rating: Int?
        public var loggedAt: Date
    }

    /// A member who logged teaching in a relationship, and when they first did.
    public struct TeachingFact: Sendable {
        public var relationship: Int
        public var person: UUID
        public var firstAt: Date
    }

    /// A goal a member set in a relationship.
    public struct GoalFact: Sendable {
        public var person: UUID
        public var createdAt: Date
        public var completedAt: Date?
    }

    /// A milestone of a relationship.
    public struct MilestoneFact: Sendable {
        public var dueAt: Date
        public var doneAt: Date?
    }

    /// A skill a member wants to learn.
    public struct WantFact: Sendable {
        public var person: UUID
        public var skill: UUID
    }

    /// A raised level in a skill.
    public struct GrowthFact: Sendable {
        public var person: UUID
        public var skill: UUID
        public var fromLevel: Int
        public var toLevel: Int
        public var changedAt: Date
    }

    /// A person sent a published match, with their answer.
    public struct MatchAnswerFact: Sendable {
        public var person: UUID
        public var response: MatchMember.Response
    }

    public var model: ProgrammeModel
    /// The cycle's first and last day (UTC midnight), when set.
    public var cycleStart: Date?
    public var cycleEnd: Date?
    /// When each enrolled person enrolled.
    public var enrolments: [UUID: Date]
    /// People invited to Mutual during the programme's enrolment window who did not enrol.
    public var invitedNotEnrolled: Int
    public var matchAnswers: [MatchAnswerFact]
    public var relationships: [RelationshipFact]
    public var meetings: [MeetingFact]
    public var logs: [LogFact]
    public var teaching: [TeachingFact]
    public var goals: [GoalFact]
    public var milestones: [MilestoneFact]
    public var wants: [WantFact]
    public var growth: [GrowthFact]
    /// Skill names, for the skills-growth table.
    public var skillNames: [UUID: String]

    public init(
        model: ProgrammeModel, cycleStart: Date? = nil, cycleEnd: Date? = nil, enrolments: [UUID: Date] = [:], invitedNotEnrolled: Int = 0,
        matchAnswers: [MatchAnswerFact] = [], relationships: [RelationshipFact] = [], meetings: [MeetingFact] = [], logs: [LogFact] = [],
        teaching: [TeachingFact] = [], goals: [GoalFact] = [], milestones: [MilestoneFact] = [], wants: [WantFact] = [],
        growth: [GrowthFact] = [], skillNames: [UUID: String] = [:]
    ) {
        self.model = model
        self.cycleStart = cycleStart
        self.cycleEnd = cycleEnd
        self.enrolments = enrolments
        self.invitedNotEnrolled = invitedNotEnrolled
        self.matchAnswers = matchAnswers
        self.relationships = relationships
        self.meetings = meetings
        self.logs = logs
        self.teaching = teaching
        self.goals = goals
        self.milestones = milestones
        self.wants = wants
        self.growth = growth
        self.skillNames = skillNames
    }
}
