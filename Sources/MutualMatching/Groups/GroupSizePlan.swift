/// How many groups a pool is split into and how large each is, with the reason in words.
///
/// The group count is the one whose average size is nearest the middle of the range (rounding
/// the middle up, so 4–6 aims at 5), among the counts for which every group can lie inside the
/// range. Sizes are then as equal as possible: with `n = q·g + r` there are `r` groups of
/// `q + 1` and `g − r` of `q`. When no count works (for example 7 people into groups of 4–5),
/// the pool is cut to the largest number of people that does divide, and the rest are left
/// over with that reason rather than forced into an out-of-range group.
public struct GroupSizePlan: Sendable, Hashable {
    /// The smallest and largest allowed group size.
    public let sizeRange: ClosedRange<Int>
    /// Planned size of each group, largest first.
    public let sizes: [Int]
    /// People the plan cannot place (the pool is too small or does not fit the range).
    public let leftOver: Int
    /// Why these sizes, for the output and the command's summary.
    public let explanation: String

    /// Number of groups.
    public var groupCount: Int { sizes.count }

    /// Plans groups for `count` people with sizes in `sizeRange`.
    public init(count: Int, sizeRange: ClosedRange<Int>) {
        precondition(sizeRange.lowerBound >= 2, "groups need at least two people")
        self.sizeRange = sizeRange
        let low = sizeRange.lowerBound, high = sizeRange.upperBound
        let target = (low + high + 1) / 2
        var placed = count
        // Find the largest placeable number of people: g·low ≤ placed ≤ g·high for some g.
        while placed >= low {
            let fewest = (placed + high - 1) / high, most = placed / low
            if fewest <= most { break }
            placed -= 1
        }
        guard placed >= low else {
            sizes = []
            leftOver = count
            explanation = "\(count) \(count == 1 ? "person" : "people") cannot form a group of \(Self.describe(sizeRange)); nobody is grouped"
            return
        }
        let fewest = (placed + high - 1) / high, most = placed / low
        let nearest = (placed + target / 2) / target
        let groups = min(most, max(fewest, nearest))
        let base = placed / groups, larger = placed % groups
        sizes = Array(repeating: base + 1, count: larger) + Array(repeating: base, count: groups - larger)
        leftOver = count - placed
        var text = "\(placed) people into \(groups) group\(groups == 1 ? "" : "s") of "
        text += larger == 0 ? "\(base)" : "\(base + 1) (×\(larger)) and \(base) (×\(groups - larger))"
        if low != high {
            text += ": the count whose average size is nearest \(target), the middle of \(Self.describe(sizeRange)), with sizes as equal as possible"
        }
        if leftOver > 0 {
            text += "; \(leftOver) left over because \(count) people cannot all be split into groups of \(Self.describe(sizeRange))"
        }
        explanation = text
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)–\(range.upperBound)"
    }
}
