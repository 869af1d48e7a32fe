/// An undirected graph with integer edge weights, stored as compressed adjacency arrays (CSR)
/// so that the solver scans neighbourhoods without chasing pointers or allocating.
///
/// Edges are normalised to `u < v`, sorted, and de-duplicated keeping the largest weight, so two
/// graphs built from the same edge multiset are identical whatever order the edges came in
/// (which keeps the solver deterministic).
public struct WeightedGraph: Sendable {
    /// The largest edge weight accepted (2^54): the solver and the bounds scale weights by up to 8
    /// and add a few of them, which must stay inside `Int64`.
    public static let maximumWeight: Int64 = 1 << 54

    /// Number of vertices; vertices are `0..<vertexCount`.
    public let vertexCount: Int
    /// The distinct edges, each with `u < v`, sorted by `(u, v)`.
    public let edges: [WeightedEdge]

    /// `adjacencyStart[v]..<adjacencyStart[v + 1]` indexes `adjacencyEdge`/`adjacencyNeighbour` for `v`.
    /// Only edges with positive weight appear: a zero-weight edge can never raise the total.
    let adjacencyStart: [Int]
    /// Edge index (into `edges`) of each adjacency slot.
    let adjacencyEdge: [Int32]
    /// The other endpoint of each adjacency slot.
    let adjacencyNeighbour: [Int32]

    /// Builds a graph. Requires `0 <= u, v < vertexCount`, `u != v` and `weight >= 0` for every edge;
    /// duplicate pairs keep the maximum weight.
    public init(vertexCount: Int, edges: [WeightedEdge]) {
        precondition(vertexCount >= 0 && vertexCount < Int(Int32.max), "vertexCount out of range")
        var normalised = edges.map { edge -> WeightedEdge in
            precondition(edge.u != edge.v, "self-loop \(edge.u)")
            precondition(edge.u >= 0 && Int(edge.u) < vertexCount && edge.v >= 0 && Int(edge.v) < vertexCount,
                         "edge endpoint out of range")
            precondition(edge.weight >= 0 && edge.weight <= WeightedGraph.maximumWeight, "weight out of range")
            var e = edge
            if e.u > e.v { swap(&e.u, &e.v) }
            return e
        }
        normalised.sort { a, b in
            if a.u != b.u { return a.u < b.u }
            if a.v != b.v { return a.v < b.v }
            return a.weight > b.weight
        }
        var unique: [WeightedEdge] = []
        unique.reserveCapacity(normalised.count)
        for edge in normalised where unique.last.map({ $0.u != edge.u || $0.v != edge.v }) ?? true {
            unique.append(edge)
        }
        self.vertexCount = vertexCount
        self.edges = unique

        var degree = [Int](repeating: 0, count: vertexCount + 1)
        for edge in unique where edge.weight > 0 {
            degree[Int(edge.u)] += 1
            degree[Int(edge.v)] += 1
        }
        var start = [Int](repeating: 0, count: vertexCount + 1)
        for v in 0..<vertexCount { start[v + 1] = start[v] + degree[v] }
        var fill = start
        var slotEdge = [Int32](repeating: 0, count: start[vertexCount])
        var slotNeighbour = [Int32](repeating: 0, count: start[vertexCount])
        for (index, edge) in unique.enumerated() where edge.weight > 0 {
            let u = Int(edge.u), v = Int(edge.v)
            slotEdge[fill[u]] = Int32(index); slotNeighbour[fill[u]] = edge.v; fill[u] += 1
            slotEdge[fill[v]] = Int32(index); slotNeighbour[fill[v]] = edge.u; fill[v] += 1
        }
        precondition(unique.count < 1 << 30, "too many edges for the solver's event encoding")
        adjacencyStart = start
        adjacencyEdge = slotEdge
        adjacencyNeighbour = slotNeighbour
    }

    /// A graph with the same vertices and `extra` edges added (duplicates keep the maximum weight).
    public func adding(_ extra: [WeightedEdge]) -> WeightedGraph {
        if extra.isEmpty { return self }
        return WeightedGraph(vertexCount: vertexCount, edges: edges + extra)
    }

    /// The weight of edge `{u, v}`, or `nil` when the graph has no such edge. `O(log degree)`-ish scan.
    public func weight(_ u: Int, _ v: Int) -> Int64? {
        let (a, b) = u < v ? (u, v) : (v, u)
        guard a >= 0, b < vertexCount, a != b else { return nil }
        for slot in adjacencyStart[a]..<adjacencyStart[a + 1] where Int(adjacencyNeighbour[slot]) == b {
            return edges[Int(adjacencyEdge[slot])].weight
        }
        // Zero-weight edges are not in the adjacency arrays; fall back to a binary search.
        var lo = 0, hi = edges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let e = edges[mid]
            if (Int(e.u), Int(e.v)) < (a, b) { lo = mid + 1 } else { hi = mid }
        }
        if lo < edges.count, Int(edges[lo].u) == a, Int(edges[lo].v) == b { return edges[lo].weight }
        return nil
    }
}
