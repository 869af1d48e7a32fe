/// The dual solution behind a ``MatchingSolution``: a proof of (near-)optimality that anyone can
/// check without trusting the solver.
///
/// It is a feasible solution of the dual of Edmonds' matching LP:
/// minimise `Σ y_v + Σ z_B·(|B|−1)/2` subject to `y ≥ 0`, `z ≥ 0` and, for every edge `(u, v, w)`,
/// `y_u + y_v + Σ_{B ∋ u, v} z_B ≥ w`, where the `B` are odd vertex sets ("blossoms") forming a laminar
/// family. Any feasible dual bounds every matching's weight from above (weak duality), so when the
/// objective equals the matching weight the matching is optimal.
///
/// Values are stored multiplied by four (`4·y`, `4·z`): optimal duals of integer weights are
/// half-integral, and the solver starts every vertex at exactly half its heaviest edge (which makes far
/// more edges tight at the start than rounding would) while keeping its own arithmetic integral, so its
/// duals are quarter-integral. Everything stays exact in `Int64`.
public struct DualCertificate: Sendable {
    /// One blossom of the laminar family, with a positive dual.
    public struct Blossom: Sendable {
        /// Index (into ``DualCertificate/blossoms``) of the smallest blossom strictly containing this one, or -1.
        public let parent: Int
        /// Four times its dual `z_B` (always `> 0` and even).
        public let dualTimesFour: Int64
        /// Its vertices (odd count).
        public let members: [Int32]
    }

    /// Four times each vertex dual `y_v` (`>= 0`).
    public let vertexDualsTimesFour: [Int64]
    /// Blossoms with positive dual; parents come before children.
    public let blossoms: [Blossom]

    /// Innermost certificate blossom containing each vertex, or -1.
    private let innermost: [Int32]
    /// Depth of each blossom in the laminar forest (outermost = 0).
    private let depth: [Int32]
    /// `4·Σ z` over the blossom and all blossoms containing it.
    private let cumulativeTimesFour: [Int64]

    /// Builds a certificate. `blossoms` must be laminar with parents listed before children;
    /// blossoms with a zero dual may be omitted (they do not change any reduced cost).
    public init(vertexDualsTimesFour: [Int64], blossoms: [Blossom]) {
        self.vertexDualsTimesFour = vertexDualsTimesFour
        self.blossoms = blossoms
        var innermost = [Int32](repeating: -1, count: vertexDualsTimesFour.count)
        var depth = [Int32](repeating: 0, count: blossoms.count)
        var cumulative = [Int64](repeating: 0, count: blossoms.count)
        for (index, blossom) in blossoms.enumerated() {
            precondition(blossom.parent < index, "blossom parents must come first")
            if blossom.parent >= 0 {
                depth[index] = depth[blossom.parent] + 1
                cumulative[index] = cumulative[blossom.parent] + blossom.dualTimesFour
            } else {
                cumulative[index] = blossom.dualTimesFour
            }
            // Parents come first, so a later (deeper) blossom overwrites its ancestors here.
            for v in blossom.members { innermost[Int(v)] = Int32(index) }
        }
        self.innermost = innermost
        self.depth = depth
        self.cumulativeTimesFour = cumulative
    }

    /// A certificate with no blossoms and all vertex duals zero, for `vertexCount` vertices.
    public static func zero(vertexCount: Int) -> DualCertificate {
        DualCertificate(vertexDualsTimesFour: [Int64](repeating: 0, count: vertexCount), blossoms: [])
    }

    /// `2·y_v` rounded down (the exact values are ``vertexDualsTimesFour``). Rounding down keeps
    /// "covered" tests that use it conservative.
    public var vertexDualsTimesTwo: [Int64] { vertexDualsTimesFour.map { $0 >> 1 } }

    /// Twice the dual objective, rounded up (so bounds built on it stay valid); exact value: ``objectiveTimesFour``.
    public var objectiveTimesTwo: Int64 { (objectiveTimesFour + 1) >> 1 }

    /// Number of vertices covered by the certificate.
    public var vertexCount: Int { vertexDualsTimesFour.count }

    /// Four times `Σ_{B ∋ u, v} z_B`: the blossom part of the reduced cost of pair `(u, v)`.
    /// The blossoms containing both are the common ancestors of their innermost blossoms.
    public func sharedBlossomDualTimesFour(_ u: Int, _ v: Int) -> Int64 {
        var a = Int(innermost[u]), b = Int(innermost[v])
        if a < 0 || b < 0 { return 0 }
        while a != b {
            if a < 0 || b < 0 { return 0 }
            if depth[a] >= depth[b] { a = blossoms[a].parent } else { b = blossoms[b].parent }
        }
        return a < 0 ? 0 : cumulativeTimesFour[a]
    }

    /// Four times the reduced cost `y_u + y_v + Σ_{B ∋ u,v} z_B − w` of a pair; `>= 0` means the dual covers it.
    public func reducedCostTimesFour(_ u: Int, _ v: Int, weight: Int64) -> Int64 {
        vertexDualsTimesFour[u] + vertexDualsTimesFour[v] + sharedBlossomDualTimesFour(u, v) - 4 * weight
    }

    /// Whether pair `(u, v)` with `weight` satisfies the dual constraint (reduced cost `>= 0`).
    /// If every pair of the pool is covered, ``objective`` bounds the best matching of the whole pool.
    public func covers(_ u: Int, _ v: Int, weight: Int64) -> Bool {
        reducedCostTimesFour(u, v, weight: weight) >= 0
    }

    /// Four times the dual objective `Σ y_v + Σ z_B·(|B|−1)/2`.
    public var objectiveTimesFour: Int64 {
        var total: Int64 = 0
        for y in vertexDualsTimesFour { total += y }
        for blossom in blossoms { total += blossom.dualTimesFour * Int64((blossom.members.count - 1) / 2) }
        return total
    }

    /// The dual objective, rounded down: matchings have integer weight, so `⌊objective⌋` is still an
    /// upper bound on every matching of a graph whose edges the certificate covers.
    public var objective: Int64 {
        let times4 = objectiveTimesFour
        return times4 >= 0 ? times4 / 4 : -((-times4 + 3) / 4)
    }

    /// `4·(y_v + Σ_{B ∋ v} z_B / 2)`: the vertex dual after dissolving every blossom into its vertices.
    /// Those duals alone still cover every pair the certificate covers (used for warm starts).
    func flattenedVertexDualsTimesFour() -> [Int64] {
        var flat = vertexDualsTimesFour
        for v in 0..<flat.count {
            var b = Int(innermost[v])
            while b >= 0 {
                flat[v] += blossoms[b].dualTimesFour / 2
                b = blossoms[b].parent
            }
        }
        return flat
    }
}
