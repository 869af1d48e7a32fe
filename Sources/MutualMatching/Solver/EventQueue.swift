/// A monotone priority queue of solver events (a radix heap).
///
/// The blossom solver only ever asks for events at or after the current dual change `Δ`, and `Δ` never
/// decreases, so keys are pushed in `[last popped, ∞)`. A radix heap exploits that: entries sit in
/// 65 buckets by the highest bit in which their key differs from the last popped key; push is O(1) and
/// pop is amortised O(log C) for key range C, with sequential memory access. This matters because the
/// solver invalidates events lazily (it pushes a fresh entry whenever an event's time may have changed
/// and drops stale ones when they surface), so most entries are popped only to be discarded.
///
/// Items carry their kind in the top two bits. Entries with equal keys come out in a deterministic
/// (last-in, first-out) order.
struct EventQueue {
    enum Kind: UInt32 {
        case grow = 0, outerEdge = 1, expand = 2, zeroDual = 3
    }

    private struct Entry {
        var key: UInt64
        var item: UInt32
    }

    private var buckets = [[Entry]](repeating: [], count: 65)
    private var scratch: [Entry] = []
    private var last: UInt64 = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    @inline(__always) private func bucket(_ key: UInt64) -> Int {
        key == last ? 0 : 64 - (key ^ last).leadingZeroBitCount
    }

    /// Adds an event at time `key` (`key >=` the last popped key).
    @inline(__always) mutating func push(_ key: Int64, _ kind: Kind, _ id: Int32) {
        assert(key >= 0 && UInt64(key) >= last, "event in the past")
        let k = UInt64(key)
        buckets[bucket(k)].append(Entry(key: k, item: kind.rawValue << 30 | UInt32(id)))
        count += 1
    }

    /// Drops every entry (keeping capacity); keys pushed later must still not precede the last popped key.
    mutating func removeAll() {
        for i in 0..<buckets.count where !buckets[i].isEmpty { buckets[i].removeAll(keepingCapacity: true) }
        count = 0
    }

    /// Removes and returns an event with the smallest key; the queue must not be empty.
    mutating func popMin() -> (key: Int64, kind: Kind, id: Int32) {
        if buckets[0].isEmpty {
            var i = 1
            while buckets[i].isEmpty { i += 1 }
            var smallest = UInt64.max
            for entry in buckets[i] where entry.key < smallest { smallest = entry.key }
            last = smallest
            swap(&scratch, &buckets[i])
            for entry in scratch { buckets[bucket(entry.key)].append(entry) }
            scratch.removeAll(keepingCapacity: true)
        }
        let entry = buckets[0].removeLast()
        count -= 1
        return (Int64(entry.key), Kind(rawValue: entry.item >> 30)!, Int32(bitPattern: entry.item & 0x3FFF_FFFF))
    }
}
