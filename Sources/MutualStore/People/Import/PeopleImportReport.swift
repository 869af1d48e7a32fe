/// What an import did (or, for a dry run or a refused all-or-nothing import, would have done).
/// Counts are exact; the lists of ids and rejected rows stop at ``listLimit`` so a report on a
/// 100,000-row file stays small.
public struct PeopleImportReport: Sendable, Codable, Equatable {
    /// How many ids and rejected rows the report lists at most.
    public static let listLimit = 1_000

    public enum Outcome: String, Sendable, Codable, CaseIterable {
        /// The valid rows were written (in `valid_rows` mode, rejected rows were skipped).
        case imported
        /// A dry run: nothing was written, as asked.
        case dryRun = "dry_run"
        /// Nothing was written: the import was all-or-nothing and some row was rejected, or the
        /// file itself could not be read (see `fileProblems`).
        case nothingWritten = "nothing_written"
    }

    /// One problem: where it is and what is wrong.
    public struct Problem: Sendable, Codable, Hashable, CustomStringConvertible {
        /// The 1-based physical line of the row (its first line when a quoted field spans several).
        public var line: Int
        /// The column in contract terms (`id`, `manager_id`, …), or nil for whole-row problems.
        public var column: String?
        public var reason: String

        public init(line: Int, column: String?, reason: String) {
            self.line = line
            self.column = column
            self.reason = reason
        }

        public var description: String {
            column.map { "line \(line), column \($0): \(reason)" } ?? "line \(line): \(reason)"
        }
    }

    /// A row that was not imported, with every reason.
    public struct RejectedRow: Sendable, Codable, Hashable {
        public var line: Int
        /// The row's id, when it could be read.
        public var id: String
        public var problems: [Problem]
    }

    public var mode: PeopleImportMode
    public var dryRun: Bool
    public var outcome: Outcome
    /// Data rows read (the header not counted).
    public var rowsRead = 0
    public var created = 0
    public var changed = 0
    public var unchanged = 0
    public var rejectedCount = 0
    /// Ids of created (or, in a dry run, to-be-created) people, in file order.
    public var createdIDs: [String] = []
    /// Ids of changed people, in file order.
    public var changedIDs: [String] = []
    /// Rejected rows in line order.
    public var rejected: [RejectedRow] = []
    /// Problems with the file as a whole (no id column, a quote never closed); nothing is
    /// imported when there are any.
    public var fileProblems: [Problem] = []
    /// Non-fatal notes, such as unknown columns that were ignored.
    public var warnings: [String] = []
    /// Skills that were not in the taxonomy and were (or would be) added as "Uncategorised".
    public var newSkills: [String] = []

    public init(mode: PeopleImportMode, dryRun: Bool) {
        self.mode = mode
        self.dryRun = dryRun
        self.outcome = dryRun ? .dryRun : .imported
    }

    /// Whether anything was written to the database.
    public var wroteChanges: Bool { outcome == .imported && created + changed > 0 }

    /// One sentence saying what happened, for the command line and the result page.
    public var summary: String {
        let counts = "\(created) created, \(changed) changed, \(unchanged) unchanged, \(rejectedCount) rejected"
        if !fileProblems.isEmpty {
            return "Nothing was imported: the file could not be read (\(fileProblems.count) problem\(fileProblems.count == 1 ? "" : "s"))."
        }
        switch outcome {
        case .dryRun:
            return "Dry run, nothing written. Importing would give: \(counts)."
        case .nothingWritten:
            return "Nothing was imported: \(rejectedCount) row\(rejectedCount == 1 ? " was" : "s were") rejected and the import was all-or-nothing. Fix the rows or import with valid rows only. Would have given: \(counts)."
        case .imported:
            if mode == .validRows && rejectedCount > 0 {
                return "Imported the valid rows only: \(counts). The rejected rows were skipped whole."
            }
            return "Imported: \(counts)."
        }
    }

    mutating func reject(line: Int, id: String, problems: [Problem]) {
        rejectedCount += 1
        if rejected.count < Self.listLimit {
            rejected.append(RejectedRow(line: line, id: id, problems: problems))
        }
    }

    enum CodingKeys: String, CodingKey {
        case mode, outcome, created, changed, unchanged, rejected, warnings, summary
        case dryRun = "dry_run", rowsRead = "rows_read", rejectedCount = "rejected_count"
        case createdIDs = "created_ids", changedIDs = "changed_ids", fileProblems = "file_problems"
        case newSkills = "new_skills"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mode = try container.decode(PeopleImportMode.self, forKey: .mode)
        dryRun = try container.decode(Bool.self, forKey: .dryRun)
        outcome = try container.decode(Outcome.self, forKey: .outcome)
        rowsRead = try container.decode(Int.self, forKey: .rowsRead)
        created = try container.decode(Int.self, forKey: .created)
        changed = try container.decode(Int.self, forKey: .changed)
        unchanged = try container.decode(Int.self, forKey: .unchanged)
        rejectedCount = try container.decode(Int.self, forKey: .rejectedCount)
        createdIDs = try container.decode([String].self, forKey: .createdIDs)
        changedIDs = try container.decode([String].self, forKey: .changedIDs)
        rejected = try container.decode([RejectedRow].self, forKey: .rejected)
        fileProblems = try container.decode([Problem].self, forKey: .fileProblems)
        warnings = try container.decode([String].self, forKey: .warnings)
        newSkills = try container.decode([String].self, forKey: .newSkills)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mode, forKey: .mode)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(outcome, forKey: .outcome)
        try container.encode(rowsRead, forKey: .rowsRead)
        try container.encode(created, forKey: .created)
        try container.encode(changed, forKey: .changed)
        try container.encode(unchanged, forKey: .unchanged)
        try container.encode(rejectedCount, forKey: .rejectedCount)
        try container.encode(createdIDs, forKey: .createdIDs)
        try container.encode(changedIDs, forKey: .changedIDs)
        try container.encode(rejected, forKey: .rejected)
        try container.encode(fileProblems, forKey: .fileProblems)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(newSkills, forKey: .newSkills)
        try container.encode(summary, forKey: .summary)
    }
}
