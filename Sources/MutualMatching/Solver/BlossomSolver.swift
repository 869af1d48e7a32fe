/// The state of one run of the weighted blossom algorithm (see ``MaximumWeightMatching``).
///
/// Vocabulary. Blossom ids `0..<n` are the vertices themselves (trivial blossoms); ids `n..<2n` are
/// non-trivial blossoms, recycled through `freeBlossomIds`. A *top* blossom has `parent == -1`; each
/// top blossom is *free*, *outer* (S, even distance from its tree root) or *inner* (T).
///
/// Lazy duals. `now` is the total dual change `Δ` applied so far. The true dual of vertex `v` is
/// `stored(v) - now` when its top blossom is outer, `stored(v) + now` when inner, `stored(v)` when free,
/// where `stored(v) = ys[v] + dualShift[group of v]`; a top
/// blossom's true dual is `zs[b] + 2·now` (outer), `zs[b] − 2·now` (inner) or `zs[b]` (free or nested).
/// Re-labelling a blossom re-bases these stored values (one `dualShift` entry for all its vertices),
/// so neither a dual adjustment nor a label change touches the vertices.
///
/// Vertex groups. All vertices of a top blossom share one group (group ids are vertex ids) and
/// `owner[group]` is the blossom, so `topOf(v)` is two loads. Forming a blossom hands the largest
/// child's group to the new blossom and moves only the other children's vertices; expanding moves
/// them back. On graphs with many ties, where big blossoms keep absorbing small pieces, this avoids
/// rewriting every vertex of the blossom each time.
///
/// Units. Weights and duals are multiplied by four (`4w`, `4y`, `4z`). The factor 2 lets the start
/// put a vertex at exactly half an edge; the other 2 keeps `Δ` integral: all roots start with even
/// duals, all vertices of all trees keep a common parity (tight edges between them have even weight
/// and blossom duals stay even), so the slack of an edge between two outer blossoms is even.
struct BlossomSolver {
    static let free: UInt8 = 0
    static let outer: UInt8 = 1
    static let inner: UInt8 = 2

    let n: Int
    let edgeU: [Int32]
    let edgeV: [Int32]
    /// Edge weights ×4.
    let edgeW: [Int64]
    let adjacencyStart: [Int]
    let adjacencyEdge: [Int32]
    let adjacencyNeighbour: [Int32]

    var mate: [Int32]
    var ys: [Int64]
    var now: Int64 = 0

    /// Group of each vertex (see "Vertex groups").
    var group: [Int32]
    /// Top blossom owning each group.
    var owner: [Int32]
    /// Group of each top blossom (per blossom id); stays recorded while the blossom is nested.
    var groupOf: [Int32]
    /// Added to `ys` of every vertex of the group.
    var dualShift: [Int64]
    /// Number of vertices of each blossom.
    var blossomSize: [Int32]
    /// Per blossom id (size 2n): enclosing blossom or -1.
    var parent: [Int32]
    var base: [Int32]
    var label: [UInt8]
    /// Root vertex of the tree a top blossom belongs to, or -1.
    var tree: [Int32]
    /// For an inner top blossom: the tree edge that reached it, from `labelFrom` (in the parent outer
    /// blossom) to `labelTo` (inside this blossom).
    var labelFrom: [Int32]
    var labelTo: [Int32]
    var zs: [Int64]
    var cycles: [BlossomCycle]
    /// Vertex lists: every blossom's vertices are the segment `firstVertex[b] … lastVertex[b]` of the
    /// chain `nextVertex`. Forming a blossom links its children's segments; expanding one needs nothing,
    /// since a segment's inner links are never touched while it is part of a larger blossom.
    var nextVertex: [Int32]
    var firstVertex: [Int32]
    var lastVertex: [Int32]
    var freeBlossomIds: [Int32]

    /// Top blossoms that joined each tree (indexed by root vertex); may hold stale ids, filtered on use.
    var treeMembers: [[Int32]]
    var treeCount = 0
    /// Exposed vertices with a positive dual at the start, in the order their trees are started.
    var pendingRoots: [Int32] = []
    var nextRoot = 0
    /// How many trees grow at once. All at once (Blossom V's multiple trees, the default) was fastest
    /// on every realistic benchmark; one at a time (the classic single-tree search) is 2–4× faster on
    /// graphs where almost all weights are equal but 30× slower on scored pools. Tests run both.
    var batchSize = Int.max

    var mark: [UInt32]
    var stamp: UInt32 = 0

    /// All pending events, keyed by the `Δ` at which they happen: outer–free edges becoming tight
    /// (`grow`), outer–outer edges between different top blossoms becoming tight (`outerEdge`), inner
    /// non-trivial blossoms' duals reaching zero (`expand`), outer vertices' duals reaching zero (`zeroDual`).
    var events = EventQueue()

    var statistics = MatchingSolution.Statistics()

    init(graph: WeightedGraph) {
        n = graph.vertexCount
        edgeU = graph.edges.map(\.u)
        edgeV = graph.edges.map(\.v)
        edgeW = graph.edges.map { 4 * $0.weight }
        adjacencyStart = graph.adjacencyStart
        adjacencyEdge = graph.adjacencyEdge
        adjacencyNeighbour = graph.adjacencyNeighbour
        mate = [Int32](repeating: -1, count: n)
        ys = [Int64](repeating: 0, count: n)
        let count = graph.vertexCount
        group = (0..<Int32(count)).map { $0 }
        owner = group
        groupOf = (0..<Int32(2 * count)).map { $0 < Int32(count) ? $0 : -1 }
        dualShift = [Int64](repeating: 0, count: count)
        blossomSize = (0..<(2 * count)).map { $0 < count ? 1 : 0 }
        parent = [Int32](repeating: -1, count: 2 * n)
        base = (0..<Int32(2 * count)).map { $0 < Int32(count) ? $0 : -1 }
        label = [UInt8](repeating: BlossomSolver.free, count: 2 * n)
        tree = [Int32](repeating: -1, count: 2 * n)
        labelFrom = [Int32](repeating: -1, count: 2 * n)
        labelTo = [Int32](repeating: -1, count: 2 * n)
        zs = [Int64](repeating: 0, count: 2 * n)
        cycles = [BlossomCycle](repeating: BlossomCycle(), count: n)
        nextVertex = [Int32](repeating: -1, count: count)
        firstVertex = (0..<Int32(2 * count)).map { $0 < Int32(count) ? $0 : -1 }
        lastVertex = firstVertex
        freeBlossomIds = (Int32(n)..<Int32(2 * n)).reversed()
        treeMembers = [[Int32]](repeating: [], count: n)
        mark = [UInt32](repeating: 0, count: 2 * n)
    }

    // MARK: - Duals

    @inline(__always) func topOf(_ v: Int) -> Int32 { owner[Int(group[v])] }

    @inline(__always) func stored(_ v: Int) -> Int64 { ys[v] + dualShift[Int(group[v])] }

    @inline(__always) func vertexDual(_ v: Int) -> Int64 {
        switch label[Int(topOf(v))] {
        case BlossomSolver.outer: return stored(v) - now
        case BlossomSolver.inner: return stored(v) + now
        default: return stored(v)
        }
    }

    @inline(__always) func blossomDual(_ b: Int) -> Int64 {
        if parent[b] != -1 { return zs[b] }
        switch label[b] {
        case BlossomSolver.outer: return zs[b] + 2 * now
        case BlossomSolver.inner: return zs[b] - 2 * now
        default: return zs[b]
        }
    }

    /// Slack of an edge between two different top blossoms (no blossom dual applies to it).
    @inline(__always) func slack(_ e: Int) -> Int64 {
        vertexDual(Int(edgeU[e])) + vertexDual(Int(edgeV[e])) - edgeW[e]
    }

    @inline(__always) func vertexOffset(_ l: UInt8) -> Int64 {
        l == BlossomSolver.outer ? -now : (l == BlossomSolver.inner ? now : 0)
    }

    @inline(__always) func blossomOffset(_ l: UInt8) -> Int64 {
        l == BlossomSolver.outer ? 2 * now : (l == BlossomSolver.inner ? -2 * now : 0)
    }

    /// The vertices of blossom `b`: its segment of the vertex list (no allocation).
    @inline(__always) func vertices(of b: Int32) -> BlossomVertices {
        BlossomVertices(next: nextVertex, first: firstVertex[Int(b)], last: lastVertex[Int(b)])
    }

    /// Gives top blossom `b` a new label (and tree), re-basing the stored duals so true duals are unchanged.
    mutating func relabel(_ b: Int32, to newLabel: UInt8, tree newTree: Int32) {
        let bi = Int(b)
        let old = label[bi]
        if old != newLabel {
            let shift = vertexOffset(old) - vertexOffset(newLabel)
            dualShift[Int(groupOf[bi])] += shift
            if bi >= n { zs[bi] += blossomOffset(old) - blossomOffset(newLabel) }
            label[bi] = newLabel
        }
        tree[bi] = newTree
    }

    // MARK: - Event registration

    /// Registers the events of every vertex of outer top blossom `b`: its dual reaching zero, and its
    /// edges to free blossoms and to other outer blossoms becoming tight.
    mutating func scanOuter(_ b: Int32) {
        // A whole blossom is its own only part.
        scanOuterPart(b, of: b)
    }

    /// Registers the edges from free top blossom `b` to outer blossoms.
    mutating func scanFree(_ b: Int32) {
        for v32 in vertices(of: b) {
            let v = Int(v32)
            let yv = stored(v)
            for slot in adjacencyStart[v]..<adjacencyStart[v + 1] {
                let x = Int(adjacencyNeighbour[slot])
                let bx = Int(topOf(x))
                if label[bx] == BlossomSolver.outer && bx != Int(b) {
                    let e = adjacencyEdge[slot]
                    events.push(yv + stored(x) - edgeW[Int(e)], .grow, e)
                }
            }
        }
    }

    // MARK: - Main loop

    /// Runs the primal–dual search until no alternating tree is left: then every exposed vertex has a
    /// zero dual, every matched edge is tight and the duals are feasible, i.e. the matching is optimal.
    mutating func run() {
        while true {
            if treeCount == 0 {
                if nextRoot >= pendingRoots.count { break }
                startNextBatch()
                continue
            }
            precondition(!events.isEmpty, "blossom solver: trees left but no event")
            let (key, kind, id) = events.popMin()
            switch kind {
            case .grow:
                guard isValidGrow(key, Int(id)) else { continue }
                now = key
                grow(Int(id))
            case .outerEdge:
                guard isValidOuter(key, Int(id)) else { continue }
                now = key
                outerEdgeTight(Int(id))
            case .expand:
                guard isValidExpand(key, Int(id)) else { continue }
                now = key
                expand(id)
            case .zeroDual:
                guard isValidZero(key, Int(id)) else { continue }
                now = key
                vertexDualZero(id)
            }
            statistics.events += 1
        }
    }

    func isValidGrow(_ key: Int64, _ e: Int) -> Bool {
        let bu = Int(topOf(Int(edgeU[e]))), bv = Int(topOf(Int(edgeV[e])))
        if bu == bv { return false }
        let lu = label[bu], lv = label[bv]
        guard (lu == BlossomSolver.outer && lv == BlossomSolver.free) || (lu == BlossomSolver.free && lv == BlossomSolver.outer)
        else { return false }
        return key == now + slack(e)
    }

    func isValidOuter(_ key: Int64, _ e: Int) -> Bool {
        let bu = Int(topOf(Int(edgeU[e]))), bv = Int(topOf(Int(edgeV[e])))
        if bu == bv || label[bu] != BlossomSolver.outer || label[bv] != BlossomSolver.outer { return false }
        return 2 * (key - now) == slack(e)
    }

    func isValidExpand(_ key: Int64, _ b: Int) -> Bool {
        guard cycles[b - n].isAlive, parent[b] == -1, label[b] == BlossomSolver.inner else { return false }
        return 2 * (key - now) == blossomDual(b)
    }

    func isValidZero(_ key: Int64, _ v: Int) -> Bool {
        label[Int(topOf(v))] == BlossomSolver.outer && stored(v) == key
    }

    // MARK: - Events

    /// An edge from outer blossom to free blossom became tight: grow the tree, or augment if the free
    /// blossom's base is exposed (it then has a zero dual and is not a root).
    mutating func grow(_ e: Int) {
        var s = Int(edgeU[e]), f = Int(edgeV[e])
        if label[Int(topOf(s))] != BlossomSolver.outer { swap(&s, &f) }
        let bs = topOf(s), bf = topOf(f)
        let root = tree[Int(bs)]
        let m = mate[Int(base[Int(bf)])]
        if m == -1 {
            augmentPath(from: Int32(s), to: Int32(f))
            augmentPath(from: Int32(f), to: Int32(s))
            statistics.augmentations += 1
            dissolve(root)
            return
        }
        let bm = topOf(Int(m))
        relabel(bf, to: BlossomSolver.inner, tree: root)
        labelFrom[Int(bf)] = Int32(s)
        labelTo[Int(bf)] = Int32(f)
        relabel(bm, to: BlossomSolver.outer, tree: root)
        treeMembers[Int(root)].append(bf)
        treeMembers[Int(root)].append(bm)
        if Int(bf) >= n { events.push(now + blossomDual(Int(bf)) / 2, .expand, bf) }
        scanOuter(bm)
    }

    /// An edge between two outer blossoms became tight: a blossom if they share a tree, else an augmenting path.
    mutating func outerEdgeTight(_ e: Int) {
        let u = edgeU[e], v = edgeV[e]
        let ru = tree[Int(topOf(Int(u)))], rv = tree[Int(topOf(Int(v)))]
        if ru == rv {
            formBlossom(u, v)
        } else {
            augmentPath(from: u, to: v)
            augmentPath(from: v, to: u)
            statistics.augmentations += 1
            dissolve(ru)
            dissolve(rv)
        }
    }

    /// Outer vertex `v`'s dual reached zero: flip the path from its root to `v`, so `v` becomes exposed
    /// (allowed, its dual is zero) and the root, whose dual is positive, becomes matched.
    mutating func vertexDualZero(_ v: Int32) {
        let root = tree[Int(topOf(Int(v)))]
        augmentPath(from: v, to: -1)
        dissolve(root)
    }

    /// Tree parent (outer blossom) of the outer top blossom `b`, or -1 at the root.
    func outerParent(_ b: Int32) -> Int32 {
        let t = mate[Int(base[Int(b)])]
        if t == -1 { return -1 }
        return topOf(Int(labelFrom[Int(topOf(Int(t)))]))
    }

    /// Flips the alternating path from vertex `s` (in an outer blossom, or in a free blossom with an
    /// exposed base) up to its tree root and matches `s` to `j` (-1: leave `s` exposed).
    mutating func augmentPath(from s0: Int32, to j0: Int32) {
        var s = s0, j = j0
        while true {
            let bs = topOf(Int(s))
            let t = mate[Int(base[Int(bs)])]
            if Int(bs) >= n { augmentBlossom(bs, s) }
            mate[Int(s)] = j
            if t == -1 { break }
            let bt = topOf(Int(t))
            let p = labelFrom[Int(bt)], q = labelTo[Int(bt)]
            if Int(bt) >= n { augmentBlossom(bt, q) }
            mate[Int(q)] = p
            s = p
            j = q
        }
    }

    /// Makes every top blossom of tree `root` free again (after an augmentation) and registers their
    /// edges to the outer blossoms of the remaining trees.
    mutating func dissolve(_ root: Int32) {
        let members = treeMembers[Int(root)]
        treeMembers[Int(root)] = []
        var freed: [Int32] = []
        for b in members where parent[Int(b)] == -1 && label[Int(b)] != BlossomSolver.free && tree[Int(b)] == root {
            relabel(b, to: BlossomSolver.free, tree: -1)
            freed.append(b)
        }
        treeCount -= 1
        if treeCount > 0 {
            for b in freed { scanFree(b) }
        }
    }
}
