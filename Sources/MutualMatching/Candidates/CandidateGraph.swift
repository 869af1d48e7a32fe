/// The sparse graph the exact solver runs on: each person's best partners, plus for each
/// person an upper bound on the weight of every pair *not* in the graph. Those bounds turn
/// the solver's dual into an upper bound for the whole pool, and let pricing find the
/// missing pairs that could matter without scoring all n² pairs.
public struct CandidateGraph: Sendable {
    /// Number of people (vertices).
    public let vertexCount: Int
    /// The candidate edges, de-duplicated, each with `u < v`, sorted.
    public var edges: [WeightedEdge]
    /// `outsideBound[u]` ≥ the weight of any pair `(u, v)` that is not an edge.
    public let outsideBound: [Int64]
    /// Whether `u`'s search covered every possible partner (so its bound is its (k+1)-th best).
    public let exhaustive: [Bool]
    /// How many partners with positive weight each person's search found.
    public let positivePartnerCount: [Int32]
    /// Partners kept per person.
    public let partnersPerPerson: Int

    /// The index the search used, kept so a few lists can be deepened later without rebuilding it.
    let index: PartnerIndex?

    public init(vertexCount: Int, edges: [WeightedEdge], outsideBound: [Int64], exhaustive: [Bool],
                positivePartnerCount: [Int32], partnersPerPerson: Int) {
        self.init(vertexCount: vertexCount, edges: edges, outsideBound: outsideBound, exhaustive: exhaustive,
                  positivePartnerCount: positivePartnerCount, partnersPerPerson: partnersPerPerson, index: nil)
    }

    init(vertexCount: Int, edges: [WeightedEdge], outsideBound: [Int64], exhaustive: [Bool],
         positivePartnerCount: [Int32], partnersPerPerson: Int, index: PartnerIndex?) {
        self.index = index
        self.vertexCount = vertexCount
        self.edges = edges
        self.outsideBound = outsideBound
        self.exhaustive = exhaustive
        self.positivePartnerCount = positivePartnerCount
        self.partnersPerPerson = partnersPerPerson
    }

    /// How many partners to keep per person: grows with the logarithm of the pool, because
    /// larger pools need deeper lists for the optimum's pairs to be among them.
    public static func defaultPartnersPerPerson(poolSize: Int) -> Int {
        var log2 = 0
        while (1 << log2) < max(poolSize, 1) { log2 += 1 }
        return max(1, min(poolSize - 1, 10 + 2 * log2))
    }
}
