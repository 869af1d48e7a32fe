/// Iterates the vertices of one blossom by following its segment of the solver's vertex chain.
struct BlossomVertices: Sequence, IteratorProtocol {
    let chain: [Int32]
    var current: Int32
    let last: Int32
    var done = false

    init(next: [Int32], first: Int32, last: Int32) {
        self.chain = next
        self.current = first
        self.last = last
    }

    @inline(__always) mutating func next() -> Int32? {
        if done { return nil }
        let v = current
        if v == last { done = true } else { current = chain[Int(v)] }
        return v
    }
}
