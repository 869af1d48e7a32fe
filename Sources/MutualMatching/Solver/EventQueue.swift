/// A binary min-heap of `(key, item)` events used by the blossom solver.
///
/// Entries are never updated in place: the solver pushes a fresh entry whenever an event's time may
/// have changed and discards stale entries when they reach the top ("lazy deletion"), which is far
/// cheaper than decrease-key bookkeeping. Keys and items live in two flat arrays (no per-entry
/// allocation); the capacity is kept between runs.
struct EventQueue {
    private var keys: [Int64] = []
    private var items: [Int32] = []

    var isEmpty: Bool { keys.isEmpty }
    var count: Int { keys.count }
    /// Key of the minimum entry; the queue must not be empty.
    var minKey: Int64 { keys[0] }
    /// Item of the minimum entry; the queue must not be empty.
    var minItem: Int32 { items[0] }

    mutating func push(_ key: Int64, _ item: Int32) {
        var i = keys.count
        keys.append(key)
        items.append(item)
        while i > 0 {
            let p = (i - 1) >> 1
            let pk = keys[p]
            if pk < key || (pk == key && items[p] <= item) { break }
            keys[i] = pk
            items[i] = items[p]
            i = p
        }
        keys[i] = key
        items[i] = item
    }

    mutating func popMin() {
        let lastKey = keys.removeLast()
        let lastItem = items.removeLast()
        let n = keys.count
        if n == 0 { return }
        var i = 0
        while true {
            var c = 2 * i + 1
            if c >= n { break }
            if c + 1 < n && (keys[c + 1] < keys[c] || (keys[c + 1] == keys[c] && items[c + 1] < items[c])) { c += 1 }
            if keys[c] > lastKey || (keys[c] == lastKey && items[c] >= lastItem) { break }
            keys[i] = keys[c]
            items[i] = items[c]
            i = c
        }
        keys[i] = lastKey
        items[i] = lastItem
    }

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        items.removeAll(keepingCapacity: true)
    }
}
