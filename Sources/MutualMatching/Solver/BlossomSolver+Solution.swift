extension BlossomSolver {
    /// The matching and its certificate. Called after ``run()``: no tree is left, so every label is
    /// free and the stored duals are the true ones.
    func solution() -> MatchingSolution {
        var total: Int64 = 0
        for u in 0..<n {
            let m = Int(mate[u])
            guard m > u else { continue }
            for slot in adjacencyStart[u]..<adjacencyStart[u + 1] where Int(adjacencyNeighbour[slot]) == m {
                total += edgeW[Int(adjacencyEdge[slot])] / 4
                break
            }
        }
        // Blossoms with a positive dual, parents first; zero-dual blossoms are skipped and their
        // children attached to the nearest kept ancestor.
        var blossoms: [DualCertificate.Blossom] = []
        var stack: [(id: Int32, certificateParent: Int)] = []
        for b in stride(from: 2 * n - 1, through: n, by: -1) where parent[b] == -1 && cycles[b - n].isAlive {
            stack.append((Int32(b), -1))
        }
        while let (b, certificateParent) = stack.popLast() {
            let bi = Int(b)
            var childParent = certificateParent
            if zs[bi] > 0 {
                blossoms.append(DualCertificate.Blossom(parent: certificateParent, dualTimesFour: zs[bi],
                                                        members: vertices(of: b).sorted()))
                childParent = blossoms.count - 1
            }
            for c in cycles[bi - n].children.reversed() where Int(c) >= n {
                stack.append((c, childParent))
            }
        }
        let certificate = DualCertificate(vertexDualsTimesFour: (0..<n).map { stored($0) }, blossoms: blossoms)
        return MatchingSolution(mate: mate, totalWeight: total, dualObjective: certificate.objective,
                                certificate: certificate, statistics: statistics)
    }
}
