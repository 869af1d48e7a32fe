import Testing
@testable import MutualMatching

@Suite("Capacitated matching (b-matching)")
struct CapacitatedMatchingTests {
    #if DEBUG
    static let rounds = 300
    #else
    static let rounds = 3000
    #endif

    /// The best b-matching by trying every subset of edges that respects the capacities.
    static func bruteForce(_ edges: [WeightedEdge], capacity: [Int32]) -> Int64 {
        let positive = edges.filter { $0.weight > 0 }
        var load = [Int32](repeating: 0, count: capacity.count)
        func best(_ index: Int) -> Int64 {
            if index == positive.count { return 0 }
            var result = best(index + 1)
            let e = positive[index]
            let u = Int(e.u), v = Int(e.v)
            if load[u] < capacity[u], load[v] < capacity[v] {
                load[u] += 1; load[v] += 1
                result = max(result, e.weight + best(index + 1))
                load[u] -= 1; load[v] -= 1
            }
            return result
        }
        return best(0)
    }

    static func randomCapacities(_ rng: inout SplitMix64, _ n: Int) -> [Int32] {
        (0..<n).map { _ in Int32([0, 1, 1, 2, 2, 3][rng.below(6)]) }
    }

    @Test("on random small graphs with capacities the b-matching is valid, equals brute force and is proven by its dual")
    func matchesBruteForce() {
        var rng = SplitMix64(seed: 0xB0B0_0001)
        var capacityMattered = 0
        for round in 0..<Self.rounds {
            let n = 2 + rng.below(6)
            let graph = SolverTestSupport.randomGraph(&rng, n: n, density: [0.5, 0.9][round % 2], maxWeight: [4, 100][round % 2])
            let capacity = Self.randomCapacities(&rng, n)
            let solution = CapacitatedMatching.solve(vertexCount: n, edges: graph.edges, capacity: capacity)
            let optimum = Self.bruteForce(graph.edges, capacity: capacity)
            #expect(solution.totalWeight == optimum, "round \(round)")
            #expect(solution.upperBound == optimum, "round \(round)")
            if optimum > Self.bruteForce(graph.edges, capacity: capacity.map { min($0, 1) }) { capacityMattered += 1 }
            var degree = [Int32](repeating: 0, count: n)
            var seen = Set<[Int32]>()
            var total: Int64 = 0
            for pair in solution.pairs {
                #expect(pair.u < pair.v && seen.insert([pair.u, pair.v]).inserted, "round \(round): pair repeated")
                #expect(graph.weight(Int(pair.u), Int(pair.v)) == pair.weight)
                degree[Int(pair.u)] += 1
                degree[Int(pair.v)] += 1
                total += pair.weight
            }
            #expect(total == solution.totalWeight)
            #expect(degree == solution.degree)
            #expect(zip(degree, capacity).allSatisfy { $0 <= max(0, $1) }, "round \(round): over capacity")
            if solution.totalWeight != optimum { break }
        }
        // Many instances must gain from the extra places, or the test would not exercise the gadgets.
        #expect(capacityMattered > Self.rounds / 10)
    }

    @Test("with every capacity at most 1 the reduction is the original graph")
    func capacityOneKeepsTheGraph() {
        var rng = SplitMix64(seed: 0xB0B0_0002)
        let graph = SolverTestSupport.randomGraph(&rng, n: 12, density: 0.6, maxWeight: 50)
        let reduction = CapacitatedMatching.Reduction(vertexCount: 12, edges: graph.edges, capacity: [Int32](repeating: 1, count: 12))
        #expect(reduction.graph.vertexCount == 12)
        #expect(reduction.graph.edges == graph.edges.filter { $0.weight > 0 })
        #expect(reduction.offset == 0)
    }

    @Test("the whole-pool bound from a top-k graph is at least the full graph's b-matching optimum, and exact with nothing outside")
    func poolBoundIsValid() {
        var rng = SplitMix64(seed: 0xB0B0_0003)
        for round in 0..<Self.rounds / 2 {
            let n = 2 + rng.below(6)
            let full = SolverTestSupport.randomGraph(&rng, n: n, density: 0.9, maxWeight: [5, 1000][round % 2])
            let capacity = Self.randomCapacities(&rng, n)
            let candidate = PricingTests.topK(full, k: 1 + round % 3)
            var outside = [Int64](repeating: 0, count: n)
            for e in full.edges where candidate.weight(Int(e.u), Int(e.v)) == nil {
                outside[Int(e.u)] = max(outside[Int(e.u)], e.weight)
                outside[Int(e.v)] = max(outside[Int(e.v)], e.weight)
            }
            let solution = CapacitatedMatching.solve(vertexCount: n, edges: candidate.edges, capacity: capacity)
            let bound = CapacitatedMatching.PoolBound(vertexCount: n, edges: candidate.edges, capacity: capacity, maxOutsideWeight: outside)
            let optimum = Self.bruteForce(full.edges, capacity: capacity)
            #expect(bound.upperBound >= optimum, "round \(round)")
            #expect(bound.upperBound >= solution.totalWeight, "round \(round)")
            if bound.paysFor.isEmpty { #expect(bound.upperBound == solution.totalWeight, "round \(round)") }
            let none = CapacitatedMatching.PoolBound(vertexCount: n, edges: full.edges, capacity: capacity,
                                                      maxOutsideWeight: [Int64](repeating: 0, count: n))
            #expect(none.upperBound == optimum && none.paysFor.isEmpty, "round \(round)")
        }
    }
}
