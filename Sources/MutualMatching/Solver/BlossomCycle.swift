/// The odd cycle of sub-blossoms that makes up a non-trivial blossom.
///
/// `children[0]` contains the base. Edge `i` joins `children[i]` (endpoint `edgeFrom[i]`) to
/// `children[(i + 1) % k]` (endpoint `edgeTo[i]`); with the base child first, the edges at odd
/// indices are the matched ones.
struct BlossomCycle {
    var children: [Int32] = []
    var edgeFrom: [Int32] = []
    var edgeTo: [Int32] = []

    var isAlive: Bool { !children.isEmpty }

    /// Rotates the cycle so that `children[j]` comes first (used when the base moves).
    mutating func rotate(to j: Int) {
        if j == 0 { return }
        children = Array(children[j...] + children[..<j])
        edgeFrom = Array(edgeFrom[j...] + edgeFrom[..<j])
        edgeTo = Array(edgeTo[j...] + edgeTo[..<j])
    }
}
