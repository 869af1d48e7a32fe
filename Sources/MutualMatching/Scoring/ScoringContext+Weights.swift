extension ScoringContext {
    /// How much `teacher` can teach `learner`: for each of the learner's wants, the gap value
    /// of the teacher's level above the learner's current level (or partial credit from the
    /// teacher's best skill in the same family), times the want's priority; the best
    /// ``MatchRules/skillsCounted`` wants count.
    public func teachingValue(from teacher: Int, to learner: Int) -> Int {
        let wants = Int(wantStart[learner])..<Int(wantStart[learner + 1])
        if wants.isEmpty { return 0 }
        let limit = rules.skillsCounted
        var total = 0, positive = 0
        for index in wants {
            let value = wantContribution(teacher: teacher, wantIndex: index)
            if value > 0 {
                total += value
                positive += 1
            }
        }
        guard positive > limit else { return total }
        // Rare path (more wants than counted): keep the best `limit` contributions.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: wants.count) { buffer in
            var filled = 0
            for index in wants {
                buffer[filled] = wantContribution(teacher: teacher, wantIndex: index)
                filled += 1
            }
            let sorted = buffer[0..<filled].sorted(by: >)
            return sorted.prefix(limit).reduce(0, +)
        }
    }

    /// The teaching value of one want (by flat index) for a teacher.
    @inline(__always)
    func wantContribution(teacher: Int, wantIndex: Int) -> Int {
        let skill = wantSkill[wantIndex]
        let current = Int(wantCurrent[wantIndex])
        let priority = Int(wantPriority[wantIndex])
        let level = strengthLevel(of: teacher, skill: skill)
        if level > current { return rules.gapValue(level - current) * priority }
        guard rules.relatedCreditPercent > 0 else { return 0 }
        let family = familyOfSkill[Int(skill)]
        guard family >= 0 else { return 0 }
        let related = familyStrength(of: teacher, family: family)
        guard related > current else { return 0 }
        return rules.gapValue(related - current) * priority * rules.relatedCreditPercent / 100
    }

    /// A person's level in a skill, 0 when not a strength.
    @inline(__always)
    func strengthLevel(of person: Int, skill: Int32) -> Int {
        var index = Int(strengthStart[person])
        let end = Int(strengthStart[person + 1])
        while index < end {
            let id = strengthSkill[index]
            if id == skill { return Int(strengthLevel[index]) }
            if id > skill { return 0 }
            index += 1
        }
        return 0
    }

    /// A person's best level in any skill of a family, 0 when none.
    func familyStrength(of person: Int, family: Int32) -> Int {
        for index in Int(familyStart[person])..<Int(familyStart[person + 1]) where familyID[index] == family {
            return Int(familyLevel[index])
        }
        return 0
    }

    /// Combines the two directions of teaching. `reciprocity` 0 is the plain sum (one-way is
    /// fine); 100 is twice the geometric mean (zero unless both learn). Scaled by 200 so the
    /// blend stays an integer: both-learn pairs outscore one-way pairs of equal total
    /// whenever reciprocity is above 0, because √(ab) is largest when a = b.
    @inlinable
    public func reciprocalComplementarity(_ aToB: Int, _ bToA: Int) -> Int64 {
        let r = Int64(rules.reciprocity)
        let a = Int64(aToB), b = Int64(bToA)
        // A one-way pair needs no square root.
        return (100 - r) * (a + b) + (a == 0 || b == 0 ? 0 : 2 * r * Self.integerSquareRoot(a * b))
    }

    /// ⌊√value⌋ exactly.
    @inlinable
    static func integerSquareRoot(_ value: Int64) -> Int64 {
        guard value > 0 else { return 0 }
        // The hardware square root (an LLVM intrinsic, not libm) is within one of the answer
        // for these magnitudes; the two loops make it exact.
        var root = Int64(Double(value).squareRoot())
        while true {
            let (square, overflow) = root.multipliedReportingOverflow(by: root)
            if !overflow && square <= value { break }
            root -= 1
        }
        while true {
            let (square, overflow) = (root + 1).multipliedReportingOverflow(by: root + 1)
            if overflow || square > value { break }
            root += 1
        }
        return root
    }

    /// The learning value of a pair before criteria, per model (scaled by 200).
    public func complementarity(_ a: Int, _ b: Int) -> Int64 {
        switch model {
        case .pairs:
            return reciprocalComplementarity(teachingValue(from: a, to: b), teachingValue(from: b, to: a))
        case .mentoring:
            return 200 * Int64(teachingValue(from: a, to: b))
        case .buddies:
            return 200 * Int64(buddySimilarity(a, b))
        }
    }

    /// Buddies share goals: 100 per shared want (times the lower priority, best
    /// ``MatchRules/skillsCounted``) and 40 per shared interest (up to three).
    public func buddySimilarity(_ a: Int, _ b: Int) -> Int {
        var sharedValues: [Int] = []
        for i in Int(wantStart[a])..<Int(wantStart[a + 1]) {
            for j in Int(wantStart[b])..<Int(wantStart[b + 1]) where wantSkill[i] == wantSkill[j] {
                sharedValues.append(100 * Int(min(wantPriority[i], wantPriority[j])))
            }
        }
        sharedValues.sort(by: >)
        let wants = sharedValues.prefix(rules.skillsCounted).reduce(0, +)
        let interests = min(3, sharedCount(interestIDs, Int(interestStart[a])..<Int(interestStart[a + 1]),
                                           Int(interestStart[b])..<Int(interestStart[b + 1])))
        return wants > 0 ? wants + 40 * interests : 0
    }

    /// How well the pair meets one criterion, 0–100, or `nil` when either side lacks the attribute.
    public func criterionMatch(_ attribute: MatchRules.Attribute, _ a: Int, _ b: Int) -> Int? {
        let similarity: Int
        switch attribute {
        case .department:
            guard department[a] >= 0, department[b] >= 0 else { return nil }
            similarity = department[a] == department[b] ? 100 : 0
        case .company:
            guard company[a] >= 0, company[b] >= 0 else { return nil }
            similarity = company[a] == company[b] ? 100 : 0
        case .level:
            guard level[a] != Int32.min, level[b] != Int32.min else { return nil }
            similarity = max(0, 100 - 25 * abs(Int(level[a]) - Int(level[b])))
        case .timezone:
            guard utcOffset[a] != Int32.min, utcOffset[b] != Int32.min else { return nil }
            similarity = overlapMinutes(a, b) * 100 / max(1, (rules.workingHoursEnd - rules.workingHoursStart) * 60)
        case .language:
            if let masks = languageMask {
                guard masks[a] != 0, masks[b] != 0 else { return nil }
                similarity = (masks[a] & masks[b]).nonzeroBitCount * 100 / min(masks[a].nonzeroBitCount, masks[b].nonzeroBitCount)
                break
            }
            let aRange = Int(languageStart[a])..<Int(languageStart[a + 1])
            let bRange = Int(languageStart[b])..<Int(languageStart[b + 1])
            guard !aRange.isEmpty, !bRange.isEmpty else { return nil }
            similarity = sharedCount(languageIDs, aRange, bRange) * 100 / min(aRange.count, bRange.count)
        case .interests:
            if let masks = interestMask {
                guard masks[a] != 0, masks[b] != 0 else { return nil }
                similarity = (masks[a] & masks[b]).nonzeroBitCount * 100 / min(masks[a].nonzeroBitCount, masks[b].nonzeroBitCount)
                break
            }
            let aRange = Int(interestStart[a])..<Int(interestStart[a + 1])
            let bRange = Int(interestStart[b])..<Int(interestStart[b + 1])
            guard !aRange.isEmpty, !bRange.isEmpty else { return nil }
            similarity = sharedCount(interestIDs, aRange, bRange) * 100 / min(aRange.count, bRange.count)
        }
        let criterion = rules.criterion(attribute)
        switch criterion.prefer {
        case .ignore: return nil
        case .similar: return similarity
        case .different: return 100 - similarity
        }
    }

    /// The percentage points one criterion adds to the pair's factor.
    public func criterionEffect(_ attribute: MatchRules.Attribute, _ a: Int, _ b: Int) -> Int {
        let criterion = rules.criterion(attribute)
        guard criterion.weight > 0, let match = criterionMatch(attribute, a, b) else { return 0 }
        return criterion.weight * match / 100
    }

    /// 100 plus every criterion's effect, minus the history penalty: the percentage applied to
    /// the pair's learning value.
    public func factor(_ a: Int, _ b: Int) -> Int64 {
        var total = 100
        for attribute in MatchRules.Attribute.ordered { total += criterionEffect(attribute, a, b) }
        if rules.history == .penalise, metBefore(a, b) { total -= rules.historyPenaltyPercent }
        return Int64(total)
    }

    /// The integer weight the solver maximises: 0 when a hard constraint forbids the pair or
    /// nobody learns anything, otherwise learning value × factor / 100. For mentoring `a` is
    /// the mentor.
    public func weight(_ a: Int, _ b: Int) -> Int64 {
        guard isAllowed(a, b) else { return 0 }
        return unconstrainedWeight(a, b)
    }

    /// The weight ignoring hard constraints (for explanations of what a rule cost).
    public func unconstrainedWeight(_ a: Int, _ b: Int) -> Int64 {
        let value = complementarity(a, b)
        guard value > 0 else { return 0 }
        let percent = factor(a, b)
        guard percent > 0 else { return 0 }
        return value * percent / 100
    }
}
