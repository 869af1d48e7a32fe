import Testing
@testable import MutualMatching

@Suite("Rotation rounds")
struct RotationTests {
    /// A and D teach s1 and want s2; B and C teach s2 and want s1: only A–B, A–C, D–B and D–C
    /// have learning value, so the round is {A–B, D–C} or {A–C, D–B}.
    static let square = [
        Person(id: "a", strengths: [SkillLevel(skill: "s1", level: 3)], wants: [SkillWant(skill: "s2", currentLevel: 2)]),
        Person(id: "b", strengths: [SkillLevel(skill: "s2", level: 3)], wants: [SkillWant(skill: "s1", currentLevel: 2)]),
        Person(id: "c", strengths: [SkillLevel(skill: "s2", level: 3)], wants: [SkillWant(skill: "s1", currentLevel: 2)]),
        Person(id: "d", strengths: [SkillLevel(skill: "s1", level: 3)], wants: [SkillWant(skill: "s2", currentLevel: 2)]),
    ]

    @Test("the history file reads pair rows with rounds and group rows, and knows the next round")
    func readsHistory() throws {
        let pairs = try RoundHistory.read("a,b,round\nana,ben,3\nchloe,dev,1\n")
        #expect(pairs.meetings.count == 2)
        #expect(pairs.nextRound == 4)
        let groups = try RoundHistory.read("members,round\n\"ana;ben;chloe\",2\n")
        #expect(groups.meetings.count == 3)
        #expect(Set(groups.meetings.map { "\($0.a)-\($0.b)" }) == ["ana-ben", "ana-chloe", "ben-chloe"])
        let noRound = try RoundHistory.read("A,B\nx,y\n")
        #expect(noRound.meetings.first?.round == 0)
    }

    @Test("the repeat penalty accepts 0 to 1,000 percent and names the problem otherwise")
    func repeatPenaltyRange() {
        for accepted in [0, 1, 80, 100, 1_000] { #expect(RotationOptions.repeatPenaltyProblem(accepted) == nil) }
        let negative = RotationOptions.repeatPenaltyProblem(-5)
        #expect(negative?.contains("--repeat-penalty") == true)
        #expect(negative?.contains("negative") == true)
        for rejected in [1_001, 1_000_000, Int.max, Int.min] {
            #expect(RotationOptions.repeatPenaltyProblem(rejected) != nil, "\(rejected) was accepted")
        }
        #expect(RotationOptions.repeatPenaltyProblem(Int.max)?.contains("too large") == true)
    }

    @Test("a history file without the needed columns or with a bad round is rejected with the line")
    func rejectsBadHistory() {
        #expect(throws: PeopleImportError.self) { try RoundHistory.read("x,y\n1,2\n") }
        do {
            _ = try RoundHistory.read("a,b,round\nana,ben,last\n")
            Issue.record("expected an error")
        } catch let error as PeopleImportError {
            #expect(error.issues.first?.line == 2)
            #expect(error.issues.first?.column == "round")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("recent repeats cost more than old ones")
    func recencyOrder() {
        let costs = (1...10).map { RoundHistory.recencyPermille(age: $0, penaltyPercent: 80) }
        #expect(costs.first == 800)
        #expect(zip(costs, costs.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test("when a repeat is unavoidable the pairs rotation repeats the oldest partners")
    func prefersOldRepeats() async {
        let history = RoundHistory(meetings: [
            .init(a: "a", b: "b", round: 2), .init(a: "c", b: "d", round: 2),
            .init(a: "a", b: "c", round: 1), .init(a: "b", b: "d", round: 1),
        ])
        let result = await RotationEngine.pairs(people: Self.square, rules: GroupTestSupport.relaxedRules, history: history,
                                                options: RotationOptions())
        let pairs = Set(result.match.pairs.map { [Self.square[$0.a].id, Self.square[$0.b].id].sorted().joined(separator: "-") })
        #expect(pairs == ["a-c", "b-d"])
        #expect(result.repeats == 2)
        #expect(result.round == 3)
    }

    @Test("with zero repeats required, people whose only useful partners met them before are reported")
    func reportsUnavoidableRepeats() async {
        let history = RoundHistory(meetings: [
            .init(a: "a", b: "b", round: 1), .init(a: "c", b: "d", round: 1),
            .init(a: "a", b: "c", round: 2), .init(a: "b", b: "d", round: 2),
        ])
        let result = await RotationEngine.pairs(people: Self.square, rules: GroupTestSupport.relaxedRules, history: history,
                                                options: RotationOptions(zeroRepeats: true))
        #expect(result.match.pairs.isEmpty)
        #expect(result.repeats == 0)
        #expect(result.couldNotAvoidRepeat == [0, 1, 2, 3])
        #expect(result.match.unmatched.allSatisfy { $0.reason.hasPrefix("could not be placed without a repeat") })
        // Only one round of history: a–c and b–d are still open, so everyone is placed.
        let partial = RoundHistory(meetings: Array(history.meetings.prefix(2)))
        let open = await RotationEngine.pairs(people: Self.square, rules: GroupTestSupport.relaxedRules, history: partial,
                                              options: RotationOptions(zeroRepeats: true))
        #expect(open.match.pairs.count == 2)
        #expect(open.couldNotAvoidRepeat.isEmpty)
    }

    @Test("a pairs rotation over several rounds repeats nobody when the pool allows it")
    func pairsZeroRepeatsOverRounds() async {
        let people = SyntheticPoolGenerator.generate(count: 80, seed: 6)
        var history = RoundHistory()
        for _ in 1...4 {
            let result = await RotationEngine.pairs(people: people, rules: GroupTestSupport.relaxedRules, history: history,
                                                    options: RotationOptions(zeroRepeats: true))
            #expect(result.repeats == 0)
            let met = Set(history.meetings.map { [$0.a, $0.b].sorted() })
            for pair in result.match.pairs { #expect(!met.contains([people[pair.a].id, people[pair.b].id].sorted())) }
            #expect(result.match.pairs.count >= 30)
            for pair in result.match.pairs {
                history.meetings.append(.init(a: people[pair.a].id, b: people[pair.b].id, round: result.round))
            }
        }
    }

    @Test("a group rotation avoids everyone met in earlier groups")
    func groupsZeroRepeats() async {
        let people = SyntheticPoolGenerator.generate(count: 30, seed: 7)
        let options = GroupOptions(sizeRange: 4...5, seed: 2, stepsPerPerson: 20, restarts: 2)
        let first = await GroupEngine.run(people: people, rules: GroupTestSupport.relaxedRules, options: options)
        var history = RoundHistory()
        for group in first.groups {
            let ids = group.members.map { people[$0].id }.sorted()
            for i in ids.indices { for j in ids.indices where j > i { history.meetings.append(.init(a: ids[i], b: ids[j], round: 1)) } }
        }
        let second = await RotationEngine.groups(people: people, rules: GroupTestSupport.relaxedRules, history: history,
                                                 options: RotationOptions(zeroRepeats: true, groups: options))
        let met = Set(history.meetings.map { [$0.a, $0.b] })
        #expect(second.rotation?.repeats == 0)
        #expect(second.rotation?.round == 2)
        for group in second.groups {
            let ids = group.members.map { people[$0].id }.sorted()
            for i in ids.indices { for j in ids.indices where j > i { #expect(!met.contains([ids[i], ids[j]])) } }
        }
        #expect(GroupTestSupport.isPartition(second))
        // With penalties instead of a ban, far fewer repeats than a round that ignores the history.
        let penalised = await RotationEngine.groups(people: people, rules: GroupTestSupport.relaxedRules, history: history,
                                                    options: RotationOptions(groups: options))
        let ignoring = await RotationEngine.groups(people: people, rules: GroupTestSupport.relaxedRules, history: history,
                                                   options: RotationOptions(repeatPenaltyPercent: 0, groups: options))
        #expect(penalised.rotation!.repeats * 2 < ignoring.rotation!.repeats)
    }

    @Test("a group rotation names who cannot be placed without a repeat")
    func groupsReportUnavoidable() async {
        let people = Self.square + [Person(id: "e", strengths: [SkillLevel(skill: "s1", level: 3)], wants: [SkillWant(skill: "s2")])]
        let ids = ["a", "b", "c", "d"]
        var history = RoundHistory()
        for i in ids.indices { for j in ids.indices where j > i { history.meetings.append(.init(a: ids[i], b: ids[j], round: 1)) } }
        let result = await RotationEngine.groups(people: people, rules: GroupTestSupport.relaxedRules, history: history,
                                                 options: RotationOptions(zeroRepeats: true, groups: GroupOptions(sizeRange: 2...3, seed: 1)))
        #expect(result.rotation?.repeats == 0)
        #expect(GroupTestSupport.isPartition(result))
        // e can join one of a–d; the other three all met each other.
        #expect(result.placedCount == 2)
        #expect(result.rotation?.couldNotAvoidRepeat.count == 3)
        let json = JSONWriter.write(result.json(includeTimings: false))
        #expect(json.contains("\"could_not_avoid_repeat\""))
        #expect(json.contains("\"repeat_rate\""))
    }
}
