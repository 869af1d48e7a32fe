/// ``ScoringContext/weight(_:_:)`` for the candidate search's inner loop, on one compact card
/// per person.
///
/// The search scores tens of thousands of partners per person at 100,000 people, and almost
/// all of that time was waiting for memory: one pair's weight read about fifteen of the
/// context's per-person arrays (level, languages, time zone, manager, flags, the flat skill
/// and want lists, department, interests) at the partner's index, each a cache miss. A card
/// holds everything the weight of an ordinary pair needs in 64 bytes, so a partner costs one
/// or two cache lines. The arithmetic is the context's, step by step, and gives exactly the
/// same weight (the tests compare the two on random pools and rules); anything a card cannot
/// hold (more than four strengths or wants, skill ids past 65,535, levels or offsets out of
/// range, exclusions, history and set-aside pairs) falls back to the context.
///
/// Only for pairs without related-skill credit and with language and interest bit sets; other
/// runs use ``ScoringContext/weight(_:_:)`` directly (see ``make(_:)``).
struct PairScorer: Sendable {
    /// One person's attributes as the weight reads them.
    struct Card: Sendable {
        var languages: UInt64 = 0
        var interests: UInt64 = 0
        /// Skill ids of the strengths (sorted, as in the context), 16 bits each.
        var strengthSkills: UInt64 = 0
        /// Skill ids of the wants, in the context's order, 16 bits each.
        var wantSkills: UInt64 = 0
        /// Strength levels (bytes 0–3) and want current levels (bytes 4–7).
        var levels: UInt64 = 0
        var department: Int32 = -1
        var company: Int32 = -1
        var manager: Int32 = -1
        /// Want priorities, 8 bits each.
        var priorities: UInt32 = 0
        /// Seniority, or `Int16.min` when unknown.
        var seniority: Int16 = .min
        /// UTC offset in minutes, or `Int16.min` when unknown.
        var utcOffset: Int16 = .min
        var strengthCount: UInt8 = 0
        var wantCount: UInt8 = 0
        /// `exact`: the card holds the person completely; `special`: some pair of theirs needs
        /// a set lookup (exclusions, history, set aside) or they take no partner.
        var flags: UInt8 = 0

        static let exact: UInt8 = 1
        static let special: UInt8 = 2
    }

    let cards: [Card]
    /// The rules as the weight reads them, with no reference-counted storage: the two search
    /// threads read it for every partner, and retaining shared arrays there costs more than
    /// the arithmetic.
    let kernel: Kernel

    /// The rules' numbers the weight of two exact cards needs.
    struct Kernel: Sendable {
        /// `gapValues`, at most eight (longer tables take the context's path).
        var gaps: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
        var gapCount = 0
        var skillsCounted = 0
        var reciprocity: Int64 = 0
        /// Level window, or -1 when off.
        var levelWindow = -1
        var requireSharedLanguage = false
        /// Minimum overlap in minutes, or -1 when off.
        var minimumOverlapMinutes = -1
        var forbidReportingLine = false
        var workingHoursStart = 0
        var workingHoursEnd = 0
        /// Criterion weights by attribute (0 when ignored), and which prefer different.
        var department = 0, company = 0, level = 0, timezone = 0, language = 0, interests = 0
        var different: (department: Bool, company: Bool, level: Bool, timezone: Bool, language: Bool, interests: Bool) =
            (false, false, false, false, false, false)

        /// `MatchRules.gapValue(gap)`.
        @inline(__always)
        func gapValue(_ gap: Int) -> Int {
            guard gap > 0, gapCount > 0 else { return 0 }
            switch min(gap, gapCount) {
            case 1: return gaps.0
            case 2: return gaps.1
            case 3: return gaps.2
            case 4: return gaps.3
            case 5: return gaps.4
            case 6: return gaps.5
            case 7: return gaps.6
            default: return gaps.7
            }
        }
    }

    /// A scorer for the context, or `nil` when its model or rules take paths the cards do not hold.
    static func make(_ context: ScoringContext) -> PairScorer? {
        guard context.model == .pairs, context.rules.relatedCreditPercent == 0, context.rules.gapValues.count <= 8,
              let languageMask = context.languageMask, let interestMask = context.interestMask
        else { return nil }
        return PairScorer(context, languageMask: languageMask, interestMask: interestMask)
    }

    private init(_ context: ScoringContext, languageMask: [UInt64], interestMask: [UInt64]) {
        let rules = context.rules
        var cards: [Card] = []
        cards.reserveCapacity(context.count)
        for person in 0..<context.count {
            var card = Card()
            var exact = true
            card.languages = languageMask[person]
            card.interests = interestMask[person]
            card.department = context.department[person]
            card.company = context.company[person]
            card.manager = context.manager[person]
            let level = context.level[person]
            if level != Int32.min {
                if let value = Int16(exactly: level), value != .min { card.seniority = value } else { exact = false }
            }
            let offset = context.utcOffset[person]
            if offset != Int32.min {
                if let value = Int16(exactly: offset), value != .min { card.utcOffset = value } else { exact = false }
            }
            let strengths = Int(context.strengthStart[person])..<Int(context.strengthStart[person + 1])
            let wants = Int(context.wantStart[person])..<Int(context.wantStart[person + 1])
            if strengths.count > 4 || wants.count > 4 { exact = false }
            for (slot, s) in strengths.prefix(4).enumerated() {
                let skill = context.strengthSkill[s]
                if skill < 0 || skill > 0xFFFF { exact = false }
                card.strengthSkills |= UInt64(UInt16(truncatingIfNeeded: skill)) << (16 * slot)
                card.levels |= UInt64(UInt8(bitPattern: context.strengthLevel[s])) << (8 * slot)
            }
            for (slot, w) in wants.prefix(4).enumerated() {
                let skill = context.wantSkill[w]
                if skill < 0 || skill > 0xFFFF { exact = false }
                card.wantSkills |= UInt64(UInt16(truncatingIfNeeded: skill)) << (16 * slot)
                card.levels |= UInt64(UInt8(bitPattern: context.wantCurrent[w])) << (8 * (4 + slot))
                card.priorities |= UInt32(UInt8(bitPattern: context.wantPriority[w])) << (8 * slot)
            }
            card.strengthCount = UInt8(min(4, strengths.count))
            card.wantCount = UInt8(min(4, wants.count))
            if context.capacity[person] <= 0 || context.hasExclusions[person] || context.hasHistory[person]
                || context.hasSetAside[person] {
                card.flags |= Card.special
            }
            if exact { card.flags |= Card.exact }
            cards.append(card)
        }
        self.cards = cards
        var kernel = Kernel()
        for (index, value) in rules.gapValues.enumerated() {
            switch index {
            case 0: kernel.gaps.0 = value
            case 1: kernel.gaps.1 = value
            case 2: kernel.gaps.2 = value
            case 3: kernel.gaps.3 = value
            case 4: kernel.gaps.4 = value
            case 5: kernel.gaps.5 = value
            case 6: kernel.gaps.6 = value
            default: kernel.gaps.7 = value
            }
        }
        kernel.gapCount = rules.gapValues.count
        kernel.skillsCounted = rules.skillsCounted
        kernel.reciprocity = Int64(rules.reciprocity)
        kernel.levelWindow = rules.levelWindow ?? -1
        kernel.requireSharedLanguage = rules.requireSharedLanguage
        kernel.minimumOverlapMinutes = rules.minimumOverlapHours.map { $0 * 60 } ?? -1
        kernel.forbidReportingLine = rules.forbidReportingLine
        kernel.workingHoursStart = rules.workingHoursStart
        kernel.workingHoursEnd = rules.workingHoursEnd
        func active(_ attribute: MatchRules.Attribute) -> (Int, Bool) {
            let criterion = rules.criterion(attribute)
            guard criterion.weight > 0, criterion.prefer != .ignore else { return (0, false) }
            return (criterion.weight, criterion.prefer == .different)
        }
        (kernel.department, kernel.different.department) = active(.department)
        (kernel.company, kernel.different.company) = active(.company)
        (kernel.level, kernel.different.level) = active(.level)
        (kernel.timezone, kernel.different.timezone) = active(.timezone)
        (kernel.language, kernel.different.language) = active(.language)
        (kernel.interests, kernel.different.interests) = active(.interests)
        self.kernel = kernel
    }

    /// The weight of the pair `{a, b}`, equal to `context.weight(a, b)`; `cards` is the storage of
    /// ``cards`` (see ``withCards(_:)``).
    @inline(__always)
    static func weight(_ a: Int, _ b: Int, kernel: Kernel, cards: UnsafeBufferPointer<Card>, context: ScoringContext) -> Int64 {
        let x = cards[a], y = cards[b]
        guard x.flags & y.flags & Card.exact != 0, (x.flags | y.flags) & Card.special == 0 else {
            return context.weight(a, b)
        }
        return kernel.weight(x, y, a: a, b: b)
    }

    /// The same, for callers outside a loop (tests).
    func weight(_ a: Int, _ b: Int, context: ScoringContext) -> Int64 {
        withCards { Self.weight(a, b, kernel: kernel, cards: $0, context: context) }
    }

    /// Runs `body` with the cards' storage, so a loop reads them without retaining the array.
    func withCards<Result>(_ body: (UnsafeBufferPointer<Card>) -> Result) -> Result {
        cards.withUnsafeBufferPointer(body)
    }
}

extension PairScorer.Kernel {
    /// The weight of two exact cards without special pairs.
    @inline(__always)
    func weight(_ x: PairScorer.Card, _ y: PairScorer.Card, a: Int, b: Int) -> Int64 {
        // Hard constraints, as ScoringContext.blockingConstraint (capacity and the set lookups
        // are excluded by the `special` flag).
        if levelWindow >= 0, x.seniority != .min, y.seniority != .min,
           abs(Int(x.seniority) - Int(y.seniority)) > levelWindow {
            return 0
        }
        if requireSharedLanguage, x.languages != 0, y.languages != 0, x.languages & y.languages == 0 { return 0 }
        let bothZones = x.utcOffset != .min && y.utcOffset != .min
        if minimumOverlapMinutes >= 0, bothZones, overlap(x.utcOffset, y.utcOffset) < minimumOverlapMinutes { return 0 }
        if forbidReportingLine, x.manager == Int32(truncatingIfNeeded: b) || y.manager == Int32(truncatingIfNeeded: a) {
            return 0
        }
        // Learning value, as ScoringContext.reciprocalComplementarity.
        let aToB = Int64(teachingValue(from: x, to: y)), bToA = Int64(teachingValue(from: y, to: x))
        let r = reciprocity
        let value = (100 - r) * (aToB + bToA)
            + (aToB == 0 || bToA == 0 ? 0 : 2 * r * ScoringContext.integerSquareRoot(aToB * bToA))
        guard value > 0 else { return 0 }
        // Criteria, as ScoringContext.factor (history penalties are `special`).
        // Each criterion's effect is rounded down on its own, as in ScoringContext.criterionEffect.
        var percent = 100
        @inline(__always) func effect(_ weight: Int, _ different: Bool, _ similarity: Int) -> Int {
            weight * (different ? 100 - similarity : similarity) / 100
        }
        if department > 0, x.department >= 0, y.department >= 0 {
            percent += effect(department, different.department, x.department == y.department ? 100 : 0)
        }
        if company > 0, x.company >= 0, y.company >= 0 {
            percent += effect(company, different.company, x.company == y.company ? 100 : 0)
        }
        if level > 0, x.seniority != .min, y.seniority != .min {
            percent += effect(level, different.level, max(0, 100 - 25 * abs(Int(x.seniority) - Int(y.seniority))))
        }
        if timezone > 0, bothZones {
            let similarity = overlap(x.utcOffset, y.utcOffset) * 100 / max(1, (workingHoursEnd - workingHoursStart) * 60)
            percent += effect(timezone, different.timezone, similarity)
        }
        if language > 0, x.languages != 0, y.languages != 0 {
            let similarity = (x.languages & y.languages).nonzeroBitCount * 100
                / min(x.languages.nonzeroBitCount, y.languages.nonzeroBitCount)
            percent += effect(language, different.language, similarity)
        }
        if interests > 0, x.interests != 0, y.interests != 0 {
            let similarity = (x.interests & y.interests).nonzeroBitCount * 100
                / min(x.interests.nonzeroBitCount, y.interests.nonzeroBitCount)
            percent += effect(interests, different.interests, similarity)
        }
        guard percent > 0 else { return 0 }
        return value * Int64(percent) / 100
    }

    /// As ScoringContext.teachingValue without related credit.
    @inline(__always)
    func teachingValue(from teacher: PairScorer.Card, to learner: PairScorer.Card) -> Int {
        let wants = Int(learner.wantCount)
        if wants == 0 { return 0 }
        var contributions: (Int, Int, Int, Int) = (0, 0, 0, 0)
        var total = 0, positive = 0
        for slot in 0..<wants {
            let skill = UInt16(truncatingIfNeeded: learner.wantSkills >> (16 * slot))
            let current = Int(Int8(bitPattern: UInt8(truncatingIfNeeded: learner.levels >> (8 * (4 + slot)))))
            var level = 0
            // The teacher's strengths are sorted by skill id: the first match is the context's.
            for s in 0..<Int(teacher.strengthCount) {
                let id = UInt16(truncatingIfNeeded: teacher.strengthSkills >> (16 * s))
                if id == skill {
                    level = Int(Int8(bitPattern: UInt8(truncatingIfNeeded: teacher.levels >> (8 * s))))
                    break
                }
                if id > skill { break }
            }
            var value = 0
            if level > current {
                let priority = Int(Int8(bitPattern: UInt8(truncatingIfNeeded: learner.priorities >> (8 * slot))))
                let gap = level - current
                value = gapValue(gap) * priority
            }
            switch slot {
            case 0: contributions.0 = value
            case 1: contributions.1 = value
            case 2: contributions.2 = value
            default: contributions.3 = value
            }
            if value > 0 {
                total += value
                positive += 1
            }
        }
        guard positive > skillsCounted else { return total }
        // Rare path (more positive wants than counted): the best `skillsCounted` contributions.
        let values = [contributions.0, contributions.1, contributions.2, contributions.3].prefix(wants).sorted(by: >)
        return values.prefix(skillsCounted).reduce(0, +)
    }

    /// ScoringContext.overlapMinutes on two known offsets.
    @inline(__always)
    func overlap(_ a: Int16, _ b: Int16) -> Int {
        let start = workingHoursStart * 60, end = workingHoursEnd * 60
        let aStart = start - Int(a), aEnd = end - Int(a)
        let bStart = start - Int(b), bEnd = end - Int(b)
        return max(0, min(aEnd, bEnd - 1440) - max(aStart, bStart - 1440))
            + max(0, min(aEnd, bEnd) - max(aStart, bStart))
            + max(0, min(aEnd, bEnd + 1440) - max(aStart, bStart + 1440))
    }
}
