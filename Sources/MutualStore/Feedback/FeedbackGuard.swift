import Foundation

/// The anonymity rules, pure and apart from the database. An answer is a row (who, in which
/// programme and month, the score or category, whether shared by name). A set of rows may be
/// shown as an aggregate when its people who did *not* share by name number at least k (or
/// none did, when every answer is already shown by name and at least k people answered). A set
/// that is hidden must stay hidden under subtraction: whenever a shown figure covers a hidden
/// one (the organisation and a programme, the total and a month), the rows left after taking
/// the shown ones away must themselves be safe — no private answers, or k people's. Over time,
/// answers are published in batches of k people (``batchEnds(_:k:)``), so a figure watched
/// before and after one more answer does not move.
public enum FeedbackGuard {
    public struct Row: Sendable, Equatable {
        public let person: UUID
        public let programme: UUID
        public let month: String
        public let score: Double?
        public let category: String?
        public let shared: Bool

        public init(person: UUID, programme: UUID, month: String, score: Double?, category: String?, shared: Bool) {
            self.person = person
            self.programme = programme
            self.month = month
            self.score = score
            self.category = category
            self.shared = shared
        }
    }

    /// Distinct people with at least one answer not shared by name.
    public static func privateRespondents(_ rows: [Row]) -> Int { Set(rows.filter { !$0.shared }.map(\.person)).count }
    public static func respondents(_ rows: [Row]) -> Int { Set(rows.map(\.person)).count }

    /// May these rows be shown as one aggregate?
    public static func isShowable(_ rows: [Row], k: Int) -> Bool {
        let hidden = privateRespondents(rows)
        return hidden == 0 ? respondents(rows) >= k : hidden >= k
    }

    /// Is what is left over (rows of hidden groups a shown total covers) safe to expose by difference?
    public static func isSafeRemainder(_ rows: [Row], k: Int) -> Bool {
        let hidden = privateRespondents(rows)
        return hidden == 0 || hidden >= k
    }

    /// How many more private answers are needed before `rows` are shown.
    public static func needed(_ rows: [Row], k: Int) -> Int {
        isShowable(rows, k: k) ? 0 : max(1, k - privateRespondents(rows))
    }

    /// The groups of `rows` (by `key`) that may be shown beside their total: each showable on
    /// its own, and the hidden ones together a safe remainder — if they are not, the smallest
    /// shown groups are hidden too until they are (or none is left).
    /// `candidates`, when given, limits the groups that may be shown at all (a month of the
    /// organisation that would expose a programme's hidden month).
    public static func showableGroups(_ rows: [Row], k: Int, candidates: Set<String>? = nil, key: (Row) -> String) -> Set<String> {
        let groups = Dictionary(grouping: rows, by: key)
        var shown = Set(groups.filter { isShowable($0.value, k: k) && (candidates?.contains($0.key) ?? true) }.keys)
        while !shown.isEmpty {
            let remainder = rows.filter { !shown.contains(key($0)) }
            if isSafeRemainder(remainder, k: k) { break }
            // Hide the smallest shown group (fewest private respondents; ties by key for a stable answer).
            let smallest = shown.min { (privateRespondents(groups[$0] ?? []), $0) < (privateRespondents(groups[$1] ?? []), $1) }!
            shown.remove(smallest)
        }
        return shown
    }

    /// Where the batches of `rows` (one group's answers, oldest first) close: the index of each
    /// batch's last answer. A batch closes when it holds answers not shared by name from k
    /// distinct people (a run of answers all shared by name closes at once: they are shown by
    /// name anyway). Only answers in closed batches are published; those after the last close
    /// wait for the next. Every published figure is then a union of whole batches — between
    /// two views over time, between a month and the total, between a programme and the
    /// organisation — so no difference of figures gives away fewer than k people's answers.
    public static func batchEnds(_ rows: [Row], k: Int) -> [Int] {
        var ends: [Int] = []
        var batch: Set<UUID> = []
        for (index, row) in rows.enumerated() {
            if !row.shared { batch.insert(row.person) }
            if batch.isEmpty || batch.count >= k {
                ends.append(index)
                batch = []
            }
        }
        return ends
    }

    public static func mean(_ rows: [Row]) -> Double? {
        let scores = rows.compactMap(\.score)
        return scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
    }
}
