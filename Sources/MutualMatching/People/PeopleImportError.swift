/// Everything wrong with a people CSV, each problem with its line, column and reason, so an
/// analyst can fix the export in one pass instead of one error per run.
public struct PeopleImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One problem in the file.
    public struct Issue: Sendable, Hashable, CustomStringConvertible {
        /// The 1-based physical line of the record.
        public var line: Int
        /// The column name (as in the contract), or `nil` for whole-record problems.
        public var column: String?
        public var reason: String

        public init(line: Int, column: String?, reason: String) {
            self.line = line
            self.column = column
            self.reason = reason
        }

        public var description: String {
            if let column { return "line \(line), column \(column): \(reason)" }
            return "line \(line): \(reason)"
        }
    }

    /// The problems found, in file order (at most ``PeopleCSVReader/maximumIssues``).
    public var issues: [Issue]

    public init(issues: [Issue]) { self.issues = issues }

    public var description: String {
        let shown = issues.map { "  " + $0.description }.joined(separator: "\n")
        return "the people file has \(issues.count) problem\(issues.count == 1 ? "" : "s"):\n" + shown
    }
}
