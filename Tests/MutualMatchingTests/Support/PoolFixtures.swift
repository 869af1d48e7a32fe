import MutualMatching

/// Small hand-made and random pools, and brute-force references, for property tests.
enum PoolFixtures {
    static let skills = ["SQL", "Python", "Negotiation", "Public Speaking", "Design", "Go"]

    /// A random pool of `count` people with few skills, so many pairs are infeasible or tied.
    static func randomPool(count: Int, seed: UInt64, withConstraints: Bool = true) -> [Person] {
        var random = SeededGenerator(seed: seed)
        func below(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        var people: [Person] = []
        for index in 0..<count {
            var strengths: [SkillLevel] = []
            var wants: [SkillWant] = []
            for skill in skills.shuffled(using: &random).prefix(1 + below(2)) {
                strengths.append(SkillLevel(skill: skill, level: 1 + below(5)))
            }
            for skill in skills.shuffled(using: &random).prefix(1 + below(2)) where !strengths.contains(where: { $0.skill == SkillSlug.make(skill) }) {
                wants.append(SkillWant(skill: skill, currentLevel: below(3), priority: 1 + below(2)))
            }
            let zones = [0, 60, -300, 330, 480]
            var person = Person(
                id: "p\(index)", name: "Person \(index)", department: ["Sales", "Data", "Ops"][below(3)],
                level: 1 + below(4), languages: below(5) == 0 ? ["german"] : ["english"],
                strengths: strengths, wants: wants, interests: [["chess", "running", "film"][below(3)]])
            if withConstraints {
                let offset = zones[below(zones.count)]
                person.utcOffsetMinutes = offset
                let minutes = abs(offset) % 60
                person.timeZoneName = "UTC\(offset >= 0 ? "+" : "-")\(abs(offset) / 60):\(minutes < 10 ? "0" : "")\(minutes)"
                if index > 0, below(4) == 0 { person.managerID = "p\(below(index))" }
                if index > 0, below(6) == 0 { person.exclude = ["p\(below(index))"] }
            }
            people.append(person)
        }
        return people
    }

    /// The maximum total weight of a matching, by dynamic programming over subsets (n ≤ 16).
    static func bruteForceMaximum(count: Int, weight: (Int, Int) -> Int64) -> Int64 {
        var memo = [Int64?](repeating: nil, count: 1 << count)
        func best(_ mask: Int) -> Int64 {
            if mask == 0 { return 0 }
            if let known = memo[mask] { return known }
            let first = mask.trailingZeroBitCount
            let rest = mask & ~(1 << first)
            var result = best(rest)
            var others = rest
            while others != 0 {
                let other = others.trailingZeroBitCount
                others &= others - 1
                let w = weight(first, other)
                if w > 0 { result = max(result, w + best(rest & ~(1 << other))) }
            }
            memo[mask] = result
            return result
        }
        return best((1 << count) - 1)
    }

    /// Runs the engine synchronously enough for tests.
    static func run(_ people: [Person], rules: MatchRules? = nil, model: MatchModel = .pairs, history: [(String, String)] = [],
                    prove: Bool = true, preview: Bool = false, k: Int? = nil, seed: UInt64 = 0) async -> MatchResult {
        await MatchEngine.run(
            people: people, rules: rules ?? .defaults(for: model), history: history,
            options: MatchOptions(model: model, prove: prove, preview: preview, seed: seed, partnersPerPerson: k))
    }
}
