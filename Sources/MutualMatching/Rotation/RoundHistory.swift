/// Who met whom in earlier rounds, read from a history CSV, with the cost of meeting again.
///
/// Two row shapes, chosen by the header (any case, any column order, other columns ignored):
///
/// * **pairs**: columns `a`, `b` and optionally `round` — `ana,ben,3` means Ana and Ben were
///   partners in round 3;
/// * **groups**: columns `members` and optionally `round` — `ana;ben;chloe;dev,3` means those
///   four shared a group in round 3 (every two of them met).
///
/// Rows without a round (or an empty one) count as round 0, the oldest. The round being formed
/// is one after the latest in the file.
///
/// **Recency.** Meeting again costs `penalty × 2 / (age + 1)` percent, where `age` is how many
/// rounds ago they met (1 = the latest round): with the default 80 % a repeat of last round
/// costs 80 %, of two rounds ago 53 %, of three rounds ago 40 %, of nine rounds ago 16 %; pairs
/// who met several times pay for each meeting. For pairs the cost comes off the pair's
/// weight; for groups it comes off the group's weight as that share of one reference member.
public struct RoundHistory: Sendable, Hashable {
    /// One earlier meeting of two people.
    public struct Meeting: Sendable, Hashable {
        public var a: String
        public var b: String
        public var round: Int

        public init(a: String, b: String, round: Int) {
            self.a = a
            self.b = b
            self.round = round
        }
    }

    public var meetings: [Meeting]

    public init(meetings: [Meeting] = []) { self.meetings = meetings }

    /// The latest round in the history (0 when empty).
    public var latestRound: Int { meetings.map(\.round).max() ?? 0 }

    /// The round being formed.
    public var nextRound: Int { latestRound + 1 }

    /// Every pair that met, in the form ``ScoringContext`` takes (duplicates kept).
    public var pairs: [(String, String)] { meetings.map { ($0.a, $0.b) } }

    /// The permille of value a meeting `age` rounds ago costs (`age` ≥ 1).
    public static func recencyPermille(age: Int, penaltyPercent: Int) -> Int64 {
        Int64(penaltyPercent) * 10 * 2 / Int64(max(1, age) + 1)
    }

    /// Repeat costs as (index, index, permille) for the people of `indexOfID`; unknown ids are
    /// ignored (people who left the programme).
    public func repeatCosts(indexOfID: [String: Int], penaltyPercent: Int) -> [(Int, Int, Int64)] {
        let current = nextRound
        return meetings.compactMap { meeting in
            guard let a = indexOfID[meeting.a], let b = indexOfID[meeting.b], a != b else { return nil }
            return (a, b, Self.recencyPermille(age: current - meeting.round, penaltyPercent: penaltyPercent))
        }
    }

    /// Pair keys (see ``ScoringContext``) of everyone who met before.
    func metBefore(indexOfID: [String: Int]) -> Set<UInt64> {
        var keys = Set<UInt64>()
        for meeting in meetings {
            guard let a = indexOfID[meeting.a], let b = indexOfID[meeting.b], a != b else { continue }
            keys.insert(ScoringContext.pairKey(a, b))
        }
        return keys
    }

    /// Reads a history file (see the type's documentation for the format).
    public static func read(_ text: String) throws -> RoundHistory {
        let records: [CSVRecord]
        do {
            records = try CSVParser.parse(text)
        } catch {
            throw PeopleImportError(issues: [.init(line: error.line, column: nil, reason: "history file: " + error.reason)])
        }
        guard let header = records.first else { return RoundHistory() }
        let names = header.fields.map { $0.trimmingSpaces().lowercased() }
        let a = names.firstIndex(of: "a"), b = names.firstIndex(of: "b")
        let members = names.firstIndex(of: "members"), round = names.firstIndex(of: "round")
        guard members != nil || (a != nil && b != nil) else {
            throw PeopleImportError(issues: [.init(line: header.line, column: nil,
                reason: "history file: the header needs columns a and b (two partners' ids) or members (a group's ids separated by ;), optionally round")])
        }
        var meetings: [Meeting] = []
        var issues: [PeopleImportError.Issue] = []
        for record in records.dropFirst() {
            func field(_ index: Int?) -> String? {
                guard let index else { return nil }
                return index < record.fields.count ? record.fields[index].trimmingSpaces() : nil
            }
            if record.fields.allSatisfy({ $0.trimmingSpaces().isEmpty }) { continue }
            var roundNumber = 0
            if let text = field(round), !text.isEmpty {
                guard let value = Int(text), value >= 0 else {
                    issues.append(.init(line: record.line, column: "round", reason: "history file: \"\(text)\" is not a round number (0 or more)"))
                    continue
                }
                roundNumber = value
            }
            var ids: [String]
            if let list = field(members), !list.isEmpty {
                ids = list.split(separator: ";").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
            } else if let first = field(a), let second = field(b), !first.isEmpty, !second.isEmpty {
                ids = [first, second]
            } else {
                issues.append(.init(line: record.line, column: nil, reason: "history file: the row names no pair or group"))
                continue
            }
            ids = Array(Set(ids)).sorted()
            guard ids.count >= 2 else {
                issues.append(.init(line: record.line, column: nil, reason: "history file: a meeting needs two different ids"))
                continue
            }
            for i in ids.indices { for j in ids.indices where j > i {
                meetings.append(Meeting(a: ids[i], b: ids[j], round: roundNumber))
            } }
        }
        if !issues.isEmpty { throw PeopleImportError(issues: Array(issues.prefix(PeopleCSVReader.maximumIssues))) }
        return RoundHistory(meetings: meetings)
    }

    /// The history as CSV in the pairs shape, with this round's pairs or groups appended, so a
    /// programme keeps one growing file.
    public static func csvLines(round: Int, groups: [[String]]) -> String {
        var output = ""
        for group in groups {
            let sorted = group.sorted()
            for i in sorted.indices { for j in sorted.indices where j > i {
                output += PeopleCSVWriter.quote(sorted[i]) + "," + PeopleCSVWriter.quote(sorted[j]) + ",\(round)\n"
            } }
        }
        return output
    }
}
