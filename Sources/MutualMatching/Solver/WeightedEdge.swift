/// One undirected edge of a ``WeightedGraph``: the pair `{u, v}` with an integer weight.
///
/// Weights are integers so that the solver's optimality proof is exact (no floating point).
public struct WeightedEdge: Sendable, Hashable {
    /// One endpoint.
    public var u: Int32
    /// The other endpoint.
    public var v: Int32
    /// The edge weight, `0...WeightedGraph.maximumWeight` (the solver works in quarter units and the
    /// bounds in eighths, so this leaves room in `Int64`).
    public var weight: Int64

    /// Creates the edge `{u, v}` with `weight`.
    public init(_ u: Int, _ v: Int, _ weight: Int64) {
        self.u = Int32(u)
        self.v = Int32(v)
        self.weight = weight
    }
}
