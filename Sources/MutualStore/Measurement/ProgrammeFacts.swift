import Foundation

/// What the dashboard's figures are computed from, for one programme: narrow rows (states,
/// times and small integer keys, never whole models) read in about a dozen indexed queries.
/// People and skills are numbered as they are read (the database's ids are read as text and
/// interned, which costs a hash where parsing a UUID costs a `sscanf`). Every figure, including
/// a KPI's value at the end of an earlier month, is a pure function of these facts, so the
/// arithmetic is tested without a database.
public struct ProgrammeFacts: Sendable {
    /// A relationship of the programme, with its members' person numbers.
    public struct RelationshipFact: Sendable {
        public var status: Relationship.Status
        public var startedAt: Date
        public var endedAt: Date?
        public var members: [Int]

        public init(status: Relationship.Status, startedAt: Date, endedAt: Date?, members: [Int]) {
            (self.status, self.startedAt, self.endedAt, self.members) = (status, startedAt, endedAt, members)
        }
    }

    /// A meeting held or planned (not cancelled); `relationship` indexes ``relationships``.
    public struct MeetingFact: Sendable {
        public var relationship: Int
        public var startsAt: Date

        public init(relationship: Int, startsAt: Date) { (self.relationship, self.startsAt) = (relationship, startsAt) }
    }

    /// A member who logged teaching in a relationship, and when they first did.
    public struct TeachingFact: Sendable {
        public var relationship: Int
        public var person: Int
        public var firstAt: Date

        public init(relationship: Int, person: Int, firstAt: Date) { (self.relationship, self.person, self.firstAt) = (relationship, person, firstAt) }
    }

    /// A goal a member set in a relationship.
    public struct GoalFact: Sendable {
        public var person: Int
        public var createdAt: Date
        public var completedAt: Date?

        public init(person: Int, createdAt: Date, completedAt: Date?) { (self.person, self.createdAt, self.completedAt) = (person, createdAt, completedAt) }
    }

    /// A milestone of a relationship.
    public struct MilestoneFact: Sendable {
        public var dueAt: Date
        public var doneAt: Date?

        public init(dueAt: Date, doneAt: Date?) { (self.dueAt, self.doneAt) = (dueAt, doneAt) }
    }

    /// A skill a member wants to learn.
    public struct WantFact: Sendable {
        public var person: Int
        public var skill: Int

        public init(person: Int, skill: Int) { (self.person, self.skill) = (person, skill) }
    }

    /// A raised level in a skill.
    public struct GrowthFact: Sendable {
        public var person: Int
        public var skill: Int
        public var fromLevel: Int
        public var toLevel: Int
        public var changedAt: Date

        public init(person: Int, skill: Int, fromLevel: Int, toLevel: Int, changedAt: Date) {
            (self.person, self.skill, self.fromLevel, self.toLevel, self.changedAt) = (person, skill, fromLevel, toLevel, changedAt)
        }
    }

    /// A person sent a published match, with their answer.
    public struct MatchAnswerFact: Sendable {
        public var person: Int
        public var response: MatchMember.Response

        public init(person: Int, response: MatchMember.Response) { (self.person, self.response) = (person, response) }
    }

    /// The guarded feedback figures the measures read (``FeedbackSummary`` applies the
    /// anonymity threshold before anything reaches here).
    public struct FeedbackFigures: Sendable {
        /// Check-ins: mean usefulness of meetings (1–5).
        public var usefulness: MeasuredValue
        /// The same by month (`YYYY-MM`), nil where a month is hidden.
        public var usefulnessByMonth: [String: Double?]
        /// Pulses: mean relationship health (1–5).
        public var health: MeasuredValue
        /// Reviews: the net promoter score (−100…100).
        public var recommend: MeasuredValue

        public init(usefulness: MeasuredValue, usefulnessByMonth: [String: Double?], health: MeasuredValue, recommend: MeasuredValue) {
            (self.usefulness, self.usefulnessByMonth, self.health, self.recommend) = (usefulness, usefulnessByMonth, health, recommend)
        }
    }

    public var model: ProgrammeModel
    /// The cycle's first and last day (UTC midnight), when set.
    public var cycleStart: Date?
    public var cycleEnd: Date?
    /// When each enrolled person enrolled.
    public var enrolments: [Int: Date]
    /// People invited to Mutual during the programme's enrolment window who did not enrol.
    public var invitedNotEnrolled: Int
    public var matchAnswers: [MatchAnswerFact]
    public var relationships: [RelationshipFact]
    public var meetings: [MeetingFact]
    public var teaching: [TeachingFact]
    public var goals: [GoalFact]
    public var milestones: [MilestoneFact]
    public var wants: [WantFact]
    public var growth: [GrowthFact]
    /// Skill names, for the skills-growth table.
    public var skillNames: [Int: String]
    public var feedback: FeedbackFigures?
    /// Of the people in the programme's relationships with a `retained_12m` HR outcome, how
    /// many were retained (value 1) and how many have one recorded.
    public var retained: (retained: Int, recorded: Int)?

    public init(
        model: ProgrammeModel, cycleStart: Date? = nil, cycleEnd: Date? = nil, enrolments: [Int: Date] = [:], invitedNotEnrolled: Int = 0,
        matchAnswers: [MatchAnswerFact] = [], relationships: [RelationshipFact] = [], meetings: [MeetingFact] = [],
        teaching: [TeachingFact] = [], goals: [GoalFact] = [], milestones: [MilestoneFact] = [], wants: [WantFact] = [],
        growth: [GrowthFact] = [], skillNames: [Int: String] = [:], feedback: FeedbackFigures? = nil, retained: (retained: Int, recorded: Int)? = nil
    ) {
        self.model = model
        self.cycleStart = cycleStart
        self.cycleEnd = cycleEnd
        self.enrolments = enrolments
        self.invitedNotEnrolled = invitedNotEnrolled
        self.matchAnswers = matchAnswers
        self.relationships = relationships
        self.meetings = meetings
        self.teaching = teaching
        self.goals = goals
        self.milestones = milestones
        self.wants = wants
        self.growth = growth
        self.skillNames = skillNames
        self.feedback = feedback
        self.retained = retained
    }
}
