extension MaximumWeightMatching {
    /// Proves optimality for a whole pool while solving only on a sparse candidate graph (column
    /// generation, "pricing").
    ///
    /// Repeatedly: solve on the current graph (warm-started from the previous round), then ask
    /// `violations` for pairs of the pool that the certificate does not cover (negative reduced cost,
    /// see ``DualCertificate/covers(_:_:weight:)``). Those are added and the graph is re-solved. When no
    /// pair is left uncovered the certificate is feasible for the whole pool, so its objective, equal to
    /// the matching weight, bounds every matching of the pool: the matching is a proven optimum.
    ///
    /// - Parameters:
    ///   - maxRounds: the most re-solves to run after the first solve.
    ///   - violations: returns pool pairs with negative reduced cost (it may return more, or pairs
    ///     already in the graph; those that the certificate covers are ignored). Returning all of them
    ///     minimises rounds; returning the worst few per vertex keeps the graph small.
    /// - Returns: the last solution, the number of re-solves, and whether it is proven optimal for the pool.
    public static func solveWithPricing(
        _ graph: WeightedGraph,
        maxRounds: Int,
        violations: (DualCertificate) -> [WeightedEdge]
    ) -> (solution: MatchingSolution, rounds: Int, proven: Bool) {
        var current = graph
        var solution = solve(current)
        var rounds = 0
        while true {
            let missing = violations(solution.certificate).filter {
                !solution.certificate.covers(Int($0.u), Int($0.v), weight: $0.weight)
            }
            if missing.isEmpty { return (solution, rounds, true) }
            if rounds >= maxRounds { return (solution, rounds, false) }
            current = current.adding(missing)
            solution = solve(current, warmStart: solution)
            rounds += 1
        }
    }
}
