/// Exact maximum-weight *b-matching* (each vertex `u` takes up to `capacity[u]` partners, never the
/// same partner twice), solved by reduction to ordinary maximum-weight matching, so the blossom
/// solver and its dual certificate serve both.
///
/// ## The reduction (Tutte's vertex splitting with an edge gadget)
///
/// A vertex of capacity `c > 1` becomes `c` copies. An edge `{u, v}` of weight `w` becomes:
///
/// * both capacities ≤ 1: the edge itself;
/// * exactly one capacity `c > 1` (say `u`): `v`–`uᵢ` for every copy, weight `w`. `v` has one slot,
///   so it can take at most one copy and the pair cannot repeat;
/// * both capacities > 1: two gadget vertices `g_u`, `g_v` with edges `uᵢ`–`g_u`, `g_u`–`g_v`,
///   `g_v`–`vⱼ`, all of weight `w`. Using the pair matches `g_u` and `g_v` to copies (`2w`); not
///   using it matches `g_u`–`g_v` (`w`). A half-used gadget (one side to a copy, the other free)
///   also weighs `w` and is read back as unused, which loses nothing. So every b-matching `M`
///   maps to a matching of weight `w(M) + Σ gadget w`, and every matching maps back to a
///   b-matching at least that heavy minus the same constant: the optima differ by exactly the
///   constant, and the solver's dual objective minus the constant bounds the b-matching.
///
/// Vertices with capacity ≤ 1 keep one vertex and edges between them stay single edges, so a pool
/// where everyone has capacity 1 is solved on exactly the original graph.
public enum CapacitatedMatching {
    /// An optimal b-matching.
    public struct Solution: Sendable {
        /// The chosen pairs (`u < v`), sorted, with their weights.
        public var pairs: [WeightedEdge]
        /// Sum of the chosen pairs' weights.
        public var totalWeight: Int64
        /// An upper bound on every b-matching of the graph, from the solver's dual (equal to
        /// ``totalWeight`` when the solver finished: a proof of optimality).
        public var upperBound: Int64
        /// Partners each vertex received.
        public var degree: [Int32]
    }

    /// Solves maximum-weight b-matching on `edges` over `vertexCount` vertices. Edges with weight ≤ 0
    /// and vertices with capacity ≤ 0 take no part.
    public static func solve(vertexCount: Int, edges: [WeightedEdge], capacity: [Int32]) -> Solution {
        precondition(capacity.count == vertexCount, "one capacity per vertex")
        let reduction = Reduction(vertexCount: vertexCount, edges: edges, capacity: capacity)
        let solution = MaximumWeightMatching.solve(reduction.graph)
        return reduction.decode(solution)
    }

    /// The reduced graph and the maps back to the original vertices and pairs.
    struct Reduction {
        let graph: WeightedGraph
        /// Original vertex of each reduced vertex; -1 for gadget vertices.
        let owner: [Int32]
        /// For a gadget vertex, the original edge index it belongs to (else -1).
        let gadgetEdge: [Int32]
        let original: [WeightedEdge]
        /// Σ w over gadgets: the reduced optimum exceeds the b-matching optimum by exactly this.
        let offset: Int64
        let vertexCount: Int

        init(vertexCount: Int, edges: [WeightedEdge], capacity: [Int32]) {
            self.vertexCount = vertexCount
            original = WeightedGraph(vertexCount: vertexCount, edges: edges).edges.filter {
                $0.weight > 0 && capacity[Int($0.u)] > 0 && capacity[Int($0.v)] > 0
            }
            var owner: [Int32] = []
            var firstCopy = [Int32](repeating: 0, count: vertexCount)
            for v in 0..<vertexCount {
                firstCopy[v] = Int32(owner.count)
                for _ in 0..<max(1, Int(capacity[v])) { owner.append(Int32(v)) }
            }
            var gadgetEdge = [Int32](repeating: -1, count: owner.count)
            var reduced: [WeightedEdge] = []
            var offset: Int64 = 0
            for (index, edge) in original.enumerated() {
                let u = Int(edge.u), v = Int(edge.v), w = edge.weight
                let cu = Int(capacity[u]), cv = Int(capacity[v])
                let copiesU = Int(firstCopy[u])..<Int(firstCopy[u]) + max(1, cu)
                let copiesV = Int(firstCopy[v])..<Int(firstCopy[v]) + max(1, cv)
                if cu <= 1 || cv <= 1 {
                    // One side has a single slot: it can meet the other side at most once.
                    for a in copiesU { for b in copiesV { reduced.append(WeightedEdge(a, b, w)) } }
                } else {
                    let gu = owner.count, gv = owner.count + 1
                    owner += [-1, -1]
                    gadgetEdge += [Int32(index), Int32(index)]
                    for a in copiesU { reduced.append(WeightedEdge(a, gu, w)) }
                    reduced.append(WeightedEdge(gu, gv, w))
                    for b in copiesV { reduced.append(WeightedEdge(gv, b, w)) }
                    offset += w
                }
            }
            self.owner = owner
            self.gadgetEdge = gadgetEdge
            self.offset = offset
            graph = WeightedGraph(vertexCount: owner.count, edges: reduced)
        }

        /// Reads the b-matching back from a matching of the reduced graph.
        func decode(_ solution: MatchingSolution) -> Solution {
            let mate = solution.mate
            var pairs: [WeightedEdge] = []
            var degree = [Int32](repeating: 0, count: vertexCount)
            var weightOf: [UInt64: Int64] = [:]
            for edge in original { weightOf[Self.key(Int(edge.u), Int(edge.v))] = edge.weight }
            for x in 0..<owner.count where mate[x] >= 0 {
                let y = Int(mate[x])
                if owner[x] >= 0, owner[y] >= 0 {
                    // A direct edge: count it once, from the lower reduced vertex.
                    guard x < y else { continue }
                    let u = Int(owner[x]), v = Int(owner[y])
                    pairs.append(WeightedEdge(min(u, v), max(u, v), weightOf[Self.key(u, v)] ?? 0))
                } else if owner[x] < 0, owner[y] >= 0 {
                    // Gadget side matched to a copy: the pair is used when the other side is too.
                    let index = Int(gadgetEdge[x])
                    let other = Self.sibling(x, gadgetEdge)
                    guard x < other, mate[other] >= 0, owner[Int(mate[other])] >= 0 else { continue }
                    pairs.append(original[index])
                }
            }
            pairs.sort { ($0.u, $0.v) < ($1.u, $1.v) }
            var total: Int64 = 0
            for pair in pairs {
                total += pair.weight
                degree[Int(pair.u)] += 1
                degree[Int(pair.v)] += 1
            }
            return Solution(pairs: pairs, totalWeight: total,
                            upperBound: max(total, solution.dualObjective - offset), degree: degree)
        }

        /// The other gadget vertex of the same edge (gadget vertices are created side by side).
        static func sibling(_ x: Int, _ gadgetEdge: [Int32]) -> Int {
            x + 1 < gadgetEdge.count && gadgetEdge[x + 1] == gadgetEdge[x] ? x + 1 : x - 1
        }

        static func key(_ u: Int, _ v: Int) -> UInt64 {
            UInt64(UInt32(min(u, v))) << 32 | UInt64(UInt32(max(u, v)))
        }
    }
}

extension CapacitatedMatching {
    /// The whole-pool bound of ``PoolBound``, for capacities.
    public struct PoolBound: Sendable {
        /// No b-matching of the pool weighs more (given the outside bounds).
        public let upperBound: Int64
        /// People the bound still pays for: in the b-matching that attains it they keep an open
        /// place while a partner outside the graph could be worth up to their outside bound.
        /// When none is left, the bound equals the candidate optimum.
        public let paysFor: [Int]

        /// Any b-matching `M` of the pool splits into pairs of the graph and pairs outside it; an
        /// outside pair weighs at most `min(a_u, a_v) ≤ (a_u + a_v)/2`, and `u` has at most
        /// `c_u − deg(u)` of them. So `w(M) ≤ max over graph b-matchings M' of
        /// w(M') + Σ_u (c_u − deg_{M'}(u))·a_u/2 = Σ_u c_u·a_u/2 + OPT(w − (a_u + a_v)/2)`, one more exact
        /// solve on shifted weights (doubled to stay integral), exactly as for capacity 1.
        public init(vertexCount: Int, edges: [WeightedEdge], capacity: [Int32], maxOutsideWeight: [Int64]) {
            let a = (0..<vertexCount).map { capacity[$0] > 0 ? max(0, maxOutsideWeight[$0]) : 0 }
            var shifted: [WeightedEdge] = []
            shifted.reserveCapacity(edges.count)
            for e in edges {
                let w = 2 * e.weight - a[Int(e.u)] - a[Int(e.v)]
                if w > 0 { shifted.append(WeightedEdge(Int(e.u), Int(e.v), w)) }
            }
            let solution = CapacitatedMatching.solve(vertexCount: vertexCount, edges: shifted, capacity: capacity)
            var open: Int64 = 0
            for u in 0..<vertexCount { open += Int64(max(0, capacity[u])) * a[u] }
            upperBound = (open + solution.upperBound) / 2
            paysFor = (0..<vertexCount).filter { a[$0] > 0 && solution.degree[$0] < capacity[$0] }
        }
    }
}
