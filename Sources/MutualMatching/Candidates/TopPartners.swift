/// The `k` heaviest partners seen so far for one person: a min-heap on (weight, then the
/// higher index), so that ties always keep the lower index and the result does not depend
/// on the order partners were scanned in.
struct TopPartners {
    let capacity: Int
    private(set) var partners: [Int32] = []
    private(set) var weights: [Int64] = []

    init(capacity: Int) {
        self.capacity = capacity
        partners.reserveCapacity(capacity)
        weights.reserveCapacity(capacity)
    }

    var isFull: Bool { partners.count >= capacity }
    /// The lightest kept weight (the k-th best once full).
    var minimumWeight: Int64 { weights.first ?? 0 }

    /// Whether (weight, partner) ranks below (otherWeight, other).
    @inline(__always)
    private static func ranksBelow(_ weight: Int64, _ partner: Int32, _ otherWeight: Int64, _ other: Int32) -> Bool {
        weight < otherWeight || (weight == otherWeight && partner > other)
    }

    mutating func offer(_ partner: Int32, _ weight: Int64) {
        if partners.count < capacity {
            partners.append(partner)
            weights.append(weight)
            var child = partners.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard Self.ranksBelow(weights[child], partners[child], weights[parent], partners[parent]) else { break }
                partners.swapAt(child, parent)
                weights.swapAt(child, parent)
                child = parent
            }
            return
        }
        guard capacity > 0, Self.ranksBelow(weights[0], partners[0], weight, partner) else { return }
        partners[0] = partner
        weights[0] = weight
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < partners.count, Self.ranksBelow(weights[left], partners[left], weights[smallest], partners[smallest]) { smallest = left }
            if right < partners.count, Self.ranksBelow(weights[right], partners[right], weights[smallest], partners[smallest]) { smallest = right }
            if smallest == parent { break }
            partners.swapAt(parent, smallest)
            weights.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
