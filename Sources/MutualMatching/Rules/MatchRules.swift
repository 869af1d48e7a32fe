/// A programme's matching rules: hard constraints that no match may break and weighted
/// criteria that shape the score. Every field has a default per model (see
/// ``defaults(for:)``); a rules file overrides only what it names.
public struct MatchRules: Sendable, Hashable {
    /// Whether an attribute should be similar or different between partners.
    public enum Preference: String, Sendable, Hashable, CaseIterable {
        case similar, different, ignore
    }

    /// The attributes a criterion can be set on.
    public enum Attribute: String, Sendable, Hashable, CaseIterable {
        case department, company, level, timezone, language, interests

        /// Position in ``MatchRules/criteria`` (a switch, so hot loops do not allocate `allCases`).
        @inlinable
        public var position: Int {
            switch self {
            case .department: 0
            case .company: 1
            case .level: 2
            case .timezone: 3
            case .language: 4
            case .interests: 5
            }
        }

        /// Every attribute, in position order, stored once.
        public static let ordered: [Attribute] = allCases
    }

    /// One weighted criterion: its preference and how many percent it can add to a score.
    public struct Criterion: Sendable, Hashable {
        public var prefer: Preference
        /// Percentage points (0–100) added to the pair's score when fully satisfied.
        public var weight: Int

        public init(prefer: Preference, weight: Int) {
            self.prefer = prefer
            self.weight = weight
        }
    }

    /// What a previous partnership (from the history file) does to a pair.
    public enum HistoryPolicy: String, Sendable, Hashable, CaseIterable {
        case forbid, penalise
    }

    /// What happens to someone left without a partner.
    public enum OddOneOutPolicy: String, Sendable, Hashable, CaseIterable {
        case leaveOut = "leave_out"
        case triad
    }

    /// Maximum seniority difference between partners; `nil` switches the window off.
    public var levelWindow: Int?
    /// Partners must share at least one language (when both list languages).
    public var requireSharedLanguage: Bool
    /// Minimum overlap of working hours, in hours, when both have a time zone; `nil` is off.
    public var minimumOverlapHours: Int?
    /// Local working hours used for overlaps, `[start, end)` in hours.
    public var workingHoursStart: Int
    public var workingHoursEnd: Int
    /// Never match someone with their manager or direct report.
    public var forbidReportingLine: Bool
    /// Never match a pair where either excluded the other.
    public var honourExclusions: Bool
    public var history: HistoryPolicy
    /// Percent taken off a repeat pair's score when history is `penalise`.
    public var historyPenaltyPercent: Int
    /// 0 = one-way learning is as good as two-way; 100 = both must learn.
    public var reciprocity: Int
    /// Teaching value by how many levels the teacher is ahead (index 0 is one level ahead).
    public var gapValues: [Int]
    /// Percent of a skill's teaching value credited for a strong related skill (same family).
    public var relatedCreditPercent: Int
    /// How many wanted skills count per direction (the best ones).
    public var skillsCounted: Int
    /// Skill families for related-skill credit: family name and member skill slugs, sorted.
    public var skillFamilies: [SkillFamily]
    /// One criterion per attribute, in ``Attribute/allCases`` order.
    public var criteria: [Criterion]
    public var oddOneOut: OddOneOutPolicy
    /// Candidate partners kept per person; `nil` lets it grow with the pool.
    public var candidatesPerPerson: Int?
    /// Partners (pairs, buddies) or mentees (mentors) per person when the CSV gives none.
    public var defaultCapacity: Int

    /// The criterion for an attribute.
    public func criterion(_ attribute: Attribute) -> Criterion {
        criteria[attribute.position]
    }

    /// Sets the criterion for an attribute.
    public mutating func setCriterion(_ attribute: Attribute, _ criterion: Criterion) {
        criteria[attribute.position] = criterion
    }

    /// The teaching value for a teacher `gap` levels ahead (0 when not ahead).
    @inlinable
    public func gapValue(_ gap: Int) -> Int {
        guard gap > 0 else { return 0 }
        return gap <= gapValues.count ? gapValues[gap - 1] : (gapValues.last ?? 0)
    }

    /// Sensible defaults per model: peers within one level, buddies near in level, and
    /// traditional mentoring with no window (mentors are meant to be ahead).
    public static func defaults(for model: MatchModel) -> MatchRules {
        var rules = MatchRules(
            levelWindow: 1, requireSharedLanguage: true, minimumOverlapHours: 2,
            workingHoursStart: 9, workingHoursEnd: 17, forbidReportingLine: true, honourExclusions: true,
            history: .forbid, historyPenaltyPercent: 50, reciprocity: 70,
            gapValues: [100, 90, 55, 30, 15], relatedCreditPercent: 0, skillsCounted: 3,
            skillFamilies: [],
            criteria: Attribute.allCases.map { _ in Criterion(prefer: .ignore, weight: 0) },
            oddOneOut: .leaveOut, candidatesPerPerson: nil, defaultCapacity: 1)
        rules.setCriterion(.department, Criterion(prefer: .different, weight: 10))
        rules.setCriterion(.timezone, Criterion(prefer: .similar, weight: 10))
        rules.setCriterion(.interests, Criterion(prefer: .similar, weight: 5))
        switch model {
        case .pairs:
            break
        case .buddies:
            rules.levelWindow = 2
            rules.setCriterion(.department, Criterion(prefer: .ignore, weight: 0))
        case .mentoring:
            rules.levelWindow = nil
            rules.reciprocity = 0
            rules.gapValues = [100, 100, 90, 70, 50]
            rules.defaultCapacity = 2
        }
        return rules
    }
}

/// A named group of related skills (for partial teaching credit).
public struct SkillFamily: Sendable, Hashable {
    public var name: String
    /// Member skill slugs, sorted.
    public var skills: [String]

    public init(name: String, skills: [String]) {
        self.name = name
        self.skills = skills.map { SkillSlug.make($0) }.sorted()
    }
}
