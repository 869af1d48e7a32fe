import MutualMatching
import Testing

@Suite("Preview")
struct PreviewMatcherTests {
    @Test("the preview is a valid matching on graph edges, at most the optimum", arguments: 0..<20)
    func validMatching(seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed))
        let n = 10 + seed
        var edges: [WeightedEdge] = []
        for a in 0..<n {
            for b in (a + 1)..<n where random.next() % 3 == 0 { edges.append(WeightedEdge(a, b, Int64(1 + random.next() % 50))) }
        }
        let graph = WeightedGraph(vertexCount: n, edges: edges)
        let preview = PreviewMatcher.match(graph, seed: 1)
        var total: Int64 = 0
        for v in 0..<n where preview.mate[v] >= 0 {
            let m = Int(preview.mate[v])
            #expect(Int(preview.mate[m]) == v)
            let weight = graph.weight(v, m)
            #expect(weight != nil)
            if m > v { total += weight ?? 0 }
        }
        #expect(total == preview.totalWeight)
        let exact = MaximumWeightMatching.solve(graph).totalWeight
        #expect(preview.totalWeight <= exact)
        #expect(preview.totalWeight * 10 >= exact * 8, "far below the optimum")
    }

    @Test("local improvement beats plain greedy on the classic trap")
    func beatsGreedy() {
        // Greedy takes the middle edge (10) and strands both ends; the optimum is 9 + 9.
        let graph = WeightedGraph(vertexCount: 4, edges: [WeightedEdge(0, 1, 9), WeightedEdge(1, 2, 10), WeightedEdge(2, 3, 9)])
        #expect(PreviewMatcher.match(graph, seed: 0, maximumPasses: 0).totalWeight == 10)
        #expect(PreviewMatcher.match(graph, seed: 0).totalWeight == 18)
    }

    @Test("on a realistic pool the preview is within 97 % of the proven optimum")
    func quality() async {
        let people = SyntheticPoolGenerator.generate(count: 1500, seed: 21)
        let exact = await PoolFixtures.run(people, prove: true)
        let preview = await PoolFixtures.run(people, prove: false, preview: true, seed: 3)
        #expect(exact.status == .optimal)
        #expect(preview.totalWeight * 100 >= exact.totalWeight * 97, "\(preview.totalWeight) vs \(exact.totalWeight)")
        #expect(preview.upperBound >= exact.totalWeight)
    }
}
