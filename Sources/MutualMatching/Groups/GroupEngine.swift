/// The whole group formation run, from people and rules to explained groups: plan sizes →
/// constructive start → local search on all cores → repair (hard rules) → on pools of at most
/// 64 people, an exact check that nobody is left out whom rule-keeping groups could hold
/// (``GroupPlacement``) → fairness (worst group) → coverage, reasons and facilitation → yardsticks (random and stratified groups on
/// the same pool).
///
/// The command line and the server both call this, so they form the same groups for the
/// same input, options and seed.
public enum GroupEngine {
    /// Forms groups.
    ///
    /// - Parameters:
    ///   - history: pairs of ids that met before; with the rules' history mode `forbid` they may
    ///     not share a group, with `penalise` the rules' pair penalty applies to the pair's criteria.
    ///   - repeatCosts: rotation's recency-weighted costs (see ``RoundHistory``).
    ///   - rotation: set by ``RotationEngine`` to report repeats.
    public static func run(
        people: [Person], rules: MatchRules, history: [(String, String)] = [], options: GroupOptions,
        repeatCosts: [(Int, Int, Int64)] = [], rotation: (round: Int, zeroRepeats: Bool, metBefore: Set<UInt64>)? = nil
    ) async -> GroupResult {
        var timer = PhaseTimer<String>()

        let context = ScoringContext(people: people, rules: rules, model: .pairs, history: history)
        let scorer = GroupScorer(context: context, familyDiversityWeight: options.skillFamilyDiversityWeight, repeatCosts: repeatCosts)
        var unmatched: [MatchResult.Unmatched] = []
        var eligible: [Int32] = []
        for person in 0..<people.count {
            if context.capacity[person] > 0 {
                eligible.append(Int32(person))
            } else {
                unmatched.append(MatchResult.Unmatched(person: person, reason: "capacity: takes no group this round (capacity 0)"))
            }
        }
        let plan = GroupSizePlan(count: eligible.count, sizeRange: options.sizeRange)
        // People the sizes cannot hold: the last ones in pool order, so the choice is predictable.
        let planned = Array(eligible.prefix(eligible.count - plan.leftOver))
        for person in eligible.suffix(plan.leftOver) {
            unmatched.append(MatchResult.Unmatched(person: Int(person), reason: "group sizes: \(plan.explanation)"))
        }
        timer.end("plan")

        let outcome = await GroupSearch.run(scorer: scorer, people: planned, plan: plan, options: options)
        timer.end("search")

        var groups = outcome.groups
        var unplaced = GroupRepair.repair(groups: &groups, scorer: scorer, sizeRange: options.sizeRange)
        var stoppedByTimeBudget = outcome.stoppedByTimeBudget
        // On a small pool, make sure nobody is left out whom another partition could place:
        // when the exact placement places more people, search again from its partition.
        let placedNow = groups.reduce(0) { $0 + $1.count }
        if placedNow < GroupPlacement.largestFitting(eligible.count, sizeRange: options.sizeRange),
           eligible.count <= GroupPlacement.limit {
            let exact = GroupPlacement.maximum(eligible, context: context, sizeRange: options.sizeRange)
            if exact.placed > placedNow {
                let again = await GroupSearch.run(scorer: scorer, from: exact.groups, options: options)
                var regrouped = again.groups
                // A guard only: the search never trades the start's zero violations for a better sum.
                _ = GroupRepair.repair(groups: &regrouped, scorer: scorer, sizeRange: options.sizeRange)
                if regrouped.reduce(0, { $0 + $1.count }) > placedNow {
                    groups = regrouped
                    stoppedByTimeBudget = stoppedByTimeBudget || again.stoppedByTimeBudget
                    let placedSet = Set(groups.joined())
                    unplaced = eligible.filter { !placedSet.contains($0) }
                    // Everyone out is now out for a rule, not for the sizes: replace the plan's reasons.
                    unmatched.removeAll { entry in entry.reason.hasPrefix("group sizes:") }
                }
            }
        }
        var couldNotAvoidRepeat: [Int] = []
        for person in unplaced {
            let reason = GroupRepair.reason(for: person, groups: groups, scorer: scorer)
            if reason.onlyHistory { couldNotAvoidRepeat.append(Int(person)) }
            unmatched.append(MatchResult.Unmatched(person: Int(person), reason: reason.text))
        }
        timer.end("repair")

        var fairness = GroupFairness.Report(exchanges: 0, objectiveBefore: 0, objectiveAfter: 0)
        if options.protectWorstGroup {
            fairness = GroupFairness.protectWorstGroup(groups: &groups, scorer: scorer, sizeRange: options.sizeRange,
                                                       tolerancePercent: options.fairnessTolerancePercent,
                                                       rescueTolerancePercent: options.rescueTolerancePercent, seed: options.seed,
                                                       chainEvaluations: options.fairnessChainEvaluations)
        } else {
            let objective = groups.reduce(0) { $0 + scorer.evaluate($1).objective }
            fairness = GroupFairness.Report(exchanges: 0, objectiveBefore: objective, objectiveAfter: objective)
        }
        timer.end("fairness")

        var formed: [GroupResult.Group] = []
        formed.reserveCapacity(groups.count)
        var repeatsTotal = 0, pairsTogether = 0
        for members in groups {
            let value = scorer.evaluate(members)
            let coverage = GroupCoverage.table(members, context: context)
            let facilitation = GroupFacilitation.suggest(members, coverage: coverage, scorer: scorer)
            var repeats = 0
            var repeatLines: [String] = []
            if let rotation {
                for i in members.indices { for j in members.indices where j > i {
                    if rotation.metBefore.contains(ScoringContext.pairKey(Int(members[i]), Int(members[j]))) {
                        repeats += 1
                        repeatLines.append("\(people[Int(members[i])].displayName) and \(people[Int(members[j])].displayName) met in an earlier round")
                    }
                } }
                pairsTogether += members.count * (members.count - 1) / 2
                repeatsTotal += repeats
            }
            let reasons = GroupExplainer.reasons(members, coverage: coverage, scorer: scorer, repeatLines: repeatLines)
            formed.append(GroupResult.Group(members: facilitation.facilitatorOrder, value: value, score: scorer.displayScore(value),
                                            coverage: coverage, reasons: reasons, facilitation: facilitation, repeats: repeats))
        }
        timer.end("explain")

        // The baselines group exactly the people Mutual placed, into the sizes of Mutual's groups.
        var yardsticks = [yardstick("mutual", groups, scorer: scorer)]
        if !groups.isEmpty {
            let placed = groups.flatMap { $0 }.sorted()
            let sizes = groups.map(\.count).sorted(by: >)
            let random = GroupBaselines.random(placed, sizes: sizes, sizeRange: options.sizeRange, seed: options.seed, scorer: scorer)
            let stratified = GroupBaselines.stratified(placed, sizes: sizes, sizeRange: options.sizeRange, scorer: scorer)
            yardsticks.append(yardstick("random", random.groups, leftOut: random.leftOut, cornered: random.cornered,
                                        scorer: scorer))
            yardsticks.append(yardstick("stratified", stratified.groups, leftOut: stratified.leftOut,
                                        cornered: stratified.cornered, scorer: scorer))
        }
        timer.end("yardsticks")

        unmatched.sort { $0.person < $1.person }
        let summary = rotation.map {
            GroupResult.RotationSummary(round: $0.round, repeats: repeatsTotal, pairsTogether: pairsTogether,
                                        zeroRepeatsRequired: $0.zeroRepeats, couldNotAvoidRepeat: couldNotAvoidRepeat.sorted())
        }
        return GroupResult(people: people, modelName: rotation == nil ? "groups" : "rotation", plan: plan, groups: formed,
                           unmatched: unmatched, totalWeight: formed.reduce(0) { $0 + $1.value.weight }, yardsticks: yardsticks,
                           fairness: fairness, stoppedByTimeBudget: stoppedByTimeBudget, seed: options.seed,
                           rotation: summary, timings: timer.timings)
    }

    /// Mean and minimum display score and coverage of a partition, as the yardsticks compare
    /// them. `leftOut` are people of the comparison whom this partition does not place (a
    /// baseline that, even after repair, cannot place someone Mutual placed): they count as one
    /// more group that cannot meet, scoring 0, and as members whose wants are not covered.
    /// `cornered` only reports how many people a baseline's dealing could not place and repair placed.
    public static func yardstick(
        _ name: String, _ groups: [[Int32]], leftOut: [Int32] = [], cornered: Int = 0, scorer: GroupScorer
    ) -> GroupResult.Yardstick {
        var scoreTotal = 0, minimum = Int.max, wanting = 0, learning = 0, violations = 0, placed = 0
        for group in groups {
            placed += group.count
            let value = scorer.evaluate(group)
            let score = scorer.displayScore(value)
            scoreTotal += score
            minimum = min(minimum, score)
            wanting += value.wantingMembers
            learning += value.learningMembers
            violations += value.violations
        }
        var groupCount = groups.count
        if !leftOut.isEmpty {
            groupCount += 1
            minimum = 0
            // Counted directly: scoring them as one group would take time quadratic in their number.
            let context = scorer.context
            wanting += leftOut.filter { context.wantStart[Int($0) + 1] > context.wantStart[Int($0)] }.count
        }
        let count = Int64(max(groupCount, 1))
        return GroupResult.Yardstick(
            name: name, meanScoreTenths: (Int64(scoreTotal) * 10 + count / 2) / count,
            minimumScore: groupCount == 0 ? 0 : minimum,
            coveragePerMille: wanting > 0 ? Int64(learning) * 1000 / Int64(wanting) : 0, violations: violations,
            placed: placed, leftOut: leftOut.count, cornered: cornered)
    }
}
