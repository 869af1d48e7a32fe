/// Finds the pairs outside the candidate graph that the solver's dual does not cover — the
/// only pairs that could improve the matching — without scoring all n² pairs.
///
/// A pair `(u, v)` outside the graph weighs at most `min(B(u), B(v))` (the outside bounds).
/// With doubled duals `Y = 2y`: if `Y_u ≥ 2·B(u)` then `y_u` alone covers every outside pair
/// of `u` ("safe"); and if both `Y_u ≥ B(u)` and `Y_v ≥ B(v)` the pair is covered because
/// `y_u + y_v ≥ (B(u) + B(v))/2 ≥ min`. So a violated pair joins a "deficient" person
/// (`Y < B`) to an unsafe one (`Y < 2B`); only those pairs are scored.
public enum PricingOracle {
    /// Uncovered pairs with positive weight, sorted.
    public static func violations(
        context: ScoringContext, candidates: CandidateGraph, graph: WeightedGraph, certificate: DualCertificate
    ) async -> [WeightedEdge] {
        let duals = certificate.vertexDualsTimesTwo
        let bound = candidates.outsideBound
        var deficient: [Int] = []
        var unsafe: [Int] = []
        for person in 0..<context.count where bound[person] > 0 {
            if duals[person] < 2 * bound[person] { unsafe.append(person) }
            if duals[person] < bound[person] { deficient.append(person) }
        }
        if deficient.isEmpty { return [] }
        var isDeficient = [Bool](repeating: false, count: context.count)
        for person in deficient { isDeficient[person] = true }
        let chunks = min(deficient.count, 32)
        let size = (deficient.count + chunks - 1) / chunks
        let frozenUnsafe = unsafe, frozenDeficient = isDeficient
        let found = await withTaskGroup(of: [WeightedEdge].self) { group in
            for chunk in 0..<chunks {
                let slice = Array(deficient[min(deficient.count, chunk * size)..<min(deficient.count, (chunk + 1) * size)])
                group.addTask {
                    var edges: [WeightedEdge] = []
                    for d in slice {
                        for v in frozenUnsafe where v != d {
                            // Both deficient: handle the pair once, from the lower index.
                            if frozenDeficient[v], v < d { continue }
                            if duals[d] + duals[v] >= 2 * min(bound[d], bound[v]) { continue }
                            if graph.weight(d, v) != nil { continue }
                            let weight = context.weight(d, v)
                            if weight > 0, !certificate.covers(d, v, weight: weight) {
                                edges.append(WeightedEdge(min(d, v), max(d, v), weight))
                            }
                        }
                    }
                    return edges
                }
            }
            var all: [WeightedEdge] = []
            for await edges in group { all += edges }
            return all
        }
        return found.sorted { ($0.u, $0.v) < ($1.u, $1.v) }
    }
}
