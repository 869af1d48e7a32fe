/// Min-cost flow by successive shortest paths (Dijkstra on reduced costs), stopping as soon
/// as the cheapest augmenting path has non-negative cost: the flow then has minimum cost
/// among flows of any value, which is what a maximum-weight assignment needs.
struct MinCostFlow {
    private var head: [Int]
    private var next: [Int] = []
    private var to: [Int] = []
    private var residual: [Int] = []
    private var cost: [Int64] = []
    private var originalCapacity: [Int] = []

    init(nodeCount: Int) { head = [Int](repeating: -1, count: nodeCount) }

    /// Adds an arc and its reverse; returns the arc's index.
    @discardableResult
    mutating func addEdge(_ from: Int, _ target: Int, capacity: Int, cost arcCost: Int64) -> Int {
        let index = to.count
        for (a, b, c, w) in [(from, target, capacity, arcCost), (target, from, 0, -arcCost)] {
            to.append(b)
            residual.append(c)
            cost.append(w)
            originalCapacity.append(c)
            next.append(head[a])
            head[a] = to.count - 1
        }
        return index
    }

    func flow(onEdge index: Int) -> Int { originalCapacity[index] - residual[index] }

    /// Pushes flow from `source` to `sink` while it lowers the total cost; returns that cost.
    mutating func minimiseCost(source: Int, sink: Int) -> Int64 {
        let nodes = head.count
        let infinity = Int64.max / 4
        // Initial potentials by Bellman–Ford (arcs may be negative; the network is a DAG).
        var potential = [Int64](repeating: infinity, count: nodes)
        potential[source] = 0
        var changed = true
        var rounds = 0
        while changed && rounds < nodes {
            changed = false
            rounds += 1
            for node in 0..<nodes where potential[node] < infinity {
                var arc = head[node]
                while arc >= 0 {
                    if residual[arc] > 0, potential[node] + cost[arc] < potential[to[arc]] {
                        potential[to[arc]] = potential[node] + cost[arc]
                        changed = true
                    }
                    arc = next[arc]
                }
            }
        }
        for node in 0..<nodes where potential[node] >= infinity { potential[node] = 0 }

        var total: Int64 = 0
        var distance = [Int64](repeating: infinity, count: nodes)
        var previousArc = [Int](repeating: -1, count: nodes)
        while true {
            for node in 0..<nodes {
                distance[node] = infinity
                previousArc[node] = -1
            }
            distance[source] = 0
            var heap = [(Int64, Int)]()
            heap.append((0, source))
            while let (d, node) = Self.popMinimum(&heap) {
                if d > distance[node] { continue }
                var arc = head[node]
                while arc >= 0 {
                    let target = to[arc]
                    if residual[arc] > 0 {
                        let candidate = d + cost[arc] + potential[node] - potential[target]
                        if candidate < distance[target] {
                            distance[target] = candidate
                            previousArc[target] = arc
                            Self.push(&heap, (candidate, target))
                        }
                    }
                    arc = next[arc]
                }
            }
            guard distance[sink] < infinity else { break }
            let pathCost = distance[sink] + potential[sink] - potential[source]
            if pathCost >= 0 { break }
            for node in 0..<nodes where distance[node] < infinity { potential[node] += distance[node] }
            var amount = Int.max
            var node = sink
            while node != source {
                let arc = previousArc[node]
                amount = min(amount, residual[arc])
                node = to[arc ^ 1]
            }
            node = sink
            while node != source {
                let arc = previousArc[node]
                residual[arc] -= amount
                residual[arc ^ 1] += amount
                node = to[arc ^ 1]
            }
            total += pathCost * Int64(amount)
        }
        return total
    }

    private static func push(_ heap: inout [(Int64, Int)], _ item: (Int64, Int)) {
        heap.append(item)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[parent] <= heap[child] { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private static func popMinimum(_ heap: inout [(Int64, Int)]) -> (Int64, Int)? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count, heap[left] < heap[smallest] { smallest = left }
                if right < heap.count, heap[right] < heap[smallest] { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}
