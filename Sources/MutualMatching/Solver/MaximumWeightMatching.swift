/// Exact maximum-weight matching on general graphs (Edmonds' weighted blossom algorithm).
///
/// The implementation follows the primal–dual method as presented in Galil's 1986 survey
/// ("Efficient algorithms for finding maximum matching in graphs") with the event-driven,
/// priority-queue organisation of Gabow's O(nm log n) design and the multiple-trees-at-once and
/// keep-trees-across-augmentations ideas of Kolmogorov's Blossom V:
///
/// * every exposed vertex with a positive dual roots an alternating tree; all trees grow together
///   under one global dual change `Δ`, with duals stored relative to `Δ` so an adjustment is `O(1)`;
/// * the four kinds of events of the classic algorithm (a tree edge becomes tight, an edge between two
///   outer vertices becomes tight, an inner blossom's dual reaches zero, an outer vertex's dual
///   reaches zero) sit in binary heaps keyed by the `Δ` at which they happen;
/// * an augmentation dissolves only the one or two trees involved;
/// * a greedy matching with per-vertex duals starts the search, or the previous solution does (warm start).
///
/// All arithmetic is on `Int64` (weights ×4 internally), so results are exact.
public enum MaximumWeightMatching {
    /// Solves maximum-weight matching on `graph` (not necessarily perfect).
    ///
    /// - Parameter warmStart: a previous solution on a graph with the same vertices (typically a
    ///   subgraph of this one, as in a pricing loop). Its matching and duals seed the search; the result
    ///   is the same optimum weight as a cold start (the matching may differ among equal-weight optima).
    /// - Returns: an optimal matching and a dual certificate whose objective equals its weight.
    public static func solve(_ graph: WeightedGraph, warmStart: MatchingSolution? = nil) -> MatchingSolution {
        var solver = BlossomSolver(graph: graph)
        if let warmStart, warmStart.mate.count == graph.vertexCount {
            solver.initialise(warmStart: warmStart)
        } else {
            solver.initialiseGreedy()
        }
        solver.run()
        return solver.solution()
    }
}
