import MutualMatching
import Testing

@Suite("Scoring")
struct ScoringTests {
    /// A teacher at `level` in SQL and a learner who wants SQL from `current`.
    func teachingValue(level: Int, current: Int, rules: MatchRules = .defaults(for: .pairs)) -> Int {
        let people = [
            Person(id: "t", strengths: [SkillLevel(skill: "SQL", level: level)]),
            Person(id: "l", wants: [SkillWant(skill: "SQL", currentLevel: current)]),
        ]
        return ScoringContext(people: people, rules: rules, model: .pairs).teachingValue(from: 0, to: 1)
    }

    @Test("teaching value is highest one or two steps ahead, lower far ahead, zero when not ahead")
    func gapShape() {
        let byGap = (1...5).map { teachingValue(level: $0, current: 0) }
        #expect(byGap[0] >= byGap[1])
        #expect(byGap[1] > byGap[2])
        #expect(byGap[2] > byGap[3])
        #expect(byGap[3] > byGap[4])
        #expect(byGap[4] > 0)
        #expect(teachingValue(level: 2, current: 2) == 0)
        #expect(teachingValue(level: 1, current: 3) == 0)
        #expect(teachingValue(level: 3, current: 2) == teachingValue(level: 1, current: 0))
    }

    @Test("priority multiplies a want's value")
    func priority() {
        let people = [
            Person(id: "t", strengths: [SkillLevel(skill: "SQL", level: 3)]),
            Person(id: "l", wants: [SkillWant(skill: "SQL", currentLevel: 2, priority: 3)]),
        ]
        let context = ScoringContext(people: people, rules: .defaults(for: .pairs), model: .pairs)
        #expect(context.teachingValue(from: 0, to: 1) == 3 * teachingValue(level: 3, current: 2))
    }

    @Test("a strong related skill in the same family earns partial credit")
    func relatedCredit() throws {
        var rules = try RulesFile.decode(#"{"skill_families": {"data": ["SQL", "PostgreSQL"]}, "teaching": {"related_credit_percent": 50}}"#, model: .pairs)
        let people = [
            Person(id: "t", strengths: [SkillLevel(skill: "PostgreSQL", level: 3)]),
            Person(id: "l", wants: [SkillWant(skill: "SQL", currentLevel: 2)]),
        ]
        #expect(ScoringContext(people: people, rules: rules, model: .pairs).teachingValue(from: 0, to: 1) == rules.gapValue(1) / 2)
        rules.relatedCreditPercent = 0
        #expect(ScoringContext(people: people, rules: rules, model: .pairs).teachingValue(from: 0, to: 1) == 0)
    }

    @Test("only the best skillsCounted wants count")
    func skillsCounted() {
        var rules = MatchRules.defaults(for: .pairs)
        rules.skillsCounted = 2
        let people = [
            Person(id: "t", strengths: ["A", "B", "C"].map { SkillLevel(skill: $0, level: 2) }),
            Person(id: "l", wants: [SkillWant(skill: "A", currentLevel: 1), SkillWant(skill: "B", currentLevel: 0), SkillWant(skill: "C", currentLevel: 1)]),
        ]
        let context = ScoringContext(people: people, rules: rules, model: .pairs)
        #expect(context.teachingValue(from: 0, to: 1) == 2 * rules.gapValue(1))
    }

    @Test("with any reciprocity, a pair where both learn beats a one-way pair of equal total")
    func reciprocityOrdering() {
        for reciprocity in [1, 30, 70, 100] {
            var rules = MatchRules.defaults(for: .pairs)
            rules.reciprocity = reciprocity
            let context = ScoringContext(people: [], rules: rules, model: .pairs)
            #expect(context.reciprocalComplementarity(100, 100) > context.reciprocalComplementarity(200, 0), "reciprocity \(reciprocity)")
            #expect(context.reciprocalComplementarity(150, 50) > context.reciprocalComplementarity(200, 0))
        }
        var rules = MatchRules.defaults(for: .pairs)
        rules.reciprocity = 0
        let oneWayFine = ScoringContext(people: [], rules: rules, model: .pairs)
        #expect(oneWayFine.reciprocalComplementarity(100, 100) == oneWayFine.reciprocalComplementarity(200, 0))
        rules.reciprocity = 100
        #expect(ScoringContext(people: [], rules: rules, model: .pairs).reciprocalComplementarity(200, 0) == 0)
    }

    @Test("criteria add their weight when met and nothing when not")
    func criteria() {
        var rules = MatchRules.defaults(for: .pairs)
        rules.criteria = MatchRules.Attribute.allCases.map { _ in .init(prefer: .ignore, weight: 0) }
        rules.setCriterion(.department, .init(prefer: .different, weight: 10))
        rules.setCriterion(.interests, .init(prefer: .similar, weight: 20))
        let people = [
            Person(id: "a", department: "Sales", interests: ["chess"]),
            Person(id: "b", department: "Data", interests: ["chess"]),
            Person(id: "c", department: "Sales", interests: ["film"]),
        ]
        let context = ScoringContext(people: people, rules: rules, model: .pairs)
        #expect(context.factor(0, 1) == 130)
        #expect(context.factor(0, 2) == 100)
        #expect(context.criterionEffect(.department, 0, 1) == 10)
        #expect(context.criterionEffect(.interests, 0, 2) == 0)
    }

    @Test("a previous partner is penalised under the penalise policy")
    func historyPenalty() {
        var rules = MatchRules.defaults(for: .pairs)
        rules.history = .penalise
        rules.historyPenaltyPercent = 50
        let people = [
            Person(id: "a", strengths: [SkillLevel(skill: "Go", level: 2)], wants: [SkillWant(skill: "SQL", currentLevel: 1)]),
            Person(id: "b", strengths: [SkillLevel(skill: "SQL", level: 2)], wants: [SkillWant(skill: "Go", currentLevel: 1)]),
        ]
        let fresh = ScoringContext(people: people, rules: rules, model: .pairs)
        let repeated = ScoringContext(people: people, rules: rules, model: .pairs, history: [("b", "a")])
        #expect(repeated.weight(0, 1) > 0)
        #expect(repeated.weight(0, 1) < fresh.weight(0, 1))
        rules.history = .forbid
        #expect(ScoringContext(people: people, rules: rules, model: .pairs, history: [("a", "b")]).weight(0, 1) == 0)
    }

    @Test("scores are integers and the display score stays within 0–100")
    func displayScale() {
        let context = ScoringContext(people: PoolFixtures.randomPool(count: 40, seed: 3), rules: .defaults(for: .pairs), model: .pairs)
        for a in 0..<40 {
            for b in 0..<40 where a != b {
                let weight = context.weight(a, b)
                #expect(weight >= 0)
                #expect((0...100).contains(context.displayScore(weight)))
                #expect(weight == context.weight(b, a), "pairs weights are symmetric")
            }
        }
        #expect(context.displayScore(context.referenceWeight) == 100)
        #expect(context.displayScore(0) == 0)
    }

    @Test("no pair outweighs either person's static bound")
    func staticBounds() {
        let context = ScoringContext(people: PoolFixtures.randomPool(count: 40, seed: 5), rules: .defaults(for: .pairs), model: .pairs)
        for a in 0..<40 {
            for b in 0..<40 where a != b {
                #expect(context.weight(a, b) <= context.pairWeightBound(a))
            }
        }
    }
}
