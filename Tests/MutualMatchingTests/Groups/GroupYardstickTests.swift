import Testing
@testable import MutualMatching

/// The yardsticks compare like for like: the baselines group exactly the people Mutual placed,
/// into the sizes of Mutual's groups, keep the same hard rules, and are scored by the same scorer
/// (a person a baseline cannot place counts as one more group scoring 0).
@Suite("Group yardsticks")
struct GroupYardstickTests {
    /// The command's default search effort, and the reduced effort of the other group tests.
    static func options(seed: UInt64, reduced: Bool) -> GroupOptions {
        reduced ? GroupOptions(sizeRange: 4...6, seed: seed, stepsPerPerson: 10, restarts: 2) : GroupOptions(sizeRange: 4...6, seed: seed)
    }

    /// Checks the comparison's footing and that Mutual's mean, minimum and coverage are at least
    /// each baseline's.
    static func expectAtLeastBaselines(_ result: GroupResult, _ label: String) {
        #expect(result.yardsticks.map(\.name) == ["mutual", "random", "stratified"], "\(label)")
        guard result.yardsticks.count == 3 else { return }
        let mutual = result.yardsticks[0]
        #expect(mutual.placed == result.placedCount && mutual.violations == 0 && mutual.leftOut == 0, "\(label)")
        for baseline in result.yardsticks.dropFirst() {
            // Same people, same hard rules.
            #expect(baseline.placed + baseline.leftOut == mutual.placed, "\(label) \(baseline.name)")
            #expect(baseline.violations == 0, "\(label) \(baseline.name)")
            #expect(mutual.meanScoreTenths >= baseline.meanScoreTenths,
                    "\(label): mutual mean \(mutual.meanScoreTenths) < \(baseline.name) \(baseline.meanScoreTenths)")
            #expect(mutual.minimumScore >= baseline.minimumScore,
                    "\(label): mutual min \(mutual.minimumScore) < \(baseline.name) \(baseline.minimumScore)")
            #expect(mutual.coveragePerMille >= baseline.coveragePerMille,
                    "\(label): mutual coverage \(mutual.coveragePerMille) ‰ < \(baseline.name) \(baseline.coveragePerMille) ‰")
        }
    }

    @Test("under the default rules, Mutual's mean and minimum group score are at least the random and stratified baselines' (12–60 people, default and reduced search effort)",
          arguments: [12, 16, 20, 23, 30, 40, 50, 60], [UInt64(1), 2, 3, 7])
    func defaultRulesSmallPools(count: Int, seed: UInt64) async {
        let people = SyntheticPoolGenerator.generate(count: count, seed: seed)
        for reduced in [false, true] {
            let result = await GroupEngine.run(people: people, rules: MatchRules.defaults(for: .pairs),
                                               options: Self.options(seed: seed, reduced: reduced))
            Self.expectAtLeastBaselines(result, "\(count) people, seed \(seed)\(reduced ? ", reduced effort" : "")")
        }
    }

    @Test("a group far behind is rescued: on 23 people (seed 3) the worst group reaches the best any rule-keeping partition of the same people has within the rescue's budget")
    func farBehindGroupIsRescued() async {
        let people = SyntheticPoolGenerator.generate(count: 23, seed: 3)
        let rules = MatchRules.defaults(for: .pairs)
        let options = GroupOptions(sizeRange: 4...6, seed: 3)
        let result = await GroupEngine.run(people: people, rules: rules, options: options)
        let withoutRescue = await GroupEngine.run(people: people, rules: rules,
                                                  options: GroupOptions(sizeRange: 4...6, seed: 3, rescueTolerancePercent: 0))
        // Without the rescue the search's best total leaves one group where nobody learns anything.
        #expect(withoutRescue.yardsticks[0].minimumScore == 0)
        #expect(result.fairness.rescue == .lifted)
        #expect(withoutRescue.fairness.rescue == .notNeeded)
        let scorer = GroupScorer(context: ScoringContext(people: people, rules: rules, model: .pairs))
        let placed = result.groups.flatMap(\.members).map { Int32($0) }.sorted()
        #expect(placed == withoutRescue.groups.flatMap(\.members).map { Int32($0) }.sorted())
        let before = result.fairness.objectiveBefore
        let best = GroupTestSupport.exhaustiveBestMinimum(
            scorer: scorer, people: placed, groupCount: result.groups.count, sizeRange: 4...6,
            minimumTotal: before - before * Int64(options.rescueTolerancePercent) / 100)
        let worst = result.groups.map { scorer.perMemberWeight($0.value) }.min()
        #expect(best != nil && worst == best)
        #expect(result.fairness.objectiveAfter >= before - before * Int64(options.rescueTolerancePercent) / 100)
        #expect(result.yardsticks[0].minimumScore > 0)
        // The output says so, in the JSON and in the summary.
        let text = JSONWriter.write(result.json(includeTimings: false))
        #expect(text.contains("\"rescue\"") && text.contains("\"lifted\""))
        #expect(result.summary().contains("far behind the rest"))
        #expect(!withoutRescue.summary().contains("far behind"))
    }

    @Test("without the level window and working-hours rules too (12–60 people)",
          arguments: [12, 20, 30, 45, 60], [UInt64(1), 2, 5])
    func relaxedRulesSmallPools(count: Int, seed: UInt64) async {
        let people = SyntheticPoolGenerator.generate(count: count, seed: seed)
        let result = await GroupEngine.run(people: people, rules: GroupTestSupport.relaxedRules, options: Self.options(seed: seed, reduced: false))
        Self.expectAtLeastBaselines(result, "\(count) people, seed \(seed), relaxed rules")
    }

    @Test("on larger pools too (300 people, default rules; 400 without the level window and working-hours rules)",
          arguments: [UInt64(1), 2])
    func largerPools(seed: UInt64) async {
        let options = GroupOptions(sizeRange: 4...6, seed: seed, stepsPerPerson: 3, restarts: 1)
        let tight = await GroupEngine.run(people: SyntheticPoolGenerator.generate(count: 300, seed: seed),
                                          rules: MatchRules.defaults(for: .pairs), options: options)
        Self.expectAtLeastBaselines(tight, "300 people, seed \(seed)")
        let relaxed = await GroupEngine.run(people: SyntheticPoolGenerator.generate(count: 400, seed: seed),
                                            rules: GroupTestSupport.relaxedRules, options: options)
        Self.expectAtLeastBaselines(relaxed, "400 people, seed \(seed), relaxed rules")
        // On these pools Mutual is well ahead, not merely level.
        #expect(relaxed.yardsticks[0].meanScoreTenths > relaxed.yardsticks[1].meanScoreTenths + 100)
        #expect(relaxed.yardsticks[0].coveragePerMille > relaxed.yardsticks[1].coveragePerMille)
    }

    @Test("the baselines deal exactly the given people, keep every hard rule, stay in the size range and repeat with a seed")
    func baselinesKeepTheRules() {
        let people = SyntheticPoolGenerator.generate(count: 40, seed: 5)
        let scorer = GroupScorer(context: ScoringContext(people: people, rules: MatchRules.defaults(for: .pairs), model: .pairs))
        let everyone = (0..<Int32(40)).map { $0 }
        let sizes = GroupSizePlan(count: 40, sizeRange: 4...6).sizes
        let outcomes = [
            GroupBaselines.random(everyone, sizes: sizes, sizeRange: 4...6, seed: 3, scorer: scorer),
            GroupBaselines.stratified(everyone, sizes: sizes, sizeRange: 4...6, scorer: scorer),
        ]
        for outcome in outcomes {
            let placed = outcome.groups.flatMap { $0 } + outcome.leftOut
            #expect(placed.sorted() == everyone)
            #expect(outcome.groups.allSatisfy { (4...6).contains($0.count) })
            #expect(outcome.groups.allSatisfy { scorer.evaluate($0).violations == 0 })
            // These tight rules corner someone at least once: the repair path is exercised.
            #expect(outcome.cornered > 0)
        }
        let again = GroupBaselines.random(everyone, sizes: sizes, sizeRange: 4...6, seed: 3, scorer: scorer)
        #expect(again.groups == outcomes[0].groups)
        let other = GroupBaselines.random(everyone, sizes: sizes, sizeRange: 4...6, seed: 4, scorer: scorer)
        #expect(other.groups != outcomes[0].groups)
    }

    @Test("without hard rules in the way, stratified deals round-robin by department then level")
    func stratifiedIsRoundRobin() {
        let departments = ["A", "A", "A", "B", "B", "B", "C", "C"]
        let people = departments.enumerated().map { index, department in
            Person(id: "p\(index)", department: department, level: index % 3,
                   strengths: [SkillLevel(skill: "SQL", level: 3)], wants: [SkillWant(skill: "Go")])
        }
        var rules = MatchRules.defaults(for: .pairs)
        rules.levelWindow = nil
        rules.minimumOverlapHours = nil
        rules.requireSharedLanguage = false
        let scorer = GroupScorer(context: ScoringContext(people: people, rules: rules, model: .pairs))
        let outcome = GroupBaselines.stratified((0..<Int32(8)).map { $0 }, sizes: [4, 4], sizeRange: 4...4, scorer: scorer)
        // Sorted: A(0,1,2) B(3,4,5) C(6,7) by level within department; dealt alternately.
        let sorted = (0..<8).sorted { (departments[$0], $0 % 3, $0) < (departments[$1], $1 % 3, $1) }
        #expect(outcome.groups[0] == stride(from: 0, to: 8, by: 2).map { Int32(sorted[$0]) })
        #expect(outcome.groups[1] == stride(from: 1, to: 8, by: 2).map { Int32(sorted[$0]) })
        #expect(outcome.cornered == 0 && outcome.leftOut.isEmpty)
    }

    @Test("people a baseline leaves without a group count as one more group scoring 0")
    func leftOutCountsAsAZeroGroup() {
        let people = [
            Person(id: "a", strengths: [SkillLevel(skill: "SQL", level: 3)], wants: [SkillWant(skill: "Go")]),
            Person(id: "b", strengths: [SkillLevel(skill: "Go", level: 3)], wants: [SkillWant(skill: "SQL")]),
            Person(id: "c", strengths: [SkillLevel(skill: "Excel", level: 1)], wants: [SkillWant(skill: "SQL")]),
            Person(id: "d", strengths: [SkillLevel(skill: "Excel", level: 1)], wants: [SkillWant(skill: "Go")]),
        ]
        let scorer = GroupScorer(context: ScoringContext(people: people, rules: GroupTestSupport.relaxedRules, model: .pairs))
        let whole = GroupEngine.yardstick("whole", [[0, 1]], scorer: scorer)
        let short = GroupEngine.yardstick("short", [[0, 1]], leftOut: [2, 3], scorer: scorer)
        #expect(whole.minimumScore > 0)
        #expect(short.minimumScore == 0)
        #expect(short.meanScoreTenths == (whole.meanScoreTenths + 1) / 2)
        #expect(short.coveragePerMille == whole.coveragePerMille / 2)
        #expect(short.placed == 2 && short.leftOut == 2)
    }
}
