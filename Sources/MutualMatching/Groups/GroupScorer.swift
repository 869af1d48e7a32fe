/// Scores one group of people, reusing the pair scoring of ``ScoringContext`` for every part
/// that pairs and groups share (teaching value, criteria, hard constraints).
///
/// A group's **weight** (an integer, so the search compares exactly) is
///
///     learning × factor / 100 − repeat penalty
///
/// * **learning** sums, over members, a concave value of what the member can learn inside the
///   group: for each of their wants the best teacher among the *other* members
///   (``ScoringContext/wantContribution(teacher:wantIndex:)``: one step ahead is best, a
///   distant expert less, related-skill credit as the rules say), best
///   ``MatchRules/skillsCounted`` wants summed into `L`. The member's value is
///   `(100 − r)·L + r·⌊√(100·L)⌋` with `r` the rules' reciprocity: at `r = 0` learning simply
///   adds up, at `r = 100` it has diminishing returns, so a group where everyone learns beats
///   one where one member learns a lot and another nothing — the group form of "both must learn".
/// * **factor** is 100 plus, for each weighted criterion of the rules (department, company,
///   level, time zone, language, interests — *similar* or *different*), its effect averaged
///   over the pairs of members, plus a skill-family diversity bonus (distinct main skill
///   families among the members).
/// * **repeat penalty** (rotation only) charges each pair of members who met before the value
///   of two members learning well (one per side) times the recency percent of ``RoundHistory``,
///   so a recent repeat costs more than an old one.
///
/// Every pair of members must satisfy the rules' hard constraints
/// (``ScoringContext/blockingConstraint(_:_:)``); each violating pair costs ``violationCost``
/// in the search's objective, far more than any group can weigh, and the final repair phase
/// removes any that remain.
public struct GroupScorer: Sendable {
    /// The pair scoring this scorer builds on (model `.pairs`).
    public let context: ScoringContext
    /// Percentage points for fully diverse main skill families.
    public let familyDiversityWeight: Int
    /// Cost of a previous meeting for each pair key (only pairs who met), in thousandths of a
    /// reference member's value.
    let repeatCost: [UInt64: Int64]
    let hasRepeat: [Bool]
    /// Each person's main skill family (family of their strongest skill, or the skill itself
    /// when it is in no family), or -1 without strengths.
    let mainFamily: [Int32]
    /// Criteria with a weight, so the pair loop skips the ignored ones.
    let activeCriteria: [MatchRules.Attribute]
    /// The same criteria as (attribute, prefer different, weight), read once: the pair loop
    /// runs millions of times and should not look the rules up on each pass.
    let criteriaTable: [(attribute: MatchRules.Attribute, different: Bool, weight: Int)]
    /// The value of one member learning two wanted skills from someone one level ahead with
    /// every criterion met: 100 on the display scale.
    public let referenceMemberWeight: Int64
    /// The objective's charge for one pair of members breaking a hard constraint.
    public static let violationCost: Int64 = 1 << 34

    /// Creates a scorer. `repeatCosts` maps pairs of people (indices) to the permille of a
    /// reference member's value that their meeting again costs (see ``RoundHistory``).
    public init(context: ScoringContext, familyDiversityWeight: Int = 10, repeatCosts: [(Int, Int, Int64)] = []) {
        self.context = context
        self.familyDiversityWeight = familyDiversityWeight
        var costs: [UInt64: Int64] = [:]
        var hasRepeat = [Bool](repeating: false, count: context.count)
        for (a, b, cost) in repeatCosts where a != b && cost > 0 {
            costs[ScoringContext.pairKey(a, b), default: 0] += cost
            hasRepeat[a] = true
            hasRepeat[b] = true
        }
        self.repeatCost = costs
        self.hasRepeat = hasRepeat
        let familyCount = Int32(context.rules.skillFamilies.count)
        self.mainFamily = (0..<context.count).map { person in
            var bestSkill: Int32 = -1, bestLevel: Int8 = 0
            for index in Int(context.strengthStart[person])..<Int(context.strengthStart[person + 1])
            where context.strengthLevel[index] > bestLevel {
                bestLevel = context.strengthLevel[index]
                bestSkill = context.strengthSkill[index]
            }
            guard bestSkill >= 0 else { return -1 }
            let family = context.familyOfSkill[Int(bestSkill)]
            return family >= 0 ? family : familyCount + bestSkill
        }
        self.activeCriteria = MatchRules.Attribute.allCases.filter {
            let criterion = context.rules.criterion($0)
            return criterion.prefer != .ignore && criterion.weight > 0
        }
        self.criteriaTable = activeCriteria.map { attribute in
            let criterion = context.rules.criterion(attribute)
            return (attribute, criterion.prefer == .different, criterion.weight)
        }
        let criteriaMaximum = activeCriteria.reduce(0) { $0 + context.rules.criterion($1).weight }
        let reference = 2 * (context.rules.gapValues.first ?? 100)
        self.referenceMemberWeight = Self.memberValue(reference, reciprocity: context.rules.reciprocity)
            * Int64(100 + criteriaMaximum + familyDiversityWeight) / 100
    }

    /// Number of people in the pool.
    public var count: Int { context.count }

    /// The concave value of a member learning `learning`.
    @inlinable
    static func memberValue(_ learning: Int, reciprocity: Int) -> Int64 {
        guard learning > 0 else { return 0 }
        let linear = Int64(100 - reciprocity) * Int64(learning)
        return linear + Int64(reciprocity) * ScoringContext.integerSquareRoot(100 * Int64(learning))
    }

    /// What one member can learn inside the group: the best teacher for each want, best
    /// ``MatchRules/skillsCounted`` summed.
    @inline(__always)
    func learning(of member: Int32, in members: UnsafeBufferPointer<Int32>) -> Int {
        let person = Int(member)
        let wants = Int(context.wantStart[person])..<Int(context.wantStart[person + 1])
        if wants.isEmpty { return 0 }
        let limit = context.rules.skillsCounted
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: wants.count) { best in
            var filled = 0
            for index in wants {
                var top = 0
                for teacher in members where teacher != member {
                    top = max(top, context.wantContribution(teacher: Int(teacher), wantIndex: index))
                }
                best[filled] = top
                filled += 1
            }
            if filled <= limit { return best[0..<filled].reduce(0, +) }
            // Rare: more wants than counted; keep the largest.
            var total = 0
            for _ in 0..<limit {
                var position = 0
                for i in 1..<filled where best[i] > best[position] { position = i }
                total += best[position]
                best[position] = -1
            }
            return total
        }
    }

    /// Scores a group. Returns `nil` as soon as more than `violationLimit` pairs break a hard
    /// constraint (the search uses this to skip hopeless neighbours without scoring them).
    public func evaluate(_ members: UnsafeBufferPointer<Int32>, violationLimit: Int = Int.max) -> GroupValue? {
        let size = members.count
        var violations = 0
        var criteriaTotal = 0
        var repeatPermille: Int64 = 0
        if size >= 2 {
            for i in 0..<(size - 1) {
                let a = Int(members[i])
                for j in (i + 1)..<size {
                    let b = Int(members[j])
                    if context.blockingConstraint(a, b) != nil {
                        violations += 1
                        if violations > violationLimit { return nil }
                    }
                    criteriaTotal += criteriaEffect(a, b)
                    if hasRepeat[a], hasRepeat[b], let cost = repeatCost[ScoringContext.pairKey(a, b)] {
                        repeatPermille += cost
                    }
                }
            }
        }
        var learningTotal: Int64 = 0
        var wanting = 0
        var learners = 0
        let reciprocity = context.rules.reciprocity
        for member in members {
            let person = Int(member)
            guard context.wantStart[person + 1] > context.wantStart[person] else { continue }
            wanting += 1
            let value = learning(of: member, in: members)
            if value > 0 { learners += 1 }
            learningTotal += Self.memberValue(value, reciprocity: reciprocity)
        }
        let pairCount = size * (size - 1) / 2
        var factor = 100 + (pairCount > 0 ? criteriaTotal / pairCount : 0)
        factor += familyDiversityWeight * diversityPercent(members) / 100
        let weight = learningTotal * Int64(factor) / 100 - repeatPermille * 2 * referenceMemberWeight / 1000
        return GroupValue(weight: weight, violations: violations, wantingMembers: wanting, learningMembers: learners)
    }

    /// Array convenience for ``evaluate(_:violationLimit:)`` (never `nil`).
    public func evaluate(_ members: [Int32]) -> GroupValue {
        members.withUnsafeBufferPointer { evaluate($0)! }
    }

    /// 0 when every member's main skill family is the same, 100 when all differ.
    func diversityPercent(_ members: UnsafeBufferPointer<Int32>) -> Int {
        var known = 0, distinct = 0
        for (index, member) in members.enumerated() {
            let family = mainFamily[Int(member)]
            guard family >= 0 else { continue }
            known += 1
            var seen = false
            for earlier in members[0..<index] where mainFamily[Int(earlier)] == family {
                seen = true
                break
            }
            if !seen { distinct += 1 }
        }
        guard known >= 2 else { return 0 }
        return (distinct - 1) * 100 / (known - 1)
    }

    /// The sum of ``ScoringContext/criterionEffect(_:_:_:)`` over the active criteria, computed
    /// with the same formulas as ``ScoringContext/criterionMatch(_:_:_:)`` but without looking
    /// the rules up per pair (a test keeps the two equal).
    @inline(__always)
    func criteriaEffect(_ a: Int, _ b: Int) -> Int {
        var total = 0
        for (attribute, different, weight) in criteriaTable {
            let similarity: Int
            switch attribute {
            case .department:
                guard context.department[a] >= 0, context.department[b] >= 0 else { continue }
                similarity = context.department[a] == context.department[b] ? 100 : 0
            case .company:
                guard context.company[a] >= 0, context.company[b] >= 0 else { continue }
                similarity = context.company[a] == context.company[b] ? 100 : 0
            case .level:
                guard context.level[a] != Int32.min, context.level[b] != Int32.min else { continue }
                similarity = max(0, 100 - 25 * abs(Int(context.level[a]) - Int(context.level[b])))
            case .timezone:
                guard context.utcOffset[a] != Int32.min, context.utcOffset[b] != Int32.min else { continue }
                similarity = context.overlapMinutes(a, b) * 100
                    / max(1, (context.rules.workingHoursEnd - context.rules.workingHoursStart) * 60)
            case .language, .interests:
                guard let match = context.criterionMatch(attribute, a, b) else { continue }
                total += weight * match / 100
                continue
            }
            total += weight * (different ? 100 - similarity : similarity) / 100
        }
        return total
    }

    /// ``diversityPercent(_:)`` for an array.
    func diversityPercentOf(_ members: [Int32]) -> Int {
        members.withUnsafeBufferPointer { diversityPercent($0) }
    }

    /// The 0–100 display score of a group: its weight per member who wants something, against
    /// ``referenceMemberWeight``.
    public func displayScore(_ value: GroupValue) -> Int {
        let perMember = value.weight / Int64(max(1, value.wantingMembers))
        guard referenceMemberWeight > 0, perMember > 0 else { return 0 }
        return Int(min(100, (perMember * 100 + referenceMemberWeight / 2) / referenceMemberWeight))
    }

    /// The per-member weight the fairness phase compares groups by (finer than the display score).
    func perMemberWeight(_ value: GroupValue) -> Int64 {
        value.weight / Int64(max(1, value.wantingMembers))
    }
}

/// The score of one group as ``GroupScorer`` computes it.
public struct GroupValue: Sendable, Hashable {
    /// learning × factor / 100 − repeat penalty (see ``GroupScorer``).
    public var weight: Int64
    /// Pairs of members that break a hard constraint.
    public var violations: Int
    /// Members with at least one want (the members the score is averaged over).
    public var wantingMembers: Int
    /// Members with at least one want covered by another member.
    public var learningMembers: Int

    /// What the search maximises: the weight, minus ``GroupScorer/violationCost`` per violating pair.
    public var objective: Int64 { weight - Int64(violations) * GroupScorer.violationCost }
}
