/// An upper bound on the best matching of a *whole pool*, certified by a dual solution, computed from
/// the candidate graph and per-vertex bounds on the pairs left out of it (no pricing needed).
///
/// ## Why this construction
///
/// Let `a_u = maxOutsideWeight[u]` bound `w(u, v)` for every pool pair `(u, v)` outside the candidate
/// graph (for a top-k graph: u's (k+1)-th best weight, or 0 when u kept every feasible partner). An
/// outside pair then weighs at most `min(a_u, a_v) ≤ (a_u + a_v)/2`, so any dual with
/// `t_u ≥ a_u/2` for every vertex covers every outside pair. The cheapest such dual that also covers
/// the graph is an LP dual: minimise `Σ t` (+ blossom terms) subject to `t_u ≥ a_u/2` and the graph
/// constraints. Writing `t_u = t'_u + a_u/2` turns it into the dual of an ordinary matching problem
/// with weights `w'(u, v) = w(u, v) − (a_u + a_v)/2` (edges with `w' ≤ 0` dropped): a leftover vertex
/// "earns" `a_u/2`. So one more exact solve gives the best bound of this form:
///
/// `bound = Σ_u a_u/2 + OPT(w')  =  max over matchings M of ( w(M) + Σ_{u unmatched by M} a_u/2 )`.
///
/// It exceeds the candidate optimum only by what unmatched people could still earn, which is why it is
/// tight on top-k graphs (where few people stay unmatched and matched edges satisfy
/// `w(u, m) ≥ a_u, a_m`). By contrast, raising the candidate solution's own duals to `a_u/2` pays for
/// every lopsided pair of optimal duals (one end near `w`, the other near 0), several percent on
/// realistic pools; ``DualCertificate/upperBound(maxOutsideWeight:)`` does that (plus a polish) when
/// a second solve is not wanted.
///
/// Units: `a_u + a_v` may be odd, so the shifted problem uses doubled weights `w'' = 2w − a_u − a_v`;
/// its certificate `C` (×4 of those units) maps back as `4·t_u = C_u/2 + 2·a_u`.
public struct PoolBound: Sendable {
    /// The bound: no matching of the pool, under the stated `maxOutsideWeight`, weighs more.
    public let upperBound: Int64
    /// The per-vertex bounds the certificate relies on.
    public let maxOutsideWeight: [Int64]
    /// Certificate of the shifted problem (weights `2w − a_u − a_v` on the candidate graph).
    public let shiftedCertificate: DualCertificate
    /// The people the bound pays for: left unmatched by the shifted problem's optimum while
    /// their outside bound is positive, so each adds `a_u/2`. Lowering their bounds (deeper
    /// partner lists) is what tightens it.
    public let paysFor: [Int]

    /// Solves the shifted problem on `graph` (optionally warm-started from the candidate solution).
    public init(graph: WeightedGraph, maxOutsideWeight: [Int64], candidateSolution: MatchingSolution? = nil) {
        let n = graph.vertexCount
        precondition(maxOutsideWeight.count == n, "one bound per vertex")
        let a = maxOutsideWeight.map { max(0, $0) }
        var shifted: [WeightedEdge] = []
        shifted.reserveCapacity(graph.edges.count)
        for e in graph.edges {
            let w = 2 * e.weight - a[Int(e.u)] - a[Int(e.v)]
            if w > 0 { shifted.append(WeightedEdge(Int(e.u), Int(e.v), w)) }
        }
        let shiftedGraph = WeightedGraph(vertexCount: n, edges: shifted)
        var warm: MatchingSolution?
        if let candidateSolution, candidateSolution.mate.count == n {
            // Original dual y (stored 4y) becomes t'' = 2y − a in shifted units, stored as 4t'' = 2·4y − 4a.
            let flat = candidateSolution.certificate.flattenedVertexDualsTimesFour()
            let duals = (0..<n).map { max(0, 2 * flat[$0] - 4 * a[$0]) }
            warm = MatchingSolution(mate: candidateSolution.mate, totalWeight: 0, dualObjective: 0,
                                    certificate: DualCertificate(vertexDualsTimesFour: duals, blossoms: []))
        }
        let solution = MaximumWeightMatching.solve(shiftedGraph, warmStart: warm)
        // bound = Σ a/2 + OPT''/2 with OPT'' = objectiveTimesFour/4, i.e. (4·Σa + objectiveTimesFour)/8.
        let numerator = 4 * a.reduce(0, +) + solution.certificate.objectiveTimesFour
        self.upperBound = numerator / 8
        self.maxOutsideWeight = a
        self.shiftedCertificate = solution.certificate
        self.paysFor = (0..<n).filter { a[$0] > 0 && solution.mate[$0] < 0 }
    }

    /// Whether the bound's dual covers pair `(u, v)` with `weight`: true for every graph edge and every
    /// outside pair that respects `maxOutsideWeight`. (With `t_u = (t'_u + a_u)/2`, in integers.)
    public func covers(_ u: Int, _ v: Int, weight: Int64) -> Bool {
        let c = shiftedCertificate
        let lhs = c.vertexDualsTimesFour[u] + c.vertexDualsTimesFour[v] + c.sharedBlossomDualTimesFour(u, v)
            + 4 * maxOutsideWeight[u] + 4 * maxOutsideWeight[v]
        return lhs >= 8 * weight
    }
}
