extension BlossomSolver {
    /// Outer vertices `u` and `v` of the same tree are joined by a tight edge: the tree paths from their
    /// blossoms to the nearest common outer ancestor and the edge form an odd cycle, which shrinks into a
    /// new outer blossom (Edmonds). Inner blossoms on the cycle become outer, so their vertices start
    /// generating events.
    mutating func formBlossom(_ u: Int32, _ v: Int32) {
        let bu = topOf(Int(u)), bv = topOf(Int(v))
        // Nearest common ancestor, walking up from both sides in turn so the cost is the length of the
        // shorter path plus the distance to the ancestor.
        stamp &+= 1
        if stamp == 0 {
            for i in 0..<mark.count { mark[i] = 0 }
            stamp = 1
        }
        var x = bu, y = bv
        var lca: Int32 = -1
        while lca == -1 {
            if x != -1 {
                if mark[Int(x)] == stamp { lca = x; break }
                mark[Int(x)] = stamp
                x = outerParent(x)
            }
            if y != -1 {
                if mark[Int(y)] == stamp { lca = y; break }
                mark[Int(y)] = stamp
                y = outerParent(y)
            }
        }

        // Tree paths from each side up to the ancestor: blossoms and the edges to their tree parents.
        func pathUp(from start: Int32) -> (blossoms: [Int32], from: [Int32], to: [Int32]) {
            var blossoms: [Int32] = [], from: [Int32] = [], to: [Int32] = []
            var s = start
            while s != lca {
                let b = base[Int(s)]
                let t = mate[Int(b)]
                let bt = topOf(Int(t))
                blossoms.append(s); from.append(b); to.append(t)
                blossoms.append(bt); from.append(labelTo[Int(bt)]); to.append(labelFrom[Int(bt)])
                s = topOf(Int(labelFrom[Int(bt)]))
            }
            return (blossoms, from, to)
        }
        let pu = pathUp(from: bu)
        let pv = pathUp(from: bv)

        var cycle = BlossomCycle()
        cycle.children.reserveCapacity(1 + pu.blossoms.count + pv.blossoms.count)
        cycle.children.append(lca)
        for j in stride(from: pu.blossoms.count - 1, through: 0, by: -1) {
            cycle.children.append(pu.blossoms[j])
            cycle.edgeFrom.append(pu.to[j])
            cycle.edgeTo.append(pu.from[j])
        }
        cycle.edgeFrom.append(u)
        cycle.edgeTo.append(v)
        for j in 0..<pv.blossoms.count {
            cycle.children.append(pv.blossoms[j])
            cycle.edgeFrom.append(pv.from[j])
            cycle.edgeTo.append(pv.to[j])
        }

        let b = freeBlossomIds.removeLast()
        let bi = Int(b)
        let root = tree[Int(lca)]
        var formerlyInner: [Int32] = []
        for c in cycle.children {
            let ci = Int(c)
            if label[ci] == BlossomSolver.inner {
                // Inner vertices become outer: re-base their stored duals.
                relabel(c, to: BlossomSolver.outer, tree: root)
                formerlyInner.append(c)
            }
            // A nested blossom's dual is frozen: store its true value.
            if ci >= n { zs[ci] += blossomOffset(label[ci]) }
            parent[ci] = b
        }
        base[bi] = base[Int(lca)]
        label[bi] = BlossomSolver.outer
        tree[bi] = root
        parent[bi] = -1
        zs[bi] = -2 * now
        cycles[bi - n] = cycle
        for i in 0..<(cycle.children.count - 1) {
            nextVertex[Int(lastVertex[Int(cycle.children[i])])] = firstVertex[Int(cycle.children[i + 1])]
        }
        firstVertex[bi] = firstVertex[Int(cycle.children[0])]
        lastVertex[bi] = lastVertex[Int(cycle.children[cycle.children.count - 1])]
        // The largest child's group becomes the new blossom's; the others' vertices move into it.
        var big = cycle.children[0]
        var size: Int32 = 0
        for c in cycle.children {
            size += blossomSize[Int(c)]
            if blossomSize[Int(c)] > blossomSize[Int(big)] { big = c }
        }
        let g = groupOf[Int(big)]
        for c in cycle.children where c != big {
            let delta = dualShift[Int(groupOf[Int(c)])] - dualShift[Int(g)]
            for w in vertices(of: c) {
                group[Int(w)] = g
                ys[Int(w)] += delta
            }
        }
        owner[Int(g)] = b
        groupOf[bi] = g
        blossomSize[bi] = size
        treeMembers[Int(root)].append(b)
        statistics.blossomsFormed += 1
        for c in formerlyInner {
            // Scan as part of the new blossom (edges inside it are skipped).
            scanOuterPart(c, of: b)
        }
    }

    /// Like ``scanOuter(_:)`` for the vertices of sub-blossom `part` of the outer top blossom `b`.
    mutating func scanOuterPart(_ part: Int32, of b: Int32) {
        for v32 in vertices(of: part) {
            let v = Int(v32)
            events.push(stored(v), .zeroDual, v32)
            let yv = stored(v) - now
            for slot in adjacencyStart[v]..<adjacencyStart[v + 1] {
                let x = Int(adjacencyNeighbour[slot])
                let bx = Int(topOf(x))
                if bx == Int(b) { continue }
                let e = adjacencyEdge[slot]
                switch label[bx] {
                case BlossomSolver.free:
                    events.push(now + yv + stored(x) - edgeW[Int(e)], .grow, e)
                case BlossomSolver.outer:
                    let s = yv + stored(x) - now - edgeW[Int(e)]
                    assert(s & 1 == 0, "odd slack between outer blossoms")
                    events.push(now + s / 2, .outerEdge, e)
                default:
                    break
                }
            }
        }
    }

    /// Inner blossom `b`'s dual reached zero: replace it by its sub-blossoms. The even-length path around
    /// the cycle from the sub-blossom where the tree enters to the base sub-blossom stays in the tree
    /// (alternately inner and outer); the other sub-blossoms become free.
    mutating func expand(_ b: Int32) {
        let bi = Int(b)
        let cycle = cycles[bi - n]
        let k = cycle.children.count
        let root = tree[bi]
        let entryFrom = labelFrom[bi], entryTo = labelTo[bi]

        // Child containing the entry vertex (found before the nesting is undone).
        var x = entryTo
        while parent[Int(x)] != b { x = parent[Int(x)] }
        let j = cycle.children.firstIndex(of: x)!

        // Vertices keep their true duals: b is inner, so stored = true − now.
        let g = groupOf[bi]
        dualShift[Int(g)] += now
        for c in cycle.children {
            parent[Int(c)] = -1
            label[Int(c)] = BlossomSolver.free
            tree[Int(c)] = -1
            let gc = groupOf[Int(c)]
            owner[Int(gc)] = c
            if gc != g {
                // Give this child its own group back, keeping every stored dual.
                let delta = dualShift[Int(g)] - dualShift[Int(gc)]
                for w in vertices(of: c) {
                    group[Int(w)] = gc
                    ys[Int(w)] += delta
                }
            }
        }

        // Label the path c_j → c_0 (backwards when j is even, forwards when odd).
        var pathInner: [Int32] = [], pathOuter: [Int32] = []
        relabel(cycle.children[j], to: BlossomSolver.inner, tree: root)
        labelFrom[Int(cycle.children[j])] = entryFrom
        labelTo[Int(cycle.children[j])] = entryTo
        pathInner.append(cycle.children[j])
        if j != 0 {
            if j % 2 == 0 {
                var i = j - 1
                var isOuter = true
                while i >= 0 {
                    let c = cycle.children[i]
                    if isOuter {
                        relabel(c, to: BlossomSolver.outer, tree: root)
                        pathOuter.append(c)
                    } else {
                        relabel(c, to: BlossomSolver.inner, tree: root)
                        labelFrom[Int(c)] = cycle.edgeTo[i]
                        labelTo[Int(c)] = cycle.edgeFrom[i]
                        pathInner.append(c)
                    }
                    isOuter.toggle()
                    i -= 1
                }
            } else {
                var i = j + 1
                var isOuter = true
                while i <= k {
                    let c = cycle.children[i % k]
                    if isOuter {
                        relabel(c, to: BlossomSolver.outer, tree: root)
                        pathOuter.append(c)
                    } else {
                        relabel(c, to: BlossomSolver.inner, tree: root)
                        labelFrom[Int(c)] = cycle.edgeFrom[i - 1]
                        labelTo[Int(c)] = cycle.edgeTo[i - 1]
                        pathInner.append(c)
                    }
                    isOuter.toggle()
                    i += 1
                }
            }
        }

        // Release b.
        cycles[bi - n] = BlossomCycle()
        label[bi] = BlossomSolver.free
        tree[bi] = -1
        base[bi] = -1
        groupOf[bi] = -1
        blossomSize[bi] = 0
        freeBlossomIds.append(b)
        statistics.blossomsExpanded += 1

        for c in pathInner {
            treeMembers[Int(root)].append(c)
            if Int(c) >= n { events.push(now + blossomDual(Int(c)) / 2, .expand, c) }
        }
        for c in pathOuter {
            treeMembers[Int(root)].append(c)
            scanOuter(c)
        }
        for c in cycle.children where label[Int(c)] == BlossomSolver.free {
            scanFree(c)
        }
    }

    /// Re-matches the inside of blossom `b` so that vertex `v` becomes its base (Edmonds' rotation):
    /// the even-length path around the cycle from `v`'s sub-blossom to the base sub-blossom swaps its
    /// matched and unmatched edges, and every sub-blossom that gets a new matched edge is re-based the
    /// same way at that edge's endpoint.
    ///
    /// The sub-blossom re-basings are independent of each other and of the parent's, so they run from a
    /// work list rather than by recursion: nesting can be thousands deep on graphs with many ties, and
    /// callers may run the solver on a small-stack thread.
    mutating func augmentBlossom(_ b: Int32, _ v: Int32) {
        var work: [(blossom: Int32, vertex: Int32)] = [(b, v)]
        while let (b, v) = work.popLast() {
            var x = v
            while parent[Int(x)] != b { x = parent[Int(x)] }
            if Int(x) >= n { work.append((x, v)) }
            let bi = Int(b)
            let k = cycles[bi - n].children.count
            let j = cycles[bi - n].children.firstIndex(of: x)!
            if j != 0 {
                // Edges that become matched: e_{j+1}, e_{j+3}, …, e_{k-1} forwards (j odd), or
                // e_{j-2}, e_{j-4}, …, e_0 backwards (j even).
                var i = j % 2 == 1 ? j + 1 : j - 2
                let step = j % 2 == 1 ? 2 : -2
                while i >= 0 && i < k {
                    let from = cycles[bi - n].edgeFrom[i], to = cycles[bi - n].edgeTo[i]
                    let cFrom = cycles[bi - n].children[i], cTo = cycles[bi - n].children[(i + 1) % k]
                    if Int(cFrom) >= n { work.append((cFrom, from)) }
                    if Int(cTo) >= n { work.append((cTo, to)) }
                    mate[Int(from)] = to
                    mate[Int(to)] = from
                    i += step
                }
                cycles[bi - n].rotate(to: j)
            }
            base[bi] = v
        }
    }
}
