import Testing
@testable import MutualMatching

@Suite("Group coverage, reasons and facilitation")
struct GroupExplanationTests {
    static let people = [
        Person(id: "ana", name: "Ana Lopez", department: "Data", strengths: [SkillLevel(skill: "SQL", level: 4)],
               wants: [SkillWant(skill: "Negotiation", currentLevel: 1)]),
        Person(id: "ben", name: "Ben Okafor", department: "Sales", strengths: [SkillLevel(skill: "Negotiation", level: 3), SkillLevel(skill: "Facilitation", level: 4)],
               wants: [SkillWant(skill: "SQL", currentLevel: 2)]),
        Person(id: "chloe", name: "Chloé Dubois", department: "Design", strengths: [SkillLevel(skill: "UX Design", level: 3)],
               wants: [SkillWant(skill: "SQL", currentLevel: 1), SkillWant(skill: "Negotiation", currentLevel: 0)]),
        Person(id: "dev", name: "Dev Iyer", department: "Finance", strengths: [SkillLevel(skill: "Excel", level: 2)],
               wants: [SkillWant(skill: "Go", currentLevel: 0)]),
    ]

    var scorer: GroupScorer { GroupScorer(context: ScoringContext(people: Self.people, rules: GroupTestSupport.relaxedRules, model: .pairs)) }

    @Test("the coverage table lists, for each want, who in the group can teach it and at what level")
    func coverageTable() {
        let rows = GroupCoverage.table([0, 1, 2, 3], context: scorer.context)
        let chloeSQL = rows.first { $0.learner == 2 && $0.skill == "sql" }
        #expect(chloeSQL?.teachers.map(\.person) == [0])
        #expect(chloeSQL?.teachers.first?.level == 4)
        let chloeNegotiation = rows.first { $0.learner == 2 && $0.skill == "negotiation" }
        #expect(chloeNegotiation?.teachers.map(\.person) == [1])
        let devGo = rows.first { $0.learner == 3 }
        #expect(devGo?.teachers.isEmpty == true)
    }

    @Test("reasons say who teaches whom in the pair explanations' words and whose wants nobody covers")
    func reasons() {
        let rows = GroupCoverage.table([0, 1, 2, 3], context: scorer.context)
        let lines = GroupExplainer.reasons([0, 1, 2, 3], coverage: rows, scorer: scorer)
        let ana = Self.people[0].displayName, ben = Self.people[1].displayName, dev = Self.people[3].displayName
        #expect(lines.contains("\(ana) (SQL 4) → \(ben) (SQL 2, wants it)"))
        #expect(lines.contains("\(ben) (Negotiation 3) → \(ana) (Negotiation 1, wants it)"))
        #expect(lines.contains { $0.hasPrefix("nobody in the group can teach \(dev) Go") })
        #expect(lines.contains { $0.hasPrefix("4 departments: Data, Design, Finance, Sales") })
    }

    @Test("the facilitation skill opens the facilitator order, and the first facilitator is not first in the hot seat")
    func facilitation() {
        let rows = GroupCoverage.table([0, 1, 2, 3], context: scorer.context)
        let suggestion = GroupFacilitation.suggest([0, 1, 2, 3], coverage: rows, scorer: scorer)
        #expect(suggestion.facilitatorOrder.first == 1)
        #expect(Set(suggestion.facilitatorOrder) == [0, 1, 2, 3])
        #expect(Set(suggestion.hotSeatOrder) == [0, 1, 2, 3])
        #expect(suggestion.hotSeatOrder.first != suggestion.facilitatorOrder.first)
        // Chloé has both wants covered, the most in the group: she takes the first hot seat.
        #expect(suggestion.hotSeatOrder.first == 2)
        #expect(suggestion.reasons.first == "\(Self.people[1].displayName) facilitates first: Facilitation 4")
        #expect(suggestion.reasons.contains { $0.hasPrefix("\(Self.people[2].displayName) takes the first hot seat: the group covers 2 of their wants") })
    }

    @Test("the group JSON carries members, score, coverage, reasons and the facilitation orders")
    func json() async {
        let result = await GroupEngine.run(people: Self.people, rules: GroupTestSupport.relaxedRules,
                                           options: GroupOptions(sizeRange: 4...4, seed: 1))
        let text = JSONWriter.write(result.json(includeTimings: false))
        for key in ["\"groups\"", "\"min_group_score\"", "\"mean_group_score\"", "\"coverage\"", "\"teachers\"",
                    "\"facilitator_order\"", "\"hot_seat_order\"", "\"yardsticks\"", "\"plan\""] {
            #expect(text.contains(key), "missing \(key)")
        }
        #expect(result.groups.count == 1)
        #expect(result.groups[0].members.first == 1)
    }
}
