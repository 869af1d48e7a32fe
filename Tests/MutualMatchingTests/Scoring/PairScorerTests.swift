@testable import MutualMatching
import Testing

/// The candidate search scores partners with ``PairScorer`` (one compact card per person)
/// instead of ``ScoringContext/weight(_:_:)``; the two must agree on every pair, whatever the
/// rules, or the candidate graph, its outside bounds and the proof would drift apart from the
/// weights pricing and explanations use.
@Suite("Pair scorer")
struct PairScorerTests {
    /// Rules that take each of the weight's paths: windows on and off, other gap tables,
    /// fewer skills counted, every criterion similar or different, history penalised.
    static func rules(_ variant: Int) -> MatchRules {
        var rules = MatchRules.defaults(for: .pairs)
        var random = SeededGenerator(seed: UInt64(variant) &* 7919 &+ 3)
        func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        guard variant > 0 else { return rules }
        rules.levelWindow = [nil, 0, 1, 2][below(4)]
        rules.requireSharedLanguage = below(2) == 0
        rules.minimumOverlapHours = [nil, 1, 2, 6][below(4)]
        rules.forbidReportingLine = below(3) != 0
        rules.honourExclusions = below(3) != 0
        rules.history = below(2) == 0 ? .forbid : .penalise
        rules.historyPenaltyPercent = [10, 50, 200][below(3)]
        rules.reciprocity = [0, 30, 70, 100][below(4)]
        rules.gapValues = [[100, 90, 55, 30, 15], [100], [100, 80, 60, 40, 20, 10, 5], [40, 100]][below(4)]
        rules.skillsCounted = 1 + below(3)
        rules.workingHoursStart = [7, 9][below(2)]
        rules.workingHoursEnd = [17, 19][below(2)]
        for attribute in MatchRules.Attribute.allCases {
            let prefer = MatchRules.Preference.allCases[below(3)]
            rules.setCriterion(attribute, MatchRules.Criterion(prefer: prefer, weight: [0, 5, 10, 40][below(4)]))
        }
        return rules
    }

    /// People the cards cannot hold: five wants, five strengths, no languages, no time zone.
    static func unusualPeople() -> [Person] {
        let skills = ["SQL", "Python", "Negotiation", "Public Speaking", "Design"]
        return [
            Person(id: "wide-wants", name: "Wide Wants", department: "Data", level: 2, languages: ["english"],
                   strengths: [SkillLevel(skill: "Go", level: 4)],
                   wants: skills.enumerated().map { SkillWant(skill: $1, currentLevel: $0 % 3, priority: 1 + $0 % 2) },
                   interests: ["chess"]),
            Person(id: "wide-strengths", name: "Wide Strengths", department: "Ops", level: 3, languages: [],
                   strengths: skills.enumerated().map { SkillLevel(skill: $1, level: 2 + $0 % 4) },
                   wants: [SkillWant(skill: "Go", currentLevel: 1, priority: 2)], interests: []),
            Person(id: "no-zone", name: "No Zone", department: "", level: nil, languages: ["german", "english"],
                   strengths: [SkillLevel(skill: "SQL", level: 5), SkillLevel(skill: "Go", level: 3)],
                   wants: [SkillWant(skill: "Python", currentLevel: 0, priority: 1)], interests: ["film", "chess"]),
        ]
    }

    @Test("the scorer's weight equals the context's on every pair", arguments: 0..<12)
    func agreesWithContext(variant: Int) {
        var people = variant % 2 == 0
            ? PoolFixtures.randomPool(count: 50, seed: UInt64(900 + variant))
            : SyntheticPoolGenerator.generate(count: 60, seed: UInt64(variant))
        people += Self.unusualPeople()
        if variant % 3 == 0, people.count > 10 { people[7].capacity = 0; people[7].role = nil }
        let history = [(people[1].id, people[2].id), (people[3].id, people[4].id)]
        let setAside = [(people[5].id, people[6].id)]
        let context = ScoringContext(people: people, rules: Self.rules(variant), model: .pairs, history: history, setAside: setAside)
        guard let scorer = PairScorer.make(context) else {
            Issue.record("no scorer for a pairs pool without related credit")
            return
        }
        var positive = 0
        for a in 0..<people.count {
            for b in 0..<people.count where a != b {
                let expected = context.weight(a, b)
                #expect(scorer.weight(a, b, context: context) == expected, "\(people[a].id)–\(people[b].id)")
                if expected > 0 { positive += 1 }
            }
        }
        #expect(positive > 0)
    }

    @Test("runs the cards cannot serve use the context's weight")
    func fallsBackWhereNeeded() {
        let people = PoolFixtures.randomPool(count: 10, seed: 1)
        var related = MatchRules.defaults(for: .pairs)
        related.relatedCreditPercent = 50
        #expect(PairScorer.make(ScoringContext(people: people, rules: related, model: .pairs)) == nil)
        #expect(PairScorer.make(ScoringContext(people: people, rules: .defaults(for: .mentoring), model: .mentoring)) == nil)
        #expect(PairScorer.make(ScoringContext(people: people, rules: .defaults(for: .buddies), model: .buddies)) == nil)
    }
}
