extension DualCertificate {
    /// An upper bound on the best matching of the *whole pool*, without pricing and without another
    /// solve. Prefer ``PoolBound`` (one extra warm-started solve, much tighter); this one only raises
    /// the duals of this certificate.
    ///
    /// The certificate covers the candidate graph. `maxOutsideWeight[u]` must bound the weight of every
    /// pool pair `(u, v)` that is not in that graph (for a top-k graph: u's (k+1)-th best weight,
    /// or 0 when u kept all its feasible partners). A pair outside the graph then weighs at most
    /// `min(a_u, a_v)`, so raising vertex duals until `y_u + y_v ≥ min(a_u, a_v)` for *every* pair gives a
    /// dual feasible for the whole pool, whose objective is a valid bound (weak duality).
    /// See ``coveringWholePool(maxOutsideWeight:)``.
    public func upperBound(maxOutsideWeight: [Int64]) -> Int64 {
        coveringWholePool(maxOutsideWeight: maxOutsideWeight).objective
    }

    /// A certificate that covers every pair `(u, v)` of weight at most `min(a_u, a_v)` as well as every
    /// pair this one covers; its ``objective`` is an upper bound for the whole pool.
    ///
    /// How tight it is matters: at 100,000 people the bound must sit within 1 % of the matching.
    /// Raising every vertex to `a_u / 2` would be valid but wasteful: it pays `a/2` at vertices that
    /// already have large duals on one side of a pair and small ones on the other. Instead:
    ///
    /// 1. Only raise, never lower (`t_u ≥ y_u`), so every graph edge stays covered and blossom duals
    ///    still count.
    /// 2. Pick one threshold `g` and set `t_u = max(y_u, a_u − g, min(g, a_u))`. This is feasible for all
    ///    pairs: for `a_u ≤ a_v`, if `a_u ≥ g` then `t_u + t_v ≥ (a_u − g) + g`, otherwise `t_u ≥ a_u`.
    ///    Vertices with a large dual (most matched people) need nothing; the price is paid by vertices
    ///    with small duals (exposed people have `y = 0`). `g` is chosen to minimise the total raise
    ///    over a grid of candidates.
    /// 3. Polish: lower each raised vertex, one at a time, to the least value that keeps every pair
    ///    feasible given the others: `t_u ≥ max(a_u − min{t_v : a_v ≥ a_u, v ≠ u}, max{a_v − t_v : a_v < a_u})`
    ///    (for `v` with `a_v < a_u` the pair's bound is `a_v`). With vertices sorted by `a` and two
    ///    segment trees (min of `t`, max of `a − t`) each step is `O(log n)`, so the whole bound is
    ///    `O(n log n)`. Each step keeps the dual feasible, so the result is valid whatever the order.
    ///
    /// All arithmetic is in the certificate's ×4 units.
    public func coveringWholePool(maxOutsideWeight: [Int64]) -> DualCertificate {
        let n = vertexCount
        precondition(maxOutsideWeight.count == n, "one bound per vertex")
        if n < 2 { return self }
        let y = vertexDualsTimesFour
        let a = maxOutsideWeight.map { 4 * max(0, $0) }

        // Step 2: the cheapest of "each vertex at half its bound" (y_u ≥ a_u/2 covers every pair) and
        // the single-threshold family on a grid of g.
        let maxA = a.max() ?? 0
        func raised(_ u: Int, _ g: Int64) -> Int64 {
            let au = a[u]
            let need = au >= g ? max(au - g, g) : au
            return max(y[u], need)
        }
        var t = (0..<n).map { max(y[$0], a[$0] / 2) }
        var bestTotal = t.reduce(0, +)
        var bestG: Int64 = -1
        let steps: Int64 = 256
        var candidates: [Int64] = (0...steps).map { maxA * $0 / steps }
        candidates.append(maxA + 1)
        for g in candidates {
            var total: Int64 = 0
            for u in 0..<n { total += raised(u, g) }
            if total < bestTotal { bestTotal = total; bestG = g }
        }
        if bestG >= 0 { t = (0..<n).map { raised($0, bestG) } }

        // Step 3: polish with segment trees over vertices sorted by decreasing a.
        let order = (0..<n).sorted { a[$0] != a[$1] ? a[$0] > a[$1] : $0 < $1 }
        var position = [Int](repeating: 0, count: n)
        for (p, u) in order.enumerated() { position[u] = p }
        // lastAtLeast[p]: last position whose a is >= a at position p.
        var lastAtLeast = [Int](repeating: 0, count: n)
        var p = n - 1
        while p >= 0 {
            var q = p
            while q > 0 && a[order[q - 1]] == a[order[p]] { q -= 1 }
            for r in q...p { lastAtLeast[r] = p }
            p = q - 1
        }
        var size = 1
        while size < n { size *= 2 }
        var minT = [Int64](repeating: Int64.max, count: 2 * size)
        var maxSlackNeed = [Int64](repeating: Int64.min, count: 2 * size)
        for (p, u) in order.enumerated() {
            minT[size + p] = t[u]
            maxSlackNeed[size + p] = a[u] - t[u]
        }
        for i in stride(from: size - 1, through: 1, by: -1) {
            minT[i] = min(minT[2 * i], minT[2 * i + 1])
            maxSlackNeed[i] = max(maxSlackNeed[2 * i], maxSlackNeed[2 * i + 1])
        }
        func queryMin(_ lo: Int, _ hi: Int) -> Int64 {  // inclusive range
            if lo > hi { return Int64.max }
            var l = lo + size, r = hi + size + 1
            var result = Int64.max
            while l < r {
                if l & 1 == 1 { result = min(result, minT[l]); l += 1 }
                if r & 1 == 1 { r -= 1; result = min(result, minT[r]) }
                l >>= 1; r >>= 1
            }
            return result
        }
        func queryMax(_ lo: Int, _ hi: Int) -> Int64 {
            if lo > hi { return Int64.min }
            var l = lo + size, r = hi + size + 1
            var result = Int64.min
            while l < r {
                if l & 1 == 1 { result = max(result, maxSlackNeed[l]); l += 1 }
                if r & 1 == 1 { r -= 1; result = max(result, maxSlackNeed[r]) }
                l >>= 1; r >>= 1
            }
            return result
        }
        /// Least dual vertex u may have given the others: its original dual and the pool pairs.
        func floor(_ u: Int) -> Int64 {
            var need = y[u]
            let p = position[u]
            let hi = lastAtLeast[p]
            let partnerMin = min(queryMin(0, p - 1), queryMin(p + 1, hi))
            if partnerMin != Int64.max { need = max(need, a[u] - partnerMin) }
            let lowerNeed = queryMax(hi + 1, n - 1)
            if lowerNeed != Int64.min { need = max(need, lowerNeed) }
            return need
        }
        // Most-raised vertices first: they have the most to give back.
        let polishOrder = (0..<n).filter { t[$0] > y[$0] }.sorted {
            let ra = t[$0] - y[$0], rb = t[$1] - y[$1]
            return ra != rb ? ra > rb : $0 < $1
        }
        for _ in 0..<3 {
            var changed = false
            for u in polishOrder {
                let need = floor(u)
                if need < t[u] {
                    changed = true
                    t[u] = need
                    let p = position[u]
                    var i = size + p
                    minT[i] = need
                    maxSlackNeed[i] = a[u] - need
                    i >>= 1
                    while i >= 1 {
                        minT[i] = min(minT[2 * i], minT[2 * i + 1])
                        maxSlackNeed[i] = max(maxSlackNeed[2 * i], maxSlackNeed[2 * i + 1])
                        i >>= 1
                    }
                }
            }
            if !changed { break }
        }
        return DualCertificate(vertexDualsTimesFour: t, blossoms: blossoms)
    }
}
