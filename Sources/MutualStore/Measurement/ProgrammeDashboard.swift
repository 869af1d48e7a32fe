import Foundation

/// Whether a programme works, in figures: the funnel from invitation to completion, how often
/// relationships meet, how useful the meetings are, goals and milestones, skills growth,
/// reciprocity, and each objective's KPIs against their targets with a trend.
public struct ProgrammeDashboard: Sendable {
    /// One step of the funnel: people who got this far, and their share of those enrolled.
    public struct FunnelStage: Sendable, Equatable {
        public let key: String
        public let label: String
        public let people: Int
        /// Share of the people enrolled, with its interval; nil when nobody is enrolled.
        public let ofEnrolled: MeasuredValue
    }

    /// Meetings held in one calendar month (UTC), per relationship open in it.
    public struct MonthOfMeetings: Sendable, Equatable {
        /// `YYYY-MM`.
        public let month: String
        public let meetings: Int
        public let relationships: Int
        public var perRelationship: Double? { relationships > 0 ? Double(meetings) / Double(relationships) : nil }
    }

    /// Growth in one wanted skill among the people in relationships.
    public struct SkillGrowth: Sendable, Equatable {
        public let skill: String
        /// People in relationships who want it.
        public let learners: Int
        /// Of those, people who raised their level since their relationship began.
        public let grew: Int
        /// Levels gained, summed over those people.
        public let levelsGained: Int
    }

    /// One point of a KPI's trend: its value at the end of a month (the last point is today).
    public struct TrendPoint: Sendable, Equatable {
        public let label: String
        public let at: Date
        public let value: Double?
    }

    /// A KPI of an objective, computed.
    public struct KPIResult: Sendable {
        public let objective: String
        public let kpi: KPI
        /// What Mutual computes it from; nil when the KPI names nothing Mutual records.
        public let measure: Measure?
        public let current: MeasuredValue
        /// The target at this point of the cycle, for a measure that accumulates; else the target.
        public let expectedNow: Double
        public let status: KPIStatus
        public let trend: [TrendPoint]
    }

    public let programmeID: UUID
    public let programmeName: String
    public let model: ProgrammeModel
    public let computedAt: Date
    /// How far through its cycle the programme is (0–1); nil without cycle dates.
    public let cycleProgress: Double?
    public let funnel: [FunnelStage]
    public let meetingsByMonth: [MonthOfMeetings]
    public let measures: [Measure: MeasuredValue]
    public let skillsGrowth: [SkillGrowth]
    public let kpis: [KPIResult]
    /// The fewest respondents a score is shown over.
    public let minimumRespondents: Int
}
