import Testing
@testable import MutualMatching

@Suite("Maximum-weight matching")
struct MaximumWeightMatchingTests {
    @Test("Random small graphs: optimum equals brute force and the certificate proves it")
    func randomSmallGraphsMatchBruteForce() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        let densities = [0.15, 0.4, 0.7, 1.0]
        let maxWeights = [0, 1, 3, 10, 1000]
        var checked = 0
        for round in 0..<4000 {
            let n = rng.below(11)
            let graph = SolverTestSupport.randomGraph(&rng, n: n, density: densities[round % 4],
                                                      maxWeight: maxWeights[(round / 4) % 5])
            let solution = MaximumWeightMatching.solve(graph)
            let expected = SolverTestSupport.bruteForceOptimum(graph)
            #expect(solution.totalWeight == expected, "round \(round): \(graph.edges)")
            let problems = SolverTestSupport.optimalityViolations(graph, solution)
            #expect(problems.isEmpty, "round \(round): \(problems) \(graph.edges)")
            if solution.totalWeight != expected || !problems.isEmpty { break }
            checked += 1
        }
        #expect(checked == 4000)
    }

    @Test("Medium random graphs (blossom-heavy): the certificate proves optimality")
    func mediumGraphsAreCertified() {
        var rng = SplitMix64(seed: 0x5EED_0002)
        var formed = 0, expanded = 0, augmentations = 0, zeroDualEvents = 0
        for round in 0..<60 {
            let n = 20 + rng.below(180)
            let density = [0.02, 0.05, 0.2, 0.6][round % 4]
            let graph = SolverTestSupport.randomGraph(&rng, n: n, density: density, maxWeight: [2, 20, 100_000][round % 3])
            let solution = MaximumWeightMatching.solve(graph)
            let problems = SolverTestSupport.optimalityViolations(graph, solution)
            #expect(problems.isEmpty, "round \(round) n=\(n): \(problems.prefix(5))")
            formed += solution.statistics.blossomsFormed
            expanded += solution.statistics.blossomsExpanded
            augmentations += solution.statistics.augmentations
            zeroDualEvents += solution.statistics.initialTrees - solution.statistics.augmentations
        }
        // The instances must exercise every part of the algorithm.
        #expect(formed > 0 && expanded > 0 && augmentations > 0 && zeroDualEvents > 0,
                "formed \(formed) expanded \(expanded) augmentations \(augmentations) zero \(zeroDualEvents)")
    }

    @Test("Growing one or a few trees at a time gives the same optimum (both search modes are correct)")
    func batchedTreesGiveSameOptimum() {
        var rng = SplitMix64(seed: 0x5EED_0005)
        for round in 0..<1500 {
            let n = rng.below(11)
            let graph = SolverTestSupport.randomGraph(&rng, n: n, density: [0.3, 0.8][round % 2], maxWeight: [2, 30][round % 2])
            let expected = SolverTestSupport.bruteForceOptimum(graph)
            for batch in [1, 2] {
                var solver = BlossomSolver(graph: graph)
                solver.batchSize = batch
                solver.initialiseGreedy()
                solver.run()
                let solution = solver.solution()
                #expect(solution.totalWeight == expected)
                #expect(SolverTestSupport.optimalityViolations(graph, solution).isEmpty, "round \(round) batch \(batch)")
            }
        }
    }

    @Test("Warm start from a subgraph's solution reaches the same optimum")
    func warmStartGivesSameOptimum() {
        var rng = SplitMix64(seed: 0x5EED_0003)
        for round in 0..<1500 {
            let n = 2 + rng.below(9)
            let full = SolverTestSupport.randomGraph(&rng, n: n, density: 0.8, maxWeight: [3, 50][round % 2])
            let sub = WeightedGraph(vertexCount: n, edges: full.edges.filter { _ in rng.chance(0.4) })
            let first = MaximumWeightMatching.solve(sub)
            let warm = MaximumWeightMatching.solve(full, warmStart: first)
            let cold = MaximumWeightMatching.solve(full)
            #expect(warm.totalWeight == cold.totalWeight)
            #expect(warm.totalWeight == SolverTestSupport.bruteForceOptimum(full))
            let problems = SolverTestSupport.optimalityViolations(full, warm)
            #expect(problems.isEmpty, "round \(round): \(problems)")
            // Warm start from its own optimum is a no-op in weight.
            let again = MaximumWeightMatching.solve(full, warmStart: cold)
            #expect(again.totalWeight == cold.totalWeight)
            if !problems.isEmpty || warm.totalWeight != cold.totalWeight { break }
        }
    }

    @Test("Determinism: same edges in any order give the identical mate array")
    func deterministic() {
        var rng = SplitMix64(seed: 0x5EED_0004)
        for _ in 0..<50 {
            let n = 50 + rng.below(100)
            let graph = SolverTestSupport.randomGraph(&rng, n: n, density: 0.1, maxWeight: 5)
            var shuffled = graph.edges
            for i in stride(from: shuffled.count - 1, to: 0, by: -1) { shuffled.swapAt(i, rng.below(i + 1)) }
            // Reverse some endpoints and add lighter duplicates: the graph normalises them away.
            let noisy = shuffled.map { rng.chance(0.5) ? WeightedEdge(Int($0.v), Int($0.u), $0.weight) : $0 }
                + shuffled.prefix(10).map { WeightedEdge(Int($0.u), Int($0.v), max(0, $0.weight - 1)) }
            let a = MaximumWeightMatching.solve(graph)
            let b = MaximumWeightMatching.solve(WeightedGraph(vertexCount: n, edges: noisy))
            #expect(a.mate == b.mate)
            #expect(a.certificate.vertexDualsTimesFour == b.certificate.vertexDualsTimesFour)
        }
    }

    @Test("Edge cases: empty graphs, zero weights, a single edge")
    func edgeCases() {
        let empty = MaximumWeightMatching.solve(WeightedGraph(vertexCount: 0, edges: []))
        #expect(empty.mate.isEmpty && empty.totalWeight == 0 && empty.dualObjective == 0)
        let isolated = MaximumWeightMatching.solve(WeightedGraph(vertexCount: 3, edges: []))
        #expect(isolated.mate == [-1, -1, -1])
        let zeros = WeightedGraph(vertexCount: 4, edges: [WeightedEdge(0, 1, 0), WeightedEdge(2, 3, 0)])
        let z = MaximumWeightMatching.solve(zeros)
        #expect(z.totalWeight == 0 && SolverTestSupport.optimalityViolations(zeros, z).isEmpty)
        let single = WeightedGraph(vertexCount: 2, edges: [WeightedEdge(1, 0, 7)])
        let s = MaximumWeightMatching.solve(single)
        #expect(s.mate == [1, 0] && s.totalWeight == 7 && s.dualObjective == 7)
        #expect(s.pairs.count == 1 && s.pairs[0] == (0, 1))
        // A triangle plus pendant: the classic case where greedy is wrong.
        let g = WeightedGraph(vertexCount: 4, edges: [WeightedEdge(0, 1, 5), WeightedEdge(1, 2, 6),
                                                       WeightedEdge(0, 2, 5), WeightedEdge(2, 3, 5)])
        let t = MaximumWeightMatching.solve(g)
        #expect(t.totalWeight == 10 && SolverTestSupport.optimalityViolations(g, t).isEmpty)
    }

    @Test("The checker rejects a broken certificate (so the property tests can fail)")
    func checkerDetectsBrokenCertificate() {
        let g = WeightedGraph(vertexCount: 4, edges: [WeightedEdge(0, 1, 5), WeightedEdge(1, 2, 6),
                                                       WeightedEdge(0, 2, 5), WeightedEdge(2, 3, 5)])
        let good = MaximumWeightMatching.solve(g)
        var duals = good.certificate.vertexDualsTimesFour
        duals[1] -= 2
        var bad = good
        bad.certificate = DualCertificate(vertexDualsTimesFour: duals, blossoms: good.certificate.blossoms)
        #expect(!SolverTestSupport.optimalityViolations(g, bad).isEmpty)
        var wrongMate = good
        wrongMate.mate = [-1, -1, -1, -1]
        #expect(!SolverTestSupport.optimalityViolations(g, wrongMate).isEmpty)
    }
}
