/// Traditional mentoring as a maximum-weight b-matching: each mentor takes up to their
/// capacity of mentees, each mentee at most one mentor. Solved exactly as a min-cost flow
/// (source → mentor → mentee → sink) by successive shortest paths with Dijkstra and
/// potentials, stopping when the next path no longer adds weight.
public enum MentoringAssignment {
    /// A directed candidate edge: `mentor` can mentor `mentee` with `weight` (> 0).
    public typealias Edge = WeightedEdge

    /// The optimal assignment on the given edges (`u` mentor, `v` mentee), as (mentor, mentee)
    /// pairs sorted by mentee, and its total weight.
    public static func solve(vertexCount: Int, edges: [Edge], capacity: [Int32]) -> (pairs: [(mentor: Int, mentee: Int)], totalWeight: Int64) {
        // Compact node ids: 0 source, 1 sink, then mentor and mentee nodes (one person may be both).
        var mentorNode = [Int32](repeating: -1, count: vertexCount)
        var menteeNode = [Int32](repeating: -1, count: vertexCount)
        var nodePerson: [Int] = [-1, -1]
        for edge in edges where edge.weight > 0 && capacity[Int(edge.u)] > 0 {
            if mentorNode[Int(edge.u)] < 0 { mentorNode[Int(edge.u)] = Int32(nodePerson.count); nodePerson.append(Int(edge.u)) }
            if menteeNode[Int(edge.v)] < 0 { menteeNode[Int(edge.v)] = Int32(nodePerson.count); nodePerson.append(Int(edge.v)) }
        }
        var flow = MinCostFlow(nodeCount: nodePerson.count)
        for person in 0..<vertexCount {
            if mentorNode[person] >= 0 { flow.addEdge(0, Int(mentorNode[person]), capacity: Int(capacity[person]), cost: 0) }
            if menteeNode[person] >= 0 { flow.addEdge(Int(menteeNode[person]), 1, capacity: 1, cost: 0) }
        }
        var pairEdges: [(edgeIndex: Int, mentor: Int, mentee: Int)] = []
        for edge in edges where edge.weight > 0 && capacity[Int(edge.u)] > 0 {
            let index = flow.addEdge(Int(mentorNode[Int(edge.u)]), Int(menteeNode[Int(edge.v)]), capacity: 1, cost: -edge.weight)
            pairEdges.append((index, Int(edge.u), Int(edge.v)))
        }
        let cost = flow.minimiseCost(source: 0, sink: 1)
        var pairs: [(mentor: Int, mentee: Int)] = []
        for entry in pairEdges where flow.flow(onEdge: entry.edgeIndex) > 0 {
            pairs.append((entry.mentor, entry.mentee))
        }
        pairs.sort { ($0.mentee, $0.mentor) < ($1.mentee, $1.mentor) }
        return (pairs, -cost)
    }

    /// An upper bound on the best assignment of the *whole pool*, given that every mentor–mentee
    /// arc missing from `edges` weighs at most `outsideBound[mentee]`.
    ///
    /// Any assignment splits into arcs of `edges` and outside arcs; a mentee has one mentor, so
    /// its outside arc adds at most `a_t`. Hence the pool optimum is at most
    /// `max over assignments M on edges of w(M) + Σ_{t without a mentor in M} a_t
    ///  = Σ_t a_t + OPT(w − a_t)` — one more exact flow on shifted weights. Bipartite b-matching
    /// has an integral LP, so this is the tightest bound that uses only the mentees' outside
    /// bounds, and it equals the total when every `a_t` is 0 (the flow then ran on all feasible
    /// arcs and its optimum is the pool's). It is tighter than lifting the flow's dual potentials,
    /// which would have to cover an outside arc with the smallest mentor potential.
    ///
    /// - Returns: the bound and the mentees it still pays for (without a mentor in the maximiser
    ///   and with `a_t > 0`); completing their mentor lists is what `--prove` does.
    public static func poolBound(
        vertexCount: Int, edges: [Edge], capacity: [Int32], outsideBound: [Int64]
    ) -> (upperBound: Int64, paysFor: [Int]) {
        let shifted = edges.compactMap { edge -> Edge? in
            let w = edge.weight - max(0, outsideBound[Int(edge.v)])
            return w > 0 && capacity[Int(edge.u)] > 0 ? WeightedEdge(Int(edge.u), Int(edge.v), w) : nil
        }
        let solved = solve(vertexCount: vertexCount, edges: shifted, capacity: capacity)
        var hasMentor = [Bool](repeating: false, count: vertexCount)
        for pair in solved.pairs { hasMentor[pair.mentee] = true }
        var open: Int64 = 0
        for bound in outsideBound where bound > 0 { open += bound }
        return (open + solved.totalWeight, (0..<vertexCount).filter { outsideBound[$0] > 0 && !hasMentor[$0] })
    }
}
