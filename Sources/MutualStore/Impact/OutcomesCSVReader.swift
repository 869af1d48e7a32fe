import Foundation
import MutualMatching

/// Reads HR outcomes in long format, `id,outcome,value` (headers case-insensitive, in any
/// order, other columns ignored), streaming. Used by the admin import and by `mutual impact`,
/// so both accept and refuse exactly the same files.
///
/// A row's problems are collected with its line and column, like the people import's; a
/// broken file (no header, a quote never closed) is a file problem and nothing is read.
public struct OutcomesCSVReader: Sendable {
    /// One valid row.
    public struct Row: Sendable, Hashable {
        public var line: Int
        /// The person's external id (the people CSV's `id`).
        public var id: String
        /// The outcome's name, lower-cased: `retained_12m`.
        public var outcome: String
        public var value: Double
    }

    /// The longest outcome name accepted.
    public static let maximumNameLength = 64

    public private(set) var rows: [Row] = []
    /// Rows refused, each with every reason, in line order.
    public private(set) var rejected: [PeopleImportReport.RejectedRow] = []
    /// Problems with the file as a whole; when there are any, `rows` are not to be used.
    public private(set) var fileProblems: [PeopleImportReport.Problem] = []
    public private(set) var warnings: [String] = []
    /// Data rows read, the header not counted.
    public private(set) var rowsRead = 0

    private var parser = CSVParser()
    private var headerSeen = false
    private var idColumn = -1, outcomeColumn = -1, valueColumn = -1
    private var seen: [String: Int] = [:]

    public init() {}

    /// Reads a whole text; convenient for tests and small files.
    public static func read(_ text: String) -> OutcomesCSVReader {
        var reader = OutcomesCSVReader()
        reader.feed(Array(text.utf8))
        reader.finish()
        return reader
    }

    /// Consumes the next chunk of bytes.
    public mutating func feed(_ chunk: some Collection<UInt8>) {
        guard fileProblems.isEmpty else { return }
        var completed: [CSVRecord] = []
        do {
            try parser.feed(chunk) { completed.append($0) }
        } catch {
            completed.forEach { handle($0) }
            fileProblems.append(.init(line: error.line, column: nil, reason: error.reason))
            return
        }
        completed.forEach { handle($0) }
    }

    /// Ends the input.
    public mutating func finish() {
        guard fileProblems.isEmpty else { return }
        var completed: [CSVRecord] = []
        do {
            try parser.finish { completed.append($0) }
        } catch {
            fileProblems.append(.init(line: error.line, column: nil, reason: error.reason))
            return
        }
        completed.forEach { handle($0) }
        if !headerSeen {
            fileProblems.append(.init(line: 1, column: nil, reason: "the file is empty; expected a header row id,outcome,value"))
        }
    }

    private mutating func handle(_ record: CSVRecord) {
        guard fileProblems.isEmpty else { return }
        guard headerSeen else {
            headerSeen = true
            readHeader(record)
            return
        }
        rowsRead += 1
        let id = cell(record, idColumn), rawOutcome = cell(record, outcomeColumn), rawValue = cell(record, valueColumn)
        var problems: [PeopleImportReport.Problem] = []
        if id.isEmpty { problems.append(.init(line: record.line, column: "id", reason: "the id is empty; give the person's id from the people file")) }
        let outcome = rawOutcome.lowercased()
        if let reason = Self.nameProblem(outcome) { problems.append(.init(line: record.line, column: "outcome", reason: reason)) }
        let value = Self.number(rawValue)
        if value == nil {
            let reason = rawValue.isEmpty
                ? "the value is empty; leave the row out when the outcome is not known"
                : "\"\(rawValue)\" is not a number; write a number such as 1, 0 or 2.5 (true and false are read as 1 and 0)"
            problems.append(.init(line: record.line, column: "value", reason: reason))
        }
        if problems.isEmpty, let earlier = seen[id + "\u{1F}" + outcome] {
            problems.append(.init(
                line: record.line, column: nil,
                reason: "\(outcome) for \(id) is already given on line \(earlier); give each person's outcome once"))
        }
        if let value, problems.isEmpty {
            seen[id + "\u{1F}" + outcome] = record.line
            rows.append(Row(line: record.line, id: id, outcome: outcome, value: value))
        } else {
            rejected.append(.init(line: record.line, id: id, problems: problems))
        }
    }

    private mutating func readHeader(_ record: CSVRecord) {
        var ignored: [String] = []
        for (index, raw) in record.fields.enumerated() {
            switch raw.trimmingCharacters(in: .whitespaces).lowercased() {
            case "id": idColumn = index
            case "outcome": outcomeColumn = index
            case "value": valueColumn = index
            default: ignored.append(raw)
            }
        }
        for (name, index) in [("id", idColumn), ("outcome", outcomeColumn), ("value", valueColumn)] where index < 0 {
            fileProblems.append(.init(
                line: record.line, column: name,
                reason: "the header has no \(name) column; the file needs the columns id,outcome,value (one row per person and outcome)"))
        }
        if !ignored.isEmpty { warnings.append("ignored column\(ignored.count == 1 ? "" : "s"): \(ignored.joined(separator: ", "))") }
    }

    private func cell(_ record: CSVRecord, _ index: Int) -> String {
        index >= 0 && index < record.fields.count ? record.fields[index].trimmingCharacters(in: .whitespaces) : ""
    }

    /// Why an outcome name is refused, or nil when it is fine.
    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "the outcome is empty; name it, e.g. retained_12m" }
        if name.count > maximumNameLength { return "the outcome name is longer than \(maximumNameLength) characters; shorten it" }
        let allowed = name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "_-.".unicodeScalars.contains($0) }
        return allowed ? nil : "\"\(name)\" is not a valid outcome name; use letters, digits, _ - and . only, e.g. promoted_12m"
    }

    /// A finite number, or `true`/`false`/`yes`/`no` as 1 and 0.
    static func number(_ text: String) -> Double? {
        switch text.lowercased() {
        case "true", "yes": return 1
        case "false", "no": return 0
        default:
            guard let value = Double(text), value.isFinite else { return nil }
            return value
        }
    }
}
