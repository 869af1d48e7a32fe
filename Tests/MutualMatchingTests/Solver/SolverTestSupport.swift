@testable import MutualMatching

/// The engine's seeded generator (SplitMix64) with the helpers random tests use, so every
/// random test is reproducible.
struct SplitMix64 {
    private var generator: SeededGenerator

    init(seed: UInt64) { generator = SeededGenerator(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    /// Uniform in `0..<bound` (bound > 0); the modulo bias is irrelevant for tests.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < p }
}

enum SolverTestSupport {
    /// A random graph: `n` vertices, each pair present with probability `density`, weights uniform in
    /// `0...maxWeight` (small maxima give many ties and zeros).
    static func randomGraph(_ rng: inout SplitMix64, n: Int, density: Double, maxWeight: Int) -> WeightedGraph {
        var edges: [WeightedEdge] = []
        for u in 0..<n {
            for v in (u + 1)..<max(u + 1, n) where rng.chance(density) {
                edges.append(WeightedEdge(u, v, Int64(rng.below(maxWeight + 1))))
            }
        }
        return WeightedGraph(vertexCount: n, edges: edges)
    }

    /// Maximum matching weight by dynamic programming over vertex subsets (n ≤ ~16).
    static func bruteForceOptimum(_ graph: WeightedGraph) -> Int64 {
        let n = graph.vertexCount
        var w = [[Int64]](repeating: [Int64](repeating: -1, count: n), count: n)
        for e in graph.edges {
            w[Int(e.u)][Int(e.v)] = e.weight
            w[Int(e.v)][Int(e.u)] = e.weight
        }
        let full = (1 << n) - 1
        var best = [Int64](repeating: 0, count: full + 1)
        if n == 0 { return 0 }
        for mask in 1...full {
            let i = mask.trailingZeroBitCount
            let rest = mask & ~(1 << i)
            var value = best[rest]
            var others = rest
            while others != 0 {
                let j = others.trailingZeroBitCount
                others &= others - 1
                if w[i][j] >= 0 { value = max(value, w[i][j] + best[rest & ~(1 << j)]) }
            }
            best[mask] = value
        }
        return best[full]
    }

    /// Independent check of a solution: the matching is valid, its weight is right, and the certificate
    /// proves it optimal on `graph` (dual feasibility, complementary slackness, equal objectives).
    /// Returns the list of violated conditions (empty when all hold).
    static func optimalityViolations(_ graph: WeightedGraph, _ s: MatchingSolution) -> [String] {
        var problems: [String] = []
        let n = graph.vertexCount
        guard s.mate.count == n, s.certificate.vertexCount == n else { return ["wrong sizes"] }
        var total: Int64 = 0
        for u in 0..<n {
            let m = Int(s.mate[u])
            if m == -1 { continue }
            if m < 0 || m >= n || m == u || Int(s.mate[m]) != u {
                problems.append("mate not symmetric at \(u)")
                continue
            }
            guard let w = graph.weight(u, m) else {
                problems.append("matched pair \(u)-\(m) is not an edge")
                continue
            }
            if u < m { total += w }
        }
        if total != s.totalWeight { problems.append("totalWeight \(s.totalWeight) != \(total)") }

        let c = s.certificate
        for (v, y) in c.vertexDualsTimesFour.enumerated() {
            if y < 0 { problems.append("negative dual at \(v)") }
            if y > 0 && s.mate[v] == -1 { problems.append("exposed vertex \(v) has positive dual") }
        }
        var inBlossom = [[Bool]]()
        for (index, b) in c.blossoms.enumerated() {
            if b.dualTimesFour <= 0 { problems.append("blossom \(index) dual not positive") }
            if b.members.count % 2 == 0 { problems.append("blossom \(index) has even size") }
            var member = [Bool](repeating: false, count: n)
            for v in b.members { member[Int(v)] = true }
            if b.parent >= 0 {
                for v in b.members where !inBlossom[b.parent][Int(v)] { problems.append("blossom \(index) not inside parent") }
            }
            inBlossom.append(member)
            var matchedInside = 0
            for v in b.members {
                let m = Int(s.mate[Int(v)])
                if m >= 0 && member[m] { matchedInside += 1 }
            }
            if matchedInside != b.members.count - 1 { problems.append("blossom \(index) not full") }
        }
        for e in graph.edges {
            // Reduced cost computed from scratch (not through the certificate's own lookup).
            let u = Int(e.u), v = Int(e.v)
            var r = c.vertexDualsTimesFour[u] + c.vertexDualsTimesFour[v] - 4 * e.weight
            for (index, b) in c.blossoms.enumerated() where inBlossom[index][u] && inBlossom[index][v] {
                r += b.dualTimesFour
            }
            if r != c.reducedCostTimesFour(u, v, weight: e.weight) { problems.append("reducedCost lookup wrong for \(u)-\(v)") }
            if r < 0 { problems.append("edge \(u)-\(v) not covered (\(r))") }
            if Int(s.mate[u]) == v && r != 0 { problems.append("matched edge \(u)-\(v) not tight") }
        }
        if c.objectiveTimesFour != 4 * s.totalWeight {
            problems.append("dual objective \(c.objectiveTimesFour)/4 != total \(s.totalWeight)")
        }
        if s.dualObjective != s.totalWeight { problems.append("dualObjective field \(s.dualObjective) != total") }
        return problems
    }
}
