import Foundation

/// A published match explained for one of its members: what they learn and from whom, what
/// they can teach and to whom, and the facts the rules counted in the match's favour. Facts,
/// not sentences: the page puts them into words for the person reading it.
///
/// Computed from the members' profiles as they are now and the rules of the run that made
/// the match (``Store/explainMatch(_:for:)``), with the engine's own explanation code
/// (``MutualMatching/PairExplainer``), so what it says agrees with how pairs are scored.
public struct MatchExplanation: Sendable, Equatable {
    /// The programme's kind of match, as the reader meets it.
    public enum Kind: String, Sendable, Equatable {
        /// Peers who teach each other.
        case pairs
        /// Peers who learn the same things side by side.
        case buddies
        /// A mentor and a mentee (``MatchExplanation/isMentor`` says which the reader is).
        case mentoring
        /// A group of three or more (a mastermind group, or a pair's odd one out).
        case group
    }

    /// Which way the learning goes in a pair of peers.
    public enum Direction: String, Sendable, Equatable {
        /// Both learn something from the other.
        case twoWay
        /// Only the reader learns: one-way, they mostly learn.
        case readerLearns
        /// Only the partner learns: one-way, the reader mostly teaches.
        case readerTeaches
        /// Neither has a want the other can help with (their profiles changed since).
        case neither
    }

    /// One skill, with both people's levels.
    public struct Skill: Sendable, Equatable {
        /// The skill, as the learner wrote it.
        public let name: String
        /// The teacher's level, 1 (beginner) … 5 (expert), in ``relatedSkill`` when there is one.
        public let teacherLevel: Int
        /// The learner's level now, 0 (new) … 4.
        public let learnerLevel: Int
        /// Set when the teacher's strength is a related skill of the same family rather than this one.
        public let relatedSkill: String?

        public init(name: String, teacherLevel: Int, learnerLevel: Int, relatedSkill: String?) {
            (self.name, self.teacherLevel, self.learnerLevel, self.relatedSkill) = (name, teacherLevel, learnerLevel, relatedSkill)
        }
    }

    /// Skills between the reader and one other member.
    public struct WithPerson: Sendable, Equatable {
        public let name: String
        public let skills: [Skill]

        public init(name: String, skills: [Skill]) { (self.name, self.skills) = (name, skills) }
    }

    /// Something the rules counted in the match's favour, or a fact that made it possible.
    public enum Reason: Sendable, Equatable {
        case sameDepartment(String)
        /// The reader's department, then the other's.
        case differentDepartments(String, String)
        case sameCompany(String)
        case differentCompanies(String, String)
        /// Seniority levels: the reader's, then the other's.
        case levels(Int, Int)
        /// Minutes of working hours in common each day (in a group, the least over any two members).
        case workingHoursOverlap(Int)
        /// Languages everyone speaks, as the profiles list them (`en`, `pt`).
        case sharedLanguages([String])
        case sharedInterests([String])
        /// Skills everyone wants to learn (buddies).
        case bothWantToLearn([String])
        /// The group's departments (the reader's included).
        case departments([String])
    }

    public let kind: Kind
    /// In mentoring: the reader is the mentor (position 0).
    public let isMentor: Bool
    /// What the reader learns, per member who can teach them something.
    public let learning: [WithPerson]
    /// What the reader can teach, per member who wants something they have.
    public let teaching: [WithPerson]
    /// Which way the learning goes (pairs of peers; ``Direction/twoWay`` otherwise).
    public let direction: Direction
    /// Whether the run's rules allow one-way pairs at all (reciprocity below 100).
    public let oneWayAllowed: Bool
    public let reasons: [Reason]

    public init(
        kind: Kind, isMentor: Bool = false, learning: [WithPerson], teaching: [WithPerson], direction: Direction, oneWayAllowed: Bool,
        reasons: [Reason]
    ) {
        self.kind = kind
        self.isMentor = isMentor
        self.learning = learning
        self.teaching = teaching
        self.direction = direction
        self.oneWayAllowed = oneWayAllowed
        self.reasons = reasons
    }
}
