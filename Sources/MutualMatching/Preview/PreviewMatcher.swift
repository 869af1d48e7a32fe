/// A fast matching for interactive previews: greedy by weight, then local improvement by
/// short alternating paths (in the spirit of Lin–Kernighan): a person takes a better
/// partner, whose old partner takes another, and so on for a few steps, applied whenever
/// the total gains. No optimality proof, but close to the optimum in a fraction of the time.
public enum PreviewMatcher {
    /// Matches on the graph; `seed` fixes the order local improvement visits people in.
    /// Returns `mate` (-1 for unmatched) and the total weight.
    public static func match(_ graph: WeightedGraph, seed: UInt64, maximumPasses: Int = 2, depth: Int = 3) -> (mate: [Int32], totalWeight: Int64) {
        var search = LocalSearch(graph: graph)
        search.greedy()
        var generator = SeededGenerator(seed: seed)
        var order = Array(0..<graph.vertexCount)
        for _ in 0..<maximumPasses {
            order.shuffle(using: &generator)
            var improved = false
            for start in order where search.improve(from: start, depth: depth) { improved = true }
            if !improved { break }
        }
        return (search.mate, search.totalWeight())
    }
}

/// The state of the preview's local search: adjacency sorted by weight, and the matching.
struct LocalSearch {
    let vertexCount: Int
    /// Neighbours of each vertex, heaviest first, and the weights.
    var neighbours: [[Int32]]
    var weights: [[Int64]]
    var mate: [Int32]
    let edges: [WeightedEdge]

    init(graph: WeightedGraph) {
        vertexCount = graph.vertexCount
        edges = graph.edges
        var lists = [[(Int32, Int64)]](repeating: [], count: graph.vertexCount)
        for edge in graph.edges where edge.weight > 0 {
            lists[Int(edge.u)].append((edge.v, edge.weight))
            lists[Int(edge.v)].append((edge.u, edge.weight))
        }
        neighbours = []
        weights = []
        for var list in lists {
            list.sort { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
            neighbours.append(list.map(\.0))
            weights.append(list.map(\.1))
        }
        mate = [Int32](repeating: -1, count: graph.vertexCount)
    }

    /// The weight of the matched edge at `v`, 0 when unmatched.
    func matchedWeight(_ v: Int) -> Int64 {
        let m = mate[v]
        guard m >= 0 else { return 0 }
        for (index, other) in neighbours[v].enumerated() where other == m { return weights[v][index] }
        return 0
    }

    mutating func greedy() {
        let order = edges.indices.filter { edges[$0].weight > 0 }.sorted { a, b in
            edges[a].weight > edges[b].weight || (edges[a].weight == edges[b].weight && a < b)
        }
        for index in order {
            let edge = edges[index]
            guard mate[Int(edge.u)] < 0, mate[Int(edge.v)] < 0 else { continue }
            mate[Int(edge.u)] = edge.v
            mate[Int(edge.v)] = edge.u
        }
    }

    func totalWeight() -> Int64 {
        var total: Int64 = 0
        for v in 0..<vertexCount where Int(mate[v]) > v { total += matchedWeight(v) }
        return total
    }

    /// One step of an alternating path: `from` takes `partner`, whose old mate `released` (or -1) is freed.
    struct Step {
        var from: Int
        var partner: Int
        var released: Int
    }

    /// Tries to improve the matching with an alternating path starting at `start` (whose
    /// current partner, if any, is released first). Applies the best path with positive gain.
    mutating func improve(from start: Int, depth: Int) -> Bool {
        let oldMate = Int(mate[start])
        let initialGain = -matchedWeight(start)
        if oldMate >= 0 {
            mate[start] = -1
            mate[oldMate] = -1
        }
        var best: (gain: Int64, steps: [Step]) = (0, [])
        var steps: [Step] = []
        var touched: [Int] = [start]
        if oldMate >= 0 { touched.append(oldMate) }
        explore(from: start, gain: initialGain, depth: depth, steps: &steps, touched: &touched, best: &best, freeEnd: oldMate)
        if best.gain > 0 {
            // Apply the path: each step unmatches partner from its mate and matches it to `from`.
            for step in best.steps {
                if step.released >= 0 {
                    mate[step.released] = -1
                }
                mate[step.from] = Int32(step.partner)
                mate[step.partner] = Int32(step.from)
            }
            return true
        }
        if oldMate >= 0 {
            mate[start] = Int32(oldMate)
            mate[oldMate] = Int32(start)
        }
        return false
    }

    private func explore(
        from x: Int, gain: Int64, depth: Int, steps: inout [Step], touched: inout [Int],
        best: inout (gain: Int64, steps: [Step]), freeEnd: Int
    ) {
        let list = neighbours[x]
        for (index, cRaw) in list.enumerated() {
            let c = Int(cRaw)
            let toC = weights[x][index]
            // Lin–Kernighan pruning: a path must stay profitable after each step.
            if gain + toC <= best.gain { break }
            if touched.contains(c) && c != freeEnd { continue }
            let d = Int(mate[c])
            if d < 0 {
                if gain + toC > best.gain {
                    steps.append(Step(from: x, partner: c, released: -1))
                    best = (gain + toC, steps)
                    steps.removeLast()
                }
                continue
            }
            if touched.contains(d) { continue }
            let lost = matchedWeight(c)
            let after = gain + toC - lost
            steps.append(Step(from: x, partner: c, released: d))
            if after > best.gain { best = (after, steps) }
            if depth > 1, after > -lost || after > 0 {
                touched.append(c)
                touched.append(d)
                // d is free from here on in the hypothetical path.
                explore(from: d, gain: after, depth: depth - 1, steps: &steps, touched: &touched, best: &best, freeEnd: freeEnd)
                touched.removeLast(2)
            }
            steps.removeLast()
        }
    }
}
