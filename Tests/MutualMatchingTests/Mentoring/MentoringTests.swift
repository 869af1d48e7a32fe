import MutualMatching
import Testing

@Suite("Traditional mentoring")
struct MentoringTests {
    /// Every assignment of mentees to mentors (or none), respecting capacities.
    func bruteForce(mentors: [Int], mentees: [Int], capacity: [Int32], weight: (Int, Int) -> Int64) -> Int64 {
        var load = [Int32](repeating: 0, count: capacity.count)
        func best(_ index: Int) -> Int64 {
            if index == mentees.count { return 0 }
            var result = best(index + 1)
            for mentor in mentors where mentor != mentees[index] && load[mentor] < capacity[mentor] {
                let w = weight(mentor, mentees[index])
                guard w > 0 else { continue }
                load[mentor] += 1
                result = max(result, w + best(index + 1))
                load[mentor] -= 1
            }
            return result
        }
        return best(0)
    }

    /// A random mentoring pool of `count` people with roles and capacities 1–2, and its brute-force optimum.
    func randomPool(count: Int, seed: Int) -> (people: [Person], context: ScoringContext, optimum: Int64) {
        var people = PoolFixtures.randomPool(count: count, seed: UInt64(700 + seed))
        var random = SeededGenerator(seed: UInt64(seed))
        for index in people.indices {
            people[index].role = [MentoringRole.mentor, .mentee, .mentee, .both][Int(random.next() % 4)]
            people[index].capacity = 1 + Int(random.next() % 2)
            people[index].strengths = people[index].strengths.map { SkillLevel(skill: $0.skill, level: min(5, $0.level + 2)) }
        }
        let rules = MatchRules.defaults(for: .mentoring)
        let context = ScoringContext(people: people, rules: rules, model: .mentoring)
        let mentors = people.indices.filter { people[$0].role!.canMentor }
        let mentees = people.indices.filter { people[$0].role!.canBeMentored }
        let optimum = bruteForce(mentors: mentors, mentees: mentees, capacity: context.capacity) { context.weight($0, $1) }
        return (people, context, optimum)
    }

    @Test("the assignment is optimal against brute force, reported optimal, and respects capacities", arguments: 0..<25)
    func optimal(seed: Int) async {
        let (people, context, optimum) = randomPool(count: 9, seed: seed)
        // Without --prove: 9 people keep every feasible mentor in their lists, so the flow ran on
        // all arcs and its optimum is the pool's.
        let result = await PoolFixtures.run(people, model: .mentoring, prove: false)
        #expect(result.totalWeight == optimum)
        #expect(result.status == .optimal && result.upperBound == optimum)
        var load = [Int: Int]()
        var mentored = Set<Int>()
        for pair in result.pairs {
            #expect(people[pair.a].role!.canMentor && people[pair.b].role!.canBeMentored)
            #expect(context.blockingConstraint(pair.a, pair.b) == nil)
            load[pair.a, default: 0] += 1
            #expect(mentored.insert(pair.b).inserted, "a mentee has one mentor")
        }
        for (mentor, count) in load { #expect(count <= people[mentor].capacity!) }
        #expect(result.upperBound >= result.totalWeight)
    }

    @Test("a mentor's capacity is shared out to the mentees who gain most")
    func capacity() async {
        let mentor = Person(id: "m", strengths: [SkillLevel(skill: "SQL", level: 5), SkillLevel(skill: "Go", level: 5)], role: .mentor, capacity: 1)
        let keen = Person(id: "k", wants: [SkillWant(skill: "SQL", currentLevel: 4), SkillWant(skill: "Go", currentLevel: 4)], role: .mentee)
        let mild = Person(id: "x", wants: [SkillWant(skill: "SQL", currentLevel: 0)], role: .mentee)
        let result = await PoolFixtures.run([mentor, keen, mild], model: .mentoring)
        #expect(result.pairs.map { [$0.a, $0.b] } == [[0, 1]])
        #expect(result.unmatched.contains { $0.person == 2 && $0.reason.contains("capacity") })
        #expect(result.pairs[0].reasons.first?.contains("→") == true)
    }

    @Test("with one mentor listed per mentee the bound is still valid and --prove reaches the proven optimum", arguments: 0..<15)
    func shortListsAndProof(seed: Int) async {
        let (people, _, optimum) = randomPool(count: 10, seed: 100 + seed)
        let quick = await PoolFixtures.run(people, model: .mentoring, prove: false, k: 1)
        #expect(quick.upperBound >= optimum && quick.totalWeight <= optimum)
        let proven = await PoolFixtures.run(people, model: .mentoring, prove: true, k: 1)
        #expect(proven.totalWeight == optimum)
        #expect(proven.status == .optimal && proven.upperBound == optimum)
    }

    @Test("the shifted-flow bound pays only for mentees left without a mentor")
    func poolBoundByHand() {
        // Mentor 0 (capacity 1) can take mentee 1 (10) or mentee 2 (8); each mentee may have a
        // mentor outside the list worth up to 6 (mentee 1) or 0 (mentee 2).
        let edges = [WeightedEdge(0, 1, 10), WeightedEdge(0, 2, 8)]
        let bound = MentoringAssignment.poolBound(vertexCount: 3, edges: edges, capacity: [1, 1, 1], outsideBound: [0, 6, 0])
        // Best of: 0–1 (10, nothing open that pays) or 0–2 (8) + 6 for mentee 1 outside = 14.
        #expect(bound.upperBound == 14)
        #expect(bound.paysFor == [1])
        let exact = MentoringAssignment.poolBound(vertexCount: 3, edges: edges, capacity: [1, 1, 1], outsideBound: [0, 0, 0])
        #expect(exact.upperBound == 10 && exact.paysFor.isEmpty)
    }
}
