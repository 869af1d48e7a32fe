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
///
/// Flat arrays (one allocation each, not one per person) and the weight of each person's
/// current pair kept beside `mate`: the search asks for that weight at every step of every
/// path, and finding it by scanning the neighbour list was a tenth of the preview's time.
struct LocalSearch {
    let vertexCount: Int
    /// `start[v]..<start[v + 1]` indexes `neighbour`/`weight`: v's neighbours, heaviest first
    /// (ties by lower index).
    let start: [Int]
    let neighbour: [Int32]
    let weight: [Int64]
    var mate: [Int32]
    /// Weight of the pair `{v, mate[v]}`, 0 when v is unmatched.
    var mateWeight: [Int64]
    let edges: [WeightedEdge]

    init(graph: WeightedGraph) {
        vertexCount = graph.vertexCount
        edges = graph.edges
        // The graph's adjacency already lists exactly the positive edges; only the order differs.
        start = graph.adjacencyStart
        var neighbour = graph.adjacencyNeighbour
        var weight = graph.adjacencyEdge.map { graph.edges[Int($0)].weight }
        var scratch: [(Int64, Int32)] = []
        for v in 0..<graph.vertexCount {
            let slots = start[v]..<start[v + 1]
            scratch.removeAll(keepingCapacity: true)
            for slot in slots { scratch.append((weight[slot], neighbour[slot])) }
            scratch.sort { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
            for (offset, entry) in scratch.enumerated() {
                weight[slots.lowerBound + offset] = entry.0
                neighbour[slots.lowerBound + offset] = entry.1
            }
        }
        self.neighbour = neighbour
        self.weight = weight
        mate = [Int32](repeating: -1, count: graph.vertexCount)
        mateWeight = [Int64](repeating: 0, count: graph.vertexCount)
    }

    /// The weight of the matched edge at `v`, 0 when unmatched.
    @inline(__always)
    func matchedWeight(_ v: Int) -> Int64 { mateWeight[v] }

    @inline(__always)
    mutating func pair(_ a: Int, _ b: Int, _ w: Int64) {
        mate[a] = Int32(b); mate[b] = Int32(a)
        mateWeight[a] = w; mateWeight[b] = w
    }

    @inline(__always)
    mutating func unmatch(_ a: Int) {
        mate[a] = -1
        mateWeight[a] = 0
    }

    mutating func greedy() {
        let order = edges.indices.filter { edges[$0].weight > 0 }.sorted { a, b in
            edges[a].weight > edges[b].weight || (edges[a].weight == edges[b].weight && a < b)
        }
        for index in order {
            let edge = edges[index]
            guard mate[Int(edge.u)] < 0, mate[Int(edge.v)] < 0 else { continue }
            pair(Int(edge.u), Int(edge.v), edge.weight)
        }
    }

    func totalWeight() -> Int64 {
        var total: Int64 = 0
        for v in 0..<vertexCount where Int(mate[v]) > v { total += mateWeight[v] }
        return total
    }

    /// One step of an alternating path: `from` takes `partner` (a pair of `weight`), whose old
    /// mate `released` (or -1) is freed.
    struct Step {
        var from: Int
        var partner: Int
        var released: Int
        var weight: Int64
    }

    /// Tries to improve the matching with an alternating path starting at `start` (whose
    /// current partner, if any, is released first). Applies the best path with positive gain.
    mutating func improve(from start: Int, depth: Int) -> Bool {
        let oldMate = Int(mate[start])
        let oldWeight = mateWeight[start]
        let initialGain = -oldWeight
        if oldMate >= 0 {
            unmatch(start)
            unmatch(oldMate)
        }
        var best: (gain: Int64, steps: [Step]) = (0, [])
        var steps: [Step] = []
        var touched: [Int] = [start]
        if oldMate >= 0 { touched.append(oldMate) }
        explore(from: start, gain: initialGain, depth: depth, steps: &steps, touched: &touched, best: &best, freeEnd: oldMate)
        if best.gain > 0 {
            // Apply the path: each step unmatches partner from its mate and matches it to `from`.
            for step in best.steps {
                if step.released >= 0 { unmatch(step.released) }
                pair(step.from, step.partner, step.weight)
            }
            return true
        }
        if oldMate >= 0 { pair(start, oldMate, oldWeight) }
        return false
    }

    private func explore(
        from x: Int, gain: Int64, depth: Int, steps: inout [Step], touched: inout [Int],
        best: inout (gain: Int64, steps: [Step]), freeEnd: Int
    ) {
        for slot in start[x]..<start[x + 1] {
            let c = Int(neighbour[slot])
            let toC = weight[slot]
            // Lin–Kernighan pruning: a path must stay profitable after each step.
            if gain + toC <= best.gain { break }
            if touched.contains(c) && c != freeEnd { continue }
            let d = Int(mate[c])
            if d < 0 {
                if gain + toC > best.gain {
                    steps.append(Step(from: x, partner: c, released: -1, weight: toC))
                    best = (gain + toC, steps)
                    steps.removeLast()
                }
                continue
            }
            if touched.contains(d) { continue }
            let lost = mateWeight[c]
            let after = gain + toC - lost
            steps.append(Step(from: x, partner: c, released: d, weight: toC))
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
