import Testing
@testable import MutualMatching

@Suite("Pricing and whole-pool bounds")
struct PricingTests {
    /// The `k` heaviest edges at each vertex (a candidate graph like the one the engine builds).
    static func topK(_ full: WeightedGraph, k: Int) -> WeightedGraph {
        var incident = [[WeightedEdge]](repeating: [], count: full.vertexCount)
        for e in full.edges {
            incident[Int(e.u)].append(e)
            incident[Int(e.v)].append(e)
        }
        var kept: [WeightedEdge] = []
        for list in incident {
            kept += list.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : ($0.u, $0.v) < ($1.u, $1.v) }.prefix(k)
        }
        return WeightedGraph(vertexCount: full.vertexCount, edges: kept)
    }

    static func uncovered(_ full: WeightedGraph, _ certificate: DualCertificate) -> [WeightedEdge] {
        full.edges.filter { !certificate.covers(Int($0.u), Int($0.v), weight: $0.weight) }
    }

    @Test("Pricing from a sparse subgraph ends with a proven optimum equal to brute force on the full graph")
    func pricingProvesOptimum() {
        var rng = SplitMix64(seed: 0x5EED_0101)
        var totalRounds = 0
        for round in 0..<1500 {
            let n = 2 + rng.below(9)
            let full = SolverTestSupport.randomGraph(&rng, n: n, density: 0.9, maxWeight: [4, 100][round % 2])
            let start = round % 3 == 0 ? WeightedGraph(vertexCount: n, edges: []) : Self.topK(full, k: 1 + round % 2)
            let result = MaximumWeightMatching.solveWithPricing(start, maxRounds: 100) { Self.uncovered(full, $0) }
            #expect(result.proven)
            #expect(result.solution.totalWeight == SolverTestSupport.bruteForceOptimum(full), "round \(round)")
            let problems = SolverTestSupport.optimalityViolations(full, result.solution)
            #expect(problems.isEmpty, "round \(round): \(problems)")
            totalRounds += result.rounds
            if !problems.isEmpty || !result.proven { break }
        }
        #expect(totalRounds > 0)
    }

    @Test("Pricing reports unproven when it runs out of rounds")
    func pricingStopsAtMaxRounds() {
        let full = WeightedGraph(vertexCount: 4, edges: [WeightedEdge(0, 1, 1), WeightedEdge(2, 3, 1),
                                                         WeightedEdge(0, 2, 5), WeightedEdge(1, 3, 5)])
        let start = WeightedGraph(vertexCount: 4, edges: [WeightedEdge(0, 1, 1), WeightedEdge(2, 3, 1)])
        let result = MaximumWeightMatching.solveWithPricing(start, maxRounds: 0) { Self.uncovered(full, $0) }
        #expect(!result.proven && result.rounds == 0 && result.solution.totalWeight == 2)
        let finished = MaximumWeightMatching.solveWithPricing(start, maxRounds: 5) { Self.uncovered(full, $0) }
        #expect(finished.proven && finished.solution.totalWeight == 10)
    }

    @Test("The no-pricing upper bound is at least the full graph's optimum and covers every pair")
    func upperBoundIsValid() {
        var rng = SplitMix64(seed: 0x5EED_0102)
        for round in 0..<1500 {
            let n = 2 + rng.below(9)
            let full = SolverTestSupport.randomGraph(&rng, n: n, density: [0.5, 1.0][round % 2], maxWeight: [5, 1000][round % 2])
            let candidate = Self.topK(full, k: 1 + round % 3)
            let solution = MaximumWeightMatching.solve(candidate)
            var maxOutside = [Int64](repeating: 0, count: n)
            for e in full.edges where candidate.weight(Int(e.u), Int(e.v)) == nil {
                maxOutside[Int(e.u)] = max(maxOutside[Int(e.u)], e.weight)
                maxOutside[Int(e.v)] = max(maxOutside[Int(e.v)], e.weight)
            }
            let bound = solution.certificate.upperBound(maxOutsideWeight: maxOutside)
            let optimum = SolverTestSupport.bruteForceOptimum(full)
            #expect(bound >= optimum, "round \(round)")
            #expect(bound >= solution.totalWeight)
            let covering = solution.certificate.coveringWholePool(maxOutsideWeight: maxOutside)
            #expect(Self.uncovered(full, covering).isEmpty, "round \(round)")
            // The shifted-problem bound: valid, covers every pool pair, never worse than the
            // single-threshold construction on these instances' worst case (it is the LP optimum of
            // all bounds with t_u ≥ a_u/2), and exact when nothing is left outside.
            for warm in [nil, solution] {
                let pool = PoolBound(graph: candidate, maxOutsideWeight: maxOutside, candidateSolution: warm)
                #expect(pool.upperBound >= optimum, "round \(round)")
                #expect(full.edges.allSatisfy { pool.covers(Int($0.u), Int($0.v), weight: $0.weight) }, "round \(round)")
                for u in 0..<n {
                    for v in (u + 1)..<n where candidate.weight(u, v) == nil {
                        #expect(pool.covers(u, v, weight: min(maxOutside[u], maxOutside[v])))
                    }
                }
                if maxOutside.allSatisfy({ $0 == 0 }) { #expect(pool.upperBound == solution.totalWeight) }
            }
            if bound < optimum { break }
        }
    }

    @Test("The raised dual covers every pair bounded by min(a_u, a_v), and raises nothing when bounds are low")
    func coveringIsFeasibleForAllPairs() {
        var rng = SplitMix64(seed: 0x5EED_0103)
        for _ in 0..<300 {
            let n = 2 + rng.below(40)
            let y = (0..<n).map { _ in Int64(rng.below(50)) }
            let a = (0..<n).map { _ in Int64(rng.below(60)) }
            let certificate = DualCertificate(vertexDualsTimesFour: y, blossoms: [])
            let covering = certificate.coveringWholePool(maxOutsideWeight: a)
            for u in 0..<n {
                #expect(covering.vertexDualsTimesFour[u] >= y[u])
                for v in (u + 1)..<n {
                    #expect(covering.covers(u, v, weight: min(a[u], a[v])))
                }
            }
        }
        let high = DualCertificate(vertexDualsTimesFour: [10, 10, 10], blossoms: [])
        #expect(high.upperBound(maxOutsideWeight: [10, 10, 10]) == 15)
    }
}
