import MutualMatching
import Testing

@Suite("Candidate graph and pricing")
struct CandidateGraphTests {
    @Test("every pair outside the graph weighs at most both people's outside bounds", arguments: [1, 2, 3, 5])
    func outsideBoundsHold(k: Int) async {
        let people = PoolFixtures.randomPool(count: 40, seed: UInt64(k))
        let context = ScoringContext(people: people, rules: .defaults(for: .pairs), model: .pairs)
        let candidates = await CandidateGenerator.build(context, partnersPerPerson: k)
        let graph = WeightedGraph(vertexCount: 40, edges: candidates.edges)
        for a in 0..<40 {
            for b in (a + 1)..<40 where graph.weight(a, b) == nil {
                let weight = context.weight(a, b)
                #expect(weight <= candidates.outsideBound[a] && weight <= candidates.outsideBound[b], "\(a)-\(b)")
            }
        }
        for edge in candidates.edges { #expect(edge.weight == context.weight(Int(edge.u), Int(edge.v))) }
    }

    @Test("a scan limit makes bounds loose but still valid")
    func scanLimitBounds() async {
        let people = SyntheticPoolGenerator.generate(count: 120, seed: 4)
        let context = ScoringContext(people: people, rules: .defaults(for: .pairs), model: .pairs)
        let candidates = await CandidateGenerator.build(context, partnersPerPerson: 3, scanLimit: 5)
        #expect(candidates.exhaustive.contains(false))
        let graph = WeightedGraph(vertexCount: 120, edges: candidates.edges)
        for a in 0..<120 {
            for b in (a + 1)..<120 where graph.weight(a, b) == nil {
                #expect(context.weight(a, b) <= min(candidates.outsideBound[a], candidates.outsideBound[b]))
            }
        }
    }

    @Test("the candidate graph contains the optimum's pairs, or pricing adds them", arguments: 0..<10)
    func optimumReached(seed: Int) async {
        let people = PoolFixtures.randomPool(count: 14, seed: UInt64(500 + seed))
        let context = ScoringContext(people: people, rules: .defaults(for: .pairs), model: .pairs)
        let optimum = PoolFixtures.bruteForceMaximum(count: 14) { context.weight($0, $1) }
        let result = await PoolFixtures.run(people, prove: true, k: 1)
        #expect(result.totalWeight == optimum)
        #expect(result.status == .optimal)
    }

    @Test("pricing finds exactly the uncovered pairs outside the graph")
    func pricingFindsViolations() async {
        let people = SyntheticPoolGenerator.generate(count: 150, seed: 11)
        let context = ScoringContext(people: people, rules: .defaults(for: .pairs), model: .pairs)
        let candidates = await CandidateGenerator.build(context, partnersPerPerson: 2)
        let graph = WeightedGraph(vertexCount: 150, edges: candidates.edges)
        let solution = MaximumWeightMatching.solve(graph)
        let found = await PricingOracle.violations(context: context, candidates: candidates, graph: graph, certificate: solution.certificate)
        var expected: [WeightedEdge] = []
        for a in 0..<150 {
            for b in (a + 1)..<150 where graph.weight(a, b) == nil {
                let weight = context.weight(a, b)
                if weight > 0, !solution.certificate.covers(a, b, weight: weight) { expected.append(WeightedEdge(a, b, weight)) }
            }
        }
        #expect(found == expected)
    }

    @Test("k grows with the pool")
    func partnersGrow() {
        #expect(CandidateGraph.defaultPartnersPerPerson(poolSize: 100) < CandidateGraph.defaultPartnersPerPerson(poolSize: 10_000))
        #expect(CandidateGraph.defaultPartnersPerPerson(poolSize: 10_000) < CandidateGraph.defaultPartnersPerPerson(poolSize: 100_000))
        #expect(CandidateGraph.defaultPartnersPerPerson(poolSize: 3) == 2)
    }

    @Test("deepening some lists keeps every outside bound valid, lowers theirs, and keeps the first lists", arguments: [1, 2])
    func deepenedBoundsHold(k: Int) async {
        let people = PoolFixtures.randomPool(count: 40, seed: UInt64(60 + k))
        let context = ScoringContext(people: people, rules: .defaults(for: .pairs), model: .pairs)
        let first = await CandidateGenerator.build(context, partnersPerPerson: k)
        let rows = Array(stride(from: 0, to: 40, by: 3))
        let deeper = await CandidateGenerator.deepen(first, context: context, people: rows, partnersPerPerson: 4 * k)
        let graph = WeightedGraph(vertexCount: 40, edges: deeper.edges)
        for edge in first.edges { #expect(graph.weight(Int(edge.u), Int(edge.v)) == edge.weight) }
        for edge in deeper.edges { #expect(edge.weight == context.weight(Int(edge.u), Int(edge.v))) }
        for a in 0..<40 {
            #expect(deeper.outsideBound[a] <= first.outsideBound[a])
            for b in (a + 1)..<40 where graph.weight(a, b) == nil {
                let weight = context.weight(a, b)
                #expect(weight <= deeper.outsideBound[a] && weight <= deeper.outsideBound[b], "\(a)-\(b)")
            }
        }
        #expect(deeper.edges.count > first.edges.count)
        #expect(rows.contains { deeper.outsideBound[$0] < first.outsideBound[$0] })
    }
}
