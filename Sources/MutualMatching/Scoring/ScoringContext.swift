/// The pool in the compact, index-based form the hot loops need: skills, languages,
/// departments and interests interned to integers, per-person lists in flat arrays, and
/// the pairs touched by exclusions or history in hash sets.
///
/// Built once per run; every weight the solver sees comes from ``weight(_:_:)`` here, so
/// the candidate graph, pricing and explanations can never disagree about a score.
public struct ScoringContext: Sendable {
    public let model: MatchModel
    public let rules: MatchRules
    public let people: [Person]
    /// Number of people.
    public var count: Int { people.count }

    /// Skill slugs by interned id, and the display name first seen for each.
    public let skillSlugs: [String]
    public let skillDisplayNames: [String]
    let skillIDs: [String: Int32]
    /// Family id of each skill, or -1.
    let familyOfSkill: [Int32]

    // Per-person flat lists: person p's items are at start[p]..<start[p + 1].
    let strengthStart: [Int32]
    let strengthSkill: [Int32]
    let strengthLevel: [Int8]
    let familyStart: [Int32]
    let familyID: [Int32]
    /// Best level in any skill of the family.
    let familyLevel: [Int8]
    let wantStart: [Int32]
    let wantSkill: [Int32]
    let wantCurrent: [Int8]
    let wantPriority: [Int8]
    /// The highest want priority in the pool (1 when nobody wants anything): the bounds use it
    /// once per person, so it is computed once.
    let maximumWantPriority: Int
    let languageStart: [Int32]
    let languageIDs: [Int32]
    let interestStart: [Int32]
    let interestIDs: [Int32]
    /// Each person's languages and interests as bit sets, when the pool has at most 64 distinct
    /// of each (`nil` otherwise): shared-language checks and the language and interest criteria
    /// run on every scored pair, and an AND is much cheaper than merging two sorted lists.
    let languageMask: [UInt64]?
    let interestMask: [UInt64]?

    /// Seniority level, or `Int32.min` when unknown.
    let level: [Int32]
    /// UTC offset in minutes, or `Int32.min` when unknown.
    let utcOffset: [Int32]
    /// Interned department and company, -1 when empty.
    let department: [Int32]
    let company: [Int32]
    /// Index of the person's manager in the pool, or -1.
    let manager: [Int32]
    /// Partners (or mentees) this person takes; see ``capacity(of:model:rules:)``.
    public let capacity: [Int32]
    let canMentor: [Bool]
    let canBeMentored: [Bool]
    let hasExclusions: [Bool]
    let exclusionPairs: Set<UInt64>
    let hasHistory: [Bool]
    let historyPairs: Set<UInt64>
    /// Pairs the caller forbids outright (a programme manager broke them), whatever the rules say.
    let hasSetAside: [Bool]
    let setAsidePairs: Set<UInt64>

    /// The largest criteria factor (percent) any pair can reach.
    public let maximumFactor: Int64
    /// The weight of a reference "very good" pair (each teaches the other two wanted skills one
    /// level ahead, all criteria met), which maps to 100 on the display scale.
    public let referenceWeight: Int64
    /// Index of each person id.
    public let indexOfID: [String: Int]

    /// Interns the pool. `history` holds pairs of ids that met before; `setAside` holds pairs of
    /// ids that may never be matched (see ``HardConstraint/setAside``); unknown ids are ignored.
    public init(
        people: [Person], rules: MatchRules, model: MatchModel, history: [(String, String)] = [], setAside: [(String, String)] = []
    ) {
        self.model = model
        self.rules = rules
        self.people = people
        var indexOfID: [String: Int] = [:]
        for (index, person) in people.enumerated() { indexOfID[person.id] = index }
        self.indexOfID = indexOfID

        var skillIDs: [String: Int32] = [:]
        var skillSlugs: [String] = []
        var skillDisplayNames: [String] = []
        func intern(_ slug: String, _ display: String) -> Int32 {
            if let id = skillIDs[slug] { return id }
            let id = Int32(skillSlugs.count)
            skillIDs[slug] = id
            skillSlugs.append(slug)
            skillDisplayNames.append(display)
            return id
        }
        for person in people {
            for strength in person.strengths { _ = intern(strength.skill, strength.displayName) }
            for want in person.wants { _ = intern(want.skill, want.displayName) }
        }
        var familyBySlug: [String: Int32] = [:]
        for (index, family) in rules.skillFamilies.enumerated() {
            for skill in family.skills {
                familyBySlug[skill] = Int32(index)
                _ = intern(skill, skill)
            }
        }
        self.skillIDs = skillIDs
        self.skillSlugs = skillSlugs
        self.skillDisplayNames = skillDisplayNames
        self.familyOfSkill = skillSlugs.map { familyBySlug[$0] ?? -1 }

        var labels: [String: Int32] = [:]
        func label(_ text: String) -> Int32 {
            if text.isEmpty { return -1 }
            if let id = labels[text] { return id }
            let id = Int32(labels.count)
            labels[text] = id
            return id
        }

        var strengthStart: [Int32] = [0], strengthSkill: [Int32] = [], strengthLevel: [Int8] = []
        var familyStart: [Int32] = [0], familyID: [Int32] = [], familyLevel: [Int8] = []
        var wantStart: [Int32] = [0], wantSkill: [Int32] = [], wantCurrent: [Int8] = [], wantPriority: [Int8] = []
        var languageStart: [Int32] = [0], languageIDs: [Int32] = []
        var interestStart: [Int32] = [0], interestIDs: [Int32] = []
        var level: [Int32] = [], utcOffset: [Int32] = [], department: [Int32] = [], company: [Int32] = []
        var manager: [Int32] = [], capacity: [Int32] = [], canMentor: [Bool] = [], canBeMentored: [Bool] = []
        var hasExclusions = [Bool](repeating: false, count: people.count)
        var exclusionPairs = Set<UInt64>()
        let familyCount = rules.skillFamilies.count
        for (index, person) in people.enumerated() {
            var best = [Int8](repeating: 0, count: familyCount)
            for strength in person.strengths.sorted(by: { skillIDs[$0.skill]! < skillIDs[$1.skill]! }) {
                let id = skillIDs[strength.skill]!
                strengthSkill.append(id)
                strengthLevel.append(Int8(strength.level))
                if let family = familyBySlug[strength.skill] { best[Int(family)] = max(best[Int(family)], Int8(strength.level)) }
            }
            strengthStart.append(Int32(strengthSkill.count))
            for (family, value) in best.enumerated() where value > 0 {
                familyID.append(Int32(family))
                familyLevel.append(value)
            }
            familyStart.append(Int32(familyID.count))
            for want in person.wants {
                wantSkill.append(skillIDs[want.skill]!)
                wantCurrent.append(Int8(want.currentLevel))
                wantPriority.append(Int8(want.priority))
            }
            wantStart.append(Int32(wantSkill.count))
            languageIDs += Set(person.languages.map { label("lang:" + $0) }).sorted()
            languageStart.append(Int32(languageIDs.count))
            interestIDs += Set(person.interests.map { label("interest:" + $0) }).sorted()
            interestStart.append(Int32(interestIDs.count))
            level.append(person.level.map(Int32.init) ?? Int32.min)
            utcOffset.append(person.utcOffsetMinutes.map(Int32.init) ?? Int32.min)
            department.append(label(person.department.isEmpty ? "" : "dept:" + person.department.lowercased()))
            company.append(label(person.company.isEmpty ? "" : "company:" + person.company.lowercased()))
            manager.append(person.managerID.flatMap { indexOfID[$0] }.map(Int32.init) ?? -1)
            capacity.append(Int32(Self.capacity(of: person, model: model, rules: rules)))
            let role = person.role ?? .both
            canMentor.append(role.canMentor)
            canBeMentored.append(role.canBeMentored)
            for other in person.exclude {
                guard let otherIndex = indexOfID[other], otherIndex != index else { continue }
                hasExclusions[index] = true
                hasExclusions[otherIndex] = true
                exclusionPairs.insert(Self.pairKey(index, otherIndex))
            }
        }
        var hasHistory = [Bool](repeating: false, count: people.count)
        var historyPairs = Set<UInt64>()
        for (a, b) in history {
            guard let i = indexOfID[a], let j = indexOfID[b], i != j else { continue }
            hasHistory[i] = true
            hasHistory[j] = true
            historyPairs.insert(Self.pairKey(i, j))
        }
        self.strengthStart = strengthStart
        self.strengthSkill = strengthSkill
        self.strengthLevel = strengthLevel
        self.familyStart = familyStart
        self.familyID = familyID
        self.familyLevel = familyLevel
        self.wantStart = wantStart
        self.wantSkill = wantSkill
        self.wantCurrent = wantCurrent
        self.wantPriority = wantPriority
        self.maximumWantPriority = Int(wantPriority.max() ?? 1)
        self.languageStart = languageStart
        self.languageIDs = languageIDs
        self.interestStart = interestStart
        self.interestIDs = interestIDs
        self.languageMask = Self.bitSets(languageIDs, starts: languageStart)
        self.interestMask = Self.bitSets(interestIDs, starts: interestStart)
        self.level = level
        self.utcOffset = utcOffset
        self.department = department
        self.company = company
        self.manager = manager
        self.capacity = capacity
        self.canMentor = canMentor
        self.canBeMentored = canBeMentored
        self.hasExclusions = hasExclusions
        self.exclusionPairs = exclusionPairs
        self.hasHistory = hasHistory
        self.historyPairs = historyPairs
        var hasSetAside = [Bool](repeating: false, count: people.count)
        var setAsidePairs = Set<UInt64>()
        for (a, b) in setAside {
            guard let i = indexOfID[a], let j = indexOfID[b], i != j else { continue }
            hasSetAside[i] = true
            hasSetAside[j] = true
            setAsidePairs.insert(Self.pairKey(i, j))
        }
        self.hasSetAside = hasSetAside
        self.setAsidePairs = setAsidePairs
        let positiveCriteria = rules.criteria.filter { $0.prefer != .ignore }.reduce(0) { $0 + $1.weight }
        self.maximumFactor = Int64(100 + positiveCriteria)
        self.referenceWeight = Int64(200 * 2 * (rules.gapValues.first ?? 100)) * Int64(100 + positiveCriteria) / 100
    }

    /// An order-independent key for the unordered pair `{a, b}`.
    @inlinable
    static func pairKey(_ a: Int, _ b: Int) -> UInt64 {
        let (low, high) = a < b ? (a, b) : (b, a)
        return UInt64(low) << 32 | UInt64(high)
    }

    /// The interned id of a skill slug, if anyone in the pool has or wants it.
    public func skillID(_ slug: String) -> Int32? { skillIDs[slug] }

    /// The 0–100 display score of a weight.
    public func displayScore(_ weight: Int64) -> Int {
        guard referenceWeight > 0 else { return 0 }
        return Int(min(100, (weight * 100 + referenceWeight / 2) / referenceWeight))
    }
}

extension ScoringContext {
    /// How many partners (pairs, buddies) or mentees (mentoring) a person takes.
    ///
    /// The `capacity` column counts partners for pairs and buddies, except on a row that also
    /// carries a mentoring `role`: such a row comes from a mentoring export (the synthetic pools
    /// are one), where capacity counts a mentor's mentees, and reading "3 mentees" as "3 peer
    /// partners" would quietly change the programme. Those rows keep only an opt-out (capacity 0)
    /// and otherwise take the rules' default.
    public static func capacity(of person: Person, model: MatchModel, rules: MatchRules) -> Int {
        guard let capacity = person.capacity else { return rules.defaultCapacity }
        if model == .mentoring || person.role == nil || capacity == 0 { return capacity }
        return rules.defaultCapacity
    }
}

extension ScoringContext {
    /// One bit set per person over `ids` (sorted per person), numbering the distinct ids of
    /// this kind from 0; `nil` when there are more than 64 of them.
    static func bitSets(_ ids: [Int32], starts: [Int32]) -> [UInt64]? {
        var bit: [Int32: Int] = [:]
        for id in Set(ids).sorted() {
            guard bit.count < 64 else { return nil }
            bit[id] = bit.count
        }
        return (0..<max(0, starts.count - 1)).map { person in
            var mask: UInt64 = 0
            for index in Int(starts[person])..<Int(starts[person + 1]) { mask |= 1 << UInt64(bit[ids[index]]!) }
            return mask
        }
    }
}
