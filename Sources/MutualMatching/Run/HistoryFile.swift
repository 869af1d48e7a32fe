/// Reads the history CSV of previous partners: a header with columns `a` and `b` (any case,
/// any order, other columns such as a date ignored) and one previous pair per line.
public enum HistoryFile {
    /// The id pairs in file order.
    public static func read(_ text: String) throws -> [(String, String)] {
        let records: [CSVRecord]
        do {
            records = try CSVParser.parse(text)
        } catch {
            throw PeopleImportError(issues: [.init(line: error.line, column: nil, reason: "history file: " + error.reason)])
        }
        guard let header = records.first else { return [] }
        let names = header.fields.map { $0.trimmingSpaces().lowercased() }
        guard let a = names.firstIndex(of: "a"), let b = names.firstIndex(of: "b") else {
            throw PeopleImportError(issues: [.init(line: header.line, column: nil, reason: "history file: the header needs columns a and b (the two partners' ids)")])
        }
        var pairs: [(String, String)] = []
        var issues: [PeopleImportError.Issue] = []
        for record in records.dropFirst() {
            guard record.fields.count > max(a, b) else {
                issues.append(.init(line: record.line, column: nil, reason: "history file: the row has too few fields"))
                continue
            }
            let first = record.fields[a].trimmingSpaces(), second = record.fields[b].trimmingSpaces()
            if first.isEmpty || second.isEmpty {
                issues.append(.init(line: record.line, column: first.isEmpty ? "a" : "b", reason: "history file: the id is empty"))
                continue
            }
            pairs.append((first, second))
        }
        if !issues.isEmpty { throw PeopleImportError(issues: issues) }
        return pairs
    }
}
