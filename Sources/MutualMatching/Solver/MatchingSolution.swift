/// A matching together with the dual certificate that proves how good it is.
public struct MatchingSolution: Sendable {
    /// `mate[v]` is v's partner, or -1 when v is unmatched.
    public var mate: [Int32]
    /// Sum of the weights of the matched edges.
    public var totalWeight: Int64
    /// The certificate's dual objective (rounded down). It is an upper bound on every matching of any
    /// graph whose pairs the certificate covers, and equals ``totalWeight`` on the solved graph when
    /// the solver finished (an optimality proof).
    public var dualObjective: Int64
    /// Vertex and blossom duals; `certificate.covers(u, v, weight:)` tells whether an extra pair is priced out.
    public var certificate: DualCertificate
    /// Work counters of the run that produced this solution (for benchmarks and reports).
    public var statistics: Statistics

    /// Counters describing how the solver reached the optimum.
    public struct Statistics: Sendable, Equatable {
        /// Exposed vertices with a positive dual after initialisation: the number of alternating trees grown.
        public var initialTrees = 0
        /// Matched edges found by the greedy initialisation (or kept from the warm start).
        public var initialMatched = 0
        /// Augmentations performed by the primal–dual phase.
        public var augmentations = 0
        /// Blossoms formed.
        public var blossomsFormed = 0
        /// Blossoms expanded.
        public var blossomsExpanded = 0
        /// Dual adjustments (events processed).
        public var events = 0

        public init() {}
    }

    /// Creates a solution from its parts.
    public init(mate: [Int32], totalWeight: Int64, dualObjective: Int64, certificate: DualCertificate,
                statistics: Statistics = Statistics()) {
        self.mate = mate
        self.totalWeight = totalWeight
        self.dualObjective = dualObjective
        self.certificate = certificate
        self.statistics = statistics
    }

    /// The matched pairs `(u, v)` with `u < v`, in increasing order of `u`.
    public var pairs: [(Int, Int)] {
        var result: [(Int, Int)] = []
        for (u, m) in mate.enumerated() where Int(m) > u { result.append((u, Int(m))) }
        return result
    }

    /// Number of matched pairs.
    public var matchedPairCount: Int {
        var count = 0
        for (u, m) in mate.enumerated() where Int(m) > u { count += 1 }
        return count
    }
}
