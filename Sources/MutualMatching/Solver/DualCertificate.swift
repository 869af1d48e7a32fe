/// The dual solution behind a ``MatchingSolution``: a proof of (near-)optimality that anyone can
/// check without trusting the solver.
///
/// It is a feasible solution of the dual of Edmonds' matching LP:
/// minimise `Σ y_v + Σ z_B·(|B|−1)/2` subject to `y ≥ 0`, `z ≥ 0` and, for every edge `(u, v, w)`,
/// `y_u + y_v + Σ_{B ∋ u, v} z_B ≥ w`, where the `B` are odd vertex sets ("blossoms") forming a laminar
/// family. Any feasible dual bounds every matching's weight from above (weak duality), so when the
/// objective equals the matching weight the matching is optimal.
///
/// Values are stored doubled (`2·y`, `2·z`) because optimal duals of integer weights are half-integral;
/// doubling keeps everything exact in `Int64`.
public struct DualCertificate: Sendable {
    /// One blossom of the laminar family, with a positive dual.
    public struct Blossom: Sendable {
        /// Index (into ``DualCertificate/blossoms``) of the smallest blossom strictly containing this one, or -1.
        public let parent: Int
        /// Twice its dual `z_B` (always `> 0` and even).
        public let dualTimesTwo: Int64
        /// Its vertices (odd count).
        public let members: [Int32]
    }

    /// Twice each vertex dual `y_v` (`>= 0`).
    public let vertexDualsTimesTwo: [Int64]
    /// Blossoms with positive dual; parents come before children.
    public let blossoms: [Blossom]

    /// Innermost certificate blossom containing each vertex, or -1.
    private let innermost: [Int32]
    /// Depth of each blossom in the laminar forest (outermost = 0).
    private let depth: [Int32]
    /// `2·Σ z` over the blossom and all blossoms containing it.
    private let cumulativeTimesTwo: [Int64]

    /// Builds a certificate. `blossoms` must be laminar with parents listed before children;
    /// blossoms with a zero dual may be omitted (they do not change any reduced cost).
    public init(vertexDualsTimesTwo: [Int64], blossoms: [Blossom]) {
        self.vertexDualsTimesTwo = vertexDualsTimesTwo
        self.blossoms = blossoms
        var innermost = [Int32](repeating: -1, count: vertexDualsTimesTwo.count)
        var depth = [Int32](repeating: 0, count: blossoms.count)
        var cumulative = [Int64](repeating: 0, count: blossoms.count)
        for (index, blossom) in blossoms.enumerated() {
            precondition(blossom.parent < index, "blossom parents must come first")
            if blossom.parent >= 0 {
                depth[index] = depth[blossom.parent] + 1
                cumulative[index] = cumulative[blossom.parent] + blossom.dualTimesTwo
            } else {
                cumulative[index] = blossom.dualTimesTwo
            }
            // Parents come first, so a later (deeper) blossom overwrites its ancestors here.
            for v in blossom.members { innermost[Int(v)] = Int32(index) }
        }
        self.innermost = innermost
        self.depth = depth
        self.cumulativeTimesTwo = cumulative
    }

    /// A certificate with no blossoms and all vertex duals zero, for `vertexCount` vertices.
    public static func zero(vertexCount: Int) -> DualCertificate {
        DualCertificate(vertexDualsTimesTwo: [Int64](repeating: 0, count: vertexCount), blossoms: [])
    }

    /// Number of vertices covered by the certificate.
    public var vertexCount: Int { vertexDualsTimesTwo.count }

    /// Twice `Σ_{B ∋ u, v} z_B`: the blossom part of the reduced cost of pair `(u, v)`.
    /// The blossoms containing both are the common ancestors of their innermost blossoms.
    public func sharedBlossomDualTimesTwo(_ u: Int, _ v: Int) -> Int64 {
        var a = Int(innermost[u]), b = Int(innermost[v])
        if a < 0 || b < 0 { return 0 }
        while a != b {
            if a < 0 || b < 0 { return 0 }
            if depth[a] >= depth[b] { a = blossoms[a].parent } else { b = blossoms[b].parent }
        }
        return a < 0 ? 0 : cumulativeTimesTwo[a]
    }

    /// Twice the reduced cost `y_u + y_v + Σ_{B ∋ u,v} z_B − w` of a pair; `>= 0` means the dual covers it.
    public func reducedCostTimesTwo(_ u: Int, _ v: Int, weight: Int64) -> Int64 {
        vertexDualsTimesTwo[u] + vertexDualsTimesTwo[v] + sharedBlossomDualTimesTwo(u, v) - 2 * weight
    }

    /// Whether pair `(u, v)` with `weight` satisfies the dual constraint (reduced cost `>= 0`).
    /// If every pair of the pool is covered, ``objective`` bounds the best matching of the whole pool.
    public func covers(_ u: Int, _ v: Int, weight: Int64) -> Bool {
        reducedCostTimesTwo(u, v, weight: weight) >= 0
    }

    /// Twice the dual objective `Σ y_v + Σ z_B·(|B|−1)/2`.
    public var objectiveTimesTwo: Int64 {
        var total: Int64 = 0
        for y in vertexDualsTimesTwo { total += y }
        for blossom in blossoms { total += blossom.dualTimesTwo * Int64((blossom.members.count - 1) / 2) }
        return total
    }

    /// The dual objective, rounded down: matchings have integer weight, so `⌊objective⌋` is still an
    /// upper bound on every matching of a graph whose edges the certificate covers.
    public var objective: Int64 {
        let twice = objectiveTimesTwo
        return twice >= 0 ? twice / 2 : -((-twice + 1) / 2)
    }

    /// `2·(y_v + Σ_{B ∋ v} z_B / 2)`: the vertex dual after dissolving every blossom into its vertices.
    /// Those duals alone still cover every pair the certificate covers (used for warm starts).
    func flattenedVertexDualsTimesTwo() -> [Int64] {
        var flat = vertexDualsTimesTwo
        for v in 0..<flat.count {
            var b = Int(innermost[v])
            while b >= 0 {
                flat[v] += blossoms[b].dualTimesTwo / 2
                b = blossoms[b].parent
            }
        }
        return flat
    }
}
