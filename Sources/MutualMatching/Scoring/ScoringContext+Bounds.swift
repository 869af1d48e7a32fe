extension ScoringContext {
    /// The best teaching value `learner` could receive from anyone (an upper bound).
    public func incomingTeachingBound(_ learner: Int) -> Int {
        var values: [Int] = []
        for index in Int(wantStart[learner])..<Int(wantStart[learner + 1]) {
            let current = Int(wantCurrent[index])
            var best = 0
            if current < 5 { for level in (current + 1)...5 { best = max(best, rules.gapValue(level - current)) } }
            values.append(best * Int(wantPriority[index]))
        }
        return values.sorted(by: >).prefix(rules.skillsCounted).reduce(0, +)
    }

    /// The best teaching value `teacher` could give anyone (an upper bound): each strength
    /// (or family, with related credit) at its best gap and the pool's highest priority.
    public func outgoingTeachingBound(_ teacher: Int) -> Int {
        var values: [Int] = []
        let maximumPriority = maximumWantPriority
        func best(upTo level: Int) -> Int {
            var value = 0
            if level >= 1 { for gap in 1...level { value = max(value, rules.gapValue(gap)) } }
            return value
        }
        for index in Int(strengthStart[teacher])..<Int(strengthStart[teacher + 1]) {
            values.append(best(upTo: Int(strengthLevel[index])) * maximumPriority)
        }
        if rules.relatedCreditPercent > 0 {
            // Related credit lets one strong skill teach every other skill of its family.
            for index in Int(familyStart[teacher])..<Int(familyStart[teacher + 1]) {
                let family = Int(familyID[index])
                let credit = best(upTo: Int(familyLevel[index])) * maximumPriority * rules.relatedCreditPercent / 100
                values += Array(repeating: credit, count: rules.skillFamilies[family].skills.count)
            }
        }
        return values.sorted(by: >).prefix(rules.skillsCounted).reduce(0, +)
    }

    /// An upper bound on the weight of any pair involving `person` (as mentee for mentoring).
    public func pairWeightBound(_ person: Int) -> Int64 {
        let value: Int64
        switch model {
        case .pairs:
            value = reciprocalComplementarity(incomingTeachingBound(person), outgoingTeachingBound(person))
        case .mentoring:
            value = 200 * Int64(incomingTeachingBound(person))
        case .buddies:
            let wants = Int(wantStart[person + 1] - wantStart[person])
            let interests = Int(interestStart[person + 1] - interestStart[person])
            let maximumPriority = Int64(maximumWantPriority)
            value = 200 * (100 * Int64(min(wants, rules.skillsCounted)) * maximumPriority + 40 * Int64(min(interests, 3)))
        }
        return value * maximumFactor / 100
    }

    /// For pairs without related credit: an upper bound on the weight of a pair in which only
    /// one of the two learns. A person whose k-th best reciprocal partner beats this bound
    /// needs no search among one-way partners.
    public func oneWayPairBound(_ person: Int) -> Int64 {
        let strongest = Int64(max(incomingTeachingBound(person), outgoingTeachingBound(person)))
        return (100 - Int64(rules.reciprocity)) * strongest * maximumFactor / 100
    }
}
