import Testing
@testable import MutualMatching

@Suite("Weighted graph and certificate views")
struct WeightedGraphTests {
    @Test("Edges are normalised, sorted and de-duplicated keeping the heaviest; lookups find every edge")
    func normalisation() {
        let g = WeightedGraph(vertexCount: 5, edges: [
            WeightedEdge(3, 1, 4), WeightedEdge(1, 3, 9), WeightedEdge(0, 4, 0), WeightedEdge(2, 0, 7), WeightedEdge(1, 3, 2),
        ])
        #expect(g.edges == [WeightedEdge(0, 2, 7), WeightedEdge(0, 4, 0), WeightedEdge(1, 3, 9)])
        #expect(g.weight(3, 1) == 9 && g.weight(0, 4) == 0 && g.weight(4, 0) == 0 && g.weight(1, 2) == nil)
        // Zero-weight edges are kept in `edges` but never enter the solver's adjacency.
        #expect(g.adjacencyStart[5] == 4)
        let more = g.adding([WeightedEdge(1, 2, 5), WeightedEdge(0, 2, 3)])
        #expect(more.weight(1, 2) == 5 && more.weight(0, 2) == 7 && more.edges.count == 4)
    }

    @Test("The doubled views of a certificate round conservatively")
    func conservativeViews() {
        let c = DualCertificate(vertexDualsTimesFour: [3, 4, 5],
                                blossoms: [DualCertificate.Blossom(parent: -1, dualTimesFour: 2, members: [0, 1, 2])])
        #expect(c.vertexDualsTimesTwo == [1, 2, 2])  // rounded down
        #expect(c.objectiveTimesFour == 3 + 4 + 5 + 2)
        #expect(c.objectiveTimesTwo == 7)  // 14/2 exactly; odd values round up
        #expect(c.objective == 3)  // ⌊14/4⌋
        #expect(c.reducedCostTimesFour(0, 1, weight: 2) == 3 + 4 + 2 - 8)
        #expect(c.covers(0, 2, weight: 2) && !c.covers(0, 2, weight: 3))
        #expect(c.flattenedVertexDualsTimesFour() == [4, 5, 6])
    }
}
