/// The outcome of a group formation (or group rotation) run, ready to be written as JSON in
/// the same conventions as ``MatchResult``: ids not indices, integer weights, deterministic
/// key order through ``JSONWriter``, timings the only varying part.
public struct GroupResult: Sendable {
    /// One formed group.
    public struct Group: Sendable, Hashable {
        /// Pool indices, in the group's facilitator order.
        public var members: [Int]
        public var value: GroupValue
        /// 0–100 (``GroupScorer/displayScore(_:)``).
        public var score: Int
        public var coverage: [GroupCoverage]
        public var reasons: [String]
        public var facilitation: GroupFacilitation
        /// Pairs of members who met before (rotation).
        public var repeats: Int
    }

    /// Mean score, minimum score, coverage and rule violations of one partition.
    public struct Yardstick: Sendable, Hashable {
        public var name: String
        /// Mean group score in tenths.
        public var meanScoreTenths: Int64
        public var minimumScore: Int
        /// Members with at least one want covered inside their group, per mille of members with wants.
        public var coveragePerMille: Int64
        /// Pairs of members breaking a hard rule.
        public var violations: Int
        /// People in a group.
        public var placed: Int
        /// People of the comparison this partition leaves without a group (a baseline that cannot
        /// place everyone Mutual placed; they count as one more group scoring 0).
        public var leftOut: Int
        /// People a baseline's dealing could not place in a rule-keeping group, handed to repair.
        public var cornered: Int
    }

    /// What a rotation run adds.
    public struct RotationSummary: Sendable, Hashable {
        /// The round being formed (one after the latest in the history).
        public var round: Int
        /// Pairs of people together again.
        public var repeats: Int
        /// Pairs of people together in this round (the denominator of the rate).
        public var pairsTogether: Int
        public var zeroRepeatsRequired: Bool
        /// People who could not be placed without a repeat (zero-repeat mode).
        public var couldNotAvoidRepeat: [Int]
    }

    public var people: [Person]
    /// `groups` or `rotation`.
    public var modelName: String
    public var plan: GroupSizePlan
    public var groups: [Group]
    public var unmatched: [MatchResult.Unmatched]
    /// Sum of group weights.
    public var totalWeight: Int64
    /// This partition first, then the baselines.
    public var yardsticks: [Yardstick]
    public var fairness: GroupFairness.Report
    public var stoppedByTimeBudget: Bool
    public var seed: UInt64
    public var rotation: RotationSummary?
    /// Milliseconds per phase, in order.
    public var timings: [(String, Int)]

    /// The lowest group score (0 without groups).
    public var minimumGroupScore: Int { groups.map(\.score).min() ?? 0 }

    /// Mean group score in tenths.
    public var meanGroupScoreTenths: Int64 {
        guard !groups.isEmpty else { return 0 }
        return (Int64(groups.reduce(0) { $0 + $1.score }) * 10 + Int64(groups.count) / 2) / Int64(groups.count)
    }

    /// People in a group.
    public var placedCount: Int { groups.reduce(0) { $0 + $1.members.count } }

    public func json(includeTimings: Bool = true) -> JSONValue {
        func id(_ person: Int) -> JSONValue { .string(people[person].id) }
        func yardstick(_ y: Yardstick) -> JSONValue {
            .object([("mean_group_score", .fixed(y.meanScoreTenths, decimals: 1)), ("min_group_score", .int(y.minimumScore)),
                     ("coverage_percent", .fixed(y.coveragePerMille, decimals: 1)), ("placed", .int(y.placed)),
                     ("rule_violations", .int(y.violations)), ("left_out", .int(y.leftOut)),
                     ("cornered", .int(y.cornered))])
        }
        var members: [(String, JSONValue)] = [
            ("model", .string(modelName)),
            ("participants", .int(people.count)),
            ("matched", .int(placedCount)),
            ("seed", .int(seed)),
            ("plan", .object([
                ("size_range", .string(GroupSizePlan.describe(plan.sizeRange))),
                ("sizes", .array(plan.sizes.map { .int($0) })),
                ("left_over", .int(plan.leftOver)),
                ("explanation", .string(plan.explanation)),
            ])),
            ("group_sizes", .array(groups.map { .int($0.members.count) })),
            ("total_weight", .int(totalWeight)),
            ("min_group_score", .int(minimumGroupScore)),
            ("mean_group_score", .fixed(meanGroupScoreTenths, decimals: 1)),
            ("coverage_percent", .fixed(yardsticks.first?.coveragePerMille ?? 0, decimals: 1)),
            ("stopped_by_time_budget", .bool(stoppedByTimeBudget)),
            ("fairness", .object([
                ("exchanges", .int(fairness.exchanges)),
                ("objective_before", .int(fairness.objectiveBefore)),
                ("objective_after", .int(fairness.objectiveAfter)),
                ("rescue", .string(fairness.rescue.rawValue)),
            ])),
            ("yardsticks", .object(yardsticks.map { ($0.name, yardstick($0)) })),
            ("groups", .array(groups.enumerated().map { index, group in
                var entry: [(String, JSONValue)] = [
                    ("id", .string("G\(index + 1)")),
                    ("members", .array(group.members.map(id))),
                    ("weight", .int(group.value.weight)),
                    ("score", .int(group.score)),
                    ("coverage", .array(group.coverage.map { row in
                        .object([
                            ("learner", id(row.learner)), ("skill", .string(row.skillName)), ("level", .int(row.level)),
                            ("teachers", .array(row.teachers.map { teacher in
                                .object([("id", id(teacher.person)), ("level", .int(teacher.level)),
                                         ("related", .bool(teacher.related)), ("value", .int(teacher.value))])
                            })),
                        ])
                    })),
                    ("reasons", .array(group.reasons.map(JSONValue.string))),
                    ("facilitator_order", .array(group.facilitation.facilitatorOrder.map(id))),
                    ("hot_seat_order", .array(group.facilitation.hotSeatOrder.map(id))),
                    ("facilitation", .array(group.facilitation.reasons.map(JSONValue.string))),
                ]
                if rotation != nil { entry.append(("repeats", .int(group.repeats))) }
                return .object(entry)
            })),
            ("unmatched", .array(unmatched.map { entry in
                .object([("id", id(entry.person)), ("reason", .string(entry.reason))])
            })),
        ]
        if let rotation {
            members.append(("round", .int(rotation.round)))
            members.append(("repeats", .int(rotation.repeats)))
            members.append(("repeat_rate", .fixed(rotation.pairsTogether > 0 ? Int64(rotation.repeats) * 100_000 / Int64(rotation.pairsTogether) : 0, decimals: 3)))
            members.append(("zero_repeats", .bool(rotation.zeroRepeatsRequired)))
            members.append(("could_not_avoid_repeat", .array(rotation.couldNotAvoidRepeat.map(id))))
        }
        if includeTimings {
            members.append(("timings", .object(timings.map { ("\($0.0)_ms", .int($0.1)) })))
        }
        return .object(members)
    }

    /// The lines the command prints: the plan, the scores against the yardsticks, coverage.
    public func summary() -> String {
        func tenths(_ value: Int64) -> String { "\(value / 10).\(value % 10)" }
        var lines = ["\(groups.count) groups, \(placedCount) of \(people.count) people placed (\(plan.explanation))"]
        for y in yardsticks {
            var line = "  \(y.name.leftAligned(12)) mean \(tenths(y.meanScoreTenths).leftAligned(5)) min \(String(y.minimumScore).leftAligned(3))"
            line += " coverage \(tenths(y.coveragePerMille)) %"
            if y.violations > 0 { line += "; \(y.violations) pair\(y.violations == 1 ? "" : "s") breaking a hard rule" }
            if y.cornered > 0 { line += "; \(y.cornered) placed by repair" }
            if y.leftOut > 0 { line += "; \(y.leftOut) left without a group (scored as a group of 0)" }
            lines.append(line)
        }
        if fairness.exchanges > 0 {
            var line = "  fairness: \(fairness.exchanges) exchange\(fairness.exchanges == 1 ? "" : "s") lifted the worst group"
            if fairness.rescue == .lifted, fairness.objectiveBefore > 0 {
                let kept = fairness.objectiveAfter * 1000 / fairness.objectiveBefore
                line += " (it was far behind the rest, scoring under half the mean, so the rescue traded some of the total for it: \(kept / 10).\(kept % 10) % of the total kept)"
            }
            lines.append(line)
        }
        if fairness.rescue == .noneFound {
            lines.append("  fairness: the worst group scores under half the mean, and the rescue found no change that keeps the hard rules and lifts it (see its reasons)")
        }
        if let rotation {
            lines.append("  round \(rotation.round): \(rotation.repeats) repeat\(rotation.repeats == 1 ? "" : "s") of \(rotation.pairsTogether) pairs together")
        }
        if !unmatched.isEmpty { lines.append("  \(unmatched.count) not placed (see unmatched)") }
        if stoppedByTimeBudget { lines.append("  the time budget stopped the search early; the result may differ between machines") }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// Left-aligned in `width` characters.
    func leftAligned(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
