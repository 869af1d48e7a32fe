import MutualMatching
import Testing

@Suite("Explanations")
struct ExplanationTests {
    static let ana = Person(id: "a", name: "Ana", department: "Data", timeZoneName: "UTC", utcOffsetMinutes: 0,
                            strengths: [SkillLevel(skill: "SQL", level: 4)], wants: [SkillWant(skill: "Negotiation", currentLevel: 1)])
    static let ben = Person(id: "b", name: "Ben", department: "Sales", timeZoneName: "UTC+5", utcOffsetMinutes: 300,
                            strengths: [SkillLevel(skill: "Negotiation", level: 3)], wants: [SkillWant(skill: "SQL", currentLevel: 2)])

    @Test("reasons name both directions of teaching with both levels")
    func teaching() {
        let context = ScoringContext(people: [Self.ana, Self.ben], rules: .defaults(for: .pairs), model: .pairs)
        let reasons = PairExplainer.reasons(context, 0, 1)
        #expect(reasons.contains("Ana (SQL 4) → Ben (SQL 2, wants it)"))
        #expect(reasons.contains("Ben (Negotiation 3) → Ana (Negotiation 1, wants it)"))
    }

    @Test("reasons show what the rules added, including time-zone overlap")
    func ruleEffects() {
        let context = ScoringContext(people: [Self.ana, Self.ben], rules: .defaults(for: .pairs), model: .pairs)
        let reasons = PairExplainer.reasons(context, 0, 1)
        #expect(reasons.contains("different departments (Data, Sales) +10 %"))
        #expect(reasons.contains { $0.hasPrefix("time-zone overlap 3 h") })
    }

    @Test("a one-way pair says so, and related-skill credit names the related skill")
    func oneWayAndRelated() throws {
        let rules = try RulesFile.decode(#"{"skill_families": {"data": ["SQL", "PostgreSQL"]}, "teaching": {"related_credit_percent": 50}}"#, model: .pairs)
        let teacher = Person(id: "t", name: "Tom", strengths: [SkillLevel(skill: "PostgreSQL", level: 4)])
        let learner = Person(id: "l", name: "Lia", wants: [SkillWant(skill: "SQL", currentLevel: 1)])
        let context = ScoringContext(people: [teacher, learner], rules: rules, model: .pairs)
        let reasons = PairExplainer.reasons(context, 0, 1)
        #expect(reasons.contains("Tom (PostgreSQL 4, related) → Lia (SQL 1, wants it)"))
        #expect(reasons.contains("one-way: only Lia learns in this pair"))
    }

    @Test("buddies are explained by shared wants and interests")
    func buddies() {
        let a = Person(id: "a", name: "Ana", wants: [SkillWant(skill: "Go")], interests: ["chess"])
        let b = Person(id: "b", name: "Ben", wants: [SkillWant(skill: "Go")], interests: ["chess", "film"])
        let context = ScoringContext(people: [a, b], rules: .defaults(for: .buddies), model: .buddies)
        #expect(context.weight(0, 1) > 0)
        let reasons = PairExplainer.reasons(context, 0, 1)
        #expect(reasons.contains("both want to learn Go"))
        #expect(reasons.contains { $0.hasPrefix("shared interests: chess") })
    }
}
