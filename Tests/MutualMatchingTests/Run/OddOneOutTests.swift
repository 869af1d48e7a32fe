import MutualMatching
import Testing

@Suite("Odd one out")
struct OddOneOutTests {
    /// Three people who can all teach each other something.
    static let trio = [
        Person(id: "a", name: "Ana", strengths: [SkillLevel(skill: "SQL", level: 3)], wants: [SkillWant(skill: "Go", currentLevel: 1), SkillWant(skill: "Design", currentLevel: 1)]),
        Person(id: "b", name: "Ben", strengths: [SkillLevel(skill: "Go", level: 3)], wants: [SkillWant(skill: "SQL", currentLevel: 1), SkillWant(skill: "Design", currentLevel: 1)]),
        Person(id: "c", name: "Cy", strengths: [SkillLevel(skill: "Design", level: 3)], wants: [SkillWant(skill: "SQL", currentLevel: 1), SkillWant(skill: "Go", currentLevel: 1)]),
    ]

    @Test("leave out: the odd one out is unmatched with the reason odd count")
    func leaveOut() async {
        let result = await PoolFixtures.run(Self.trio)
        #expect(result.pairs.count == 1)
        #expect(result.unmatched.count == 1)
        #expect(result.unmatched[0].reason.hasPrefix("odd count"))
        #expect(result.triads.isEmpty)
    }

    @Test("triad: the odd one out joins the pair where they fit best")
    func triad() async {
        var rules = MatchRules.defaults(for: .pairs)
        rules.oddOneOut = .triad
        let result = await PoolFixtures.run(Self.trio, rules: rules)
        #expect(result.unmatched.isEmpty)
        #expect(result.pairs.isEmpty)
        #expect(result.triads.count == 1)
        #expect(Set(result.triads[0].members) == [0, 1, 2])
        #expect(result.matchedCount == 3)
        #expect(result.triads[0].weight > result.totalWeight)
    }

    @Test("someone nobody can be matched with gets the constraint that blocked them")
    func noFeasiblePartner() async {
        var people = Self.trio
        people.append(Person(id: "d", name: "Dee", languages: ["japanese"], strengths: [SkillLevel(skill: "SQL", level: 4)], wants: [SkillWant(skill: "Go", currentLevel: 0)]))
        for index in 0..<3 { people[index].languages = ["english"] }
        let result = await PoolFixtures.run(people)
        let dee = result.unmatched.first { $0.person == 3 }
        #expect(dee?.reason.hasPrefix("no feasible partner") == true)
        #expect(dee?.reason.contains("shared language") == true)
    }

    @Test("capacity 0 sits a person out with that reason")
    func capacityZero() async {
        var people = Self.trio
        people[0].capacity = 0
        let result = await PoolFixtures.run(people)
        #expect(result.unmatched.contains { $0.person == 0 && $0.reason.hasPrefix("capacity") })
        #expect(result.pairs.count == 1)
    }
}
