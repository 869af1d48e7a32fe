extension BlossomSolver {
    /// Cold start: every vertex dual at exactly half its heaviest edge (feasible, and even in the
    /// solver's ×4 units), then a greedy pass that lowers duals and matches tight edges.
    mutating func initialiseGreedy() {
        for v in 0..<n {
            var heaviest: Int64 = 0
            for slot in adjacencyStart[v]..<adjacencyStart[v + 1] {
                heaviest = max(heaviest, edgeW[Int(adjacencyEdge[slot])])
            }
            // heaviest is 4w; y = w/2 is 2w in ×4 units.
            ys[v] = heaviest / 2
        }
        lowerAndMatchGreedily()
        augmentShortPaths()
        startTrees()
    }

    /// Warm start from a solution on a graph with the same vertices (usually a subgraph of this one):
    /// keep its duals (blossom duals folded into the vertices, which keeps every covered edge covered),
    /// raise them just enough to cover the new edges, keep the matched edges that are still tight, and
    /// finish with the greedy pass.
    mutating func initialise(warmStart: MatchingSolution) {
        let flat = warmStart.certificate.vertexCount == n
            ? warmStart.certificate.flattenedVertexDualsTimesFour()
            : [Int64](repeating: 0, count: n)
        for v in 0..<n {
            let y = max(0, flat[v])
            ys[v] = y + (y & 1)
        }
        for e in 0..<edgeW.count where edgeW[e] > 0 {
            let u = Int(edgeU[e]), v = Int(edgeV[e])
            let s = ys[u] + ys[v] - edgeW[e]
            if s < 0 {
                let deficit = -s  // even
                let raiseU = 2 * ((deficit + 3) / 4)
                ys[u] += raiseU
                ys[v] += max(0, deficit - raiseU)
            }
        }
        for u in 0..<n {
            let m = Int(warmStart.mate[u])
            guard m > u, m < n else { continue }
            for slot in adjacencyStart[u]..<adjacencyStart[u + 1] where Int(adjacencyNeighbour[slot]) == m {
                let e = Int(adjacencyEdge[slot])
                if ys[u] + ys[m] == edgeW[e] && mate[u] == -1 && mate[m] == -1 {
                    mate[u] = Int32(m)
                    mate[m] = Int32(u)
                    statistics.initialMatched += 1
                }
                break
            }
        }
        lowerAndMatchGreedily()
        augmentShortPaths()
        startTrees()
    }

    /// Lowers the dual of each exposed vertex to the least feasible value and matches it along a tight
    /// edge to an exposed neighbour when there is one (the heaviest such edge). Vertices are taken in
    /// order of decreasing dual, so the vertices with the most to give are settled first. Matched
    /// vertices keep their duals, so their matched edges stay tight.
    mutating func lowerAndMatchGreedily() {
        let order = (0..<n).sorted { a, b in ys[a] != ys[b] ? ys[a] > ys[b] : a < b }
        for v in order where mate[v] == -1 {
            var need: Int64 = 0
            for slot in adjacencyStart[v]..<adjacencyStart[v + 1] {
                let e = Int(adjacencyEdge[slot])
                need = max(need, edgeW[e] - ys[Int(adjacencyNeighbour[slot])])
            }
            ys[v] = need  // even: weights and duals are even
            if need == 0 { continue }
            var best = -1
            var bestWeight: Int64 = -1
            for slot in adjacencyStart[v]..<adjacencyStart[v + 1] {
                let x = Int(adjacencyNeighbour[slot])
                let e = Int(adjacencyEdge[slot])
                if mate[x] == -1 && edgeW[e] - ys[x] == need && edgeW[e] > bestWeight {
                    best = x
                    bestWeight = edgeW[e]
                }
            }
            if best >= 0 {
                mate[v] = Int32(best)
                mate[best] = Int32(v)
                statistics.initialMatched += 1
            }
        }
    }

    /// Cheap augmentations before the search: an exposed vertex `u` with a positive dual, a tight edge
    /// to a matched `x`, and `x`'s mate `m` with a tight edge to another exposed vertex `v`: re-match
    /// `u–x` and `m–v` (an augmenting path of length 3 on tight edges keeps every matched edge tight).
    /// Each success removes two trees that the search would otherwise grow.
    mutating func augmentShortPaths() {
        for u in 0..<n where mate[u] == -1 && ys[u] > 0 {
            search: for slot in adjacencyStart[u]..<adjacencyStart[u + 1] {
                let x = Int(adjacencyNeighbour[slot])
                let m = Int(mate[x])
                guard m >= 0, m != u, ys[u] + ys[x] == edgeW[Int(adjacencyEdge[slot])] else { continue }
                for slot2 in adjacencyStart[m]..<adjacencyStart[m + 1] {
                    let v = Int(adjacencyNeighbour[slot2])
                    guard v != u, mate[v] == -1, ys[m] + ys[v] == edgeW[Int(adjacencyEdge[slot2])] else { continue }
                    mate[u] = Int32(x); mate[x] = Int32(u)
                    mate[m] = Int32(v); mate[v] = Int32(m)
                    statistics.initialMatched += 1
                    break search
                }
            }
        }
    }

    /// Every exposed vertex with a positive dual must root an alternating tree; they are queued here and
    /// started `batchSize` at a time by ``startNextBatch()``.
    mutating func startTrees() {
        pendingRoots = (0..<Int32(n)).filter { mate[Int($0)] == -1 && ys[Int($0)] > 0 }
        nextRoot = 0
        statistics.initialTrees = pendingRoots.count
    }

    /// Starts the next batch of trees (called when no tree is left). A pending root that is no longer
    /// exposed was matched by an earlier augmentation. One that is still exposed was never touched (a
    /// tree that reaches an exposed vertex augments at once), so its dual is still its even initial
    /// value: the roots of a batch share a parity, as the integrality argument needs.
    mutating func startNextBatch() {
        events.removeAll()
        var started: [Int32] = []
        while nextRoot < pendingRoots.count && started.count < batchSize {
            let r = pendingRoots[nextRoot]
            nextRoot += 1
            guard mate[Int(r)] == -1, topOf(Int(r)) == r, label[Int(r)] == BlossomSolver.free, stored(Int(r)) > 0 else { continue }
            relabel(r, to: BlossomSolver.outer, tree: r)
            treeMembers[Int(r)] = [r]
            started.append(r)
        }
        treeCount = started.count
        for r in started { scanOuter(r) }
    }
}
