/// What an outcomes import did (or, for a dry run or a refused all-or-nothing import, would
/// have done), with every rejected row's line, column and reason, like the people import's.
public struct OutcomesImportReport: Sendable, Codable, Equatable {
    /// Rejected rows listed at most; the count is always exact.
    public static let listLimit = PeopleImportReport.listLimit

    public var mode: PeopleImportMode
    public var dryRun: Bool
    public var outcome: PeopleImportReport.Outcome
    /// Data rows read (the header not counted).
    public var rowsRead = 0
    /// Values that were new for the person and outcome.
    public var created = 0
    /// Values that replaced a different earlier value.
    public var changed = 0
    /// Values equal to the stored ones.
    public var unchanged = 0
    public var rejectedCount = 0
    public var rejected: [PeopleImportReport.RejectedRow] = []
    /// Problems with the file as a whole; nothing is imported when there are any.
    public var fileProblems: [PeopleImportReport.Problem] = []
    public var warnings: [String] = []
    /// The outcome names the file holds, sorted.
    public var outcomes: [String] = []

    public init(mode: PeopleImportMode, dryRun: Bool) {
        self.mode = mode
        self.dryRun = dryRun
        outcome = dryRun ? .dryRun : .imported
    }

    /// One sentence saying what happened.
    public var summary: String {
        let counts = "\(created) created, \(changed) changed, \(unchanged) unchanged, \(rejectedCount) rejected"
        if !fileProblems.isEmpty {
            return "Nothing was imported: the file could not be read (\(fileProblems.count) problem\(fileProblems.count == 1 ? "" : "s"))."
        }
        switch outcome {
        case .dryRun: return "Dry run, nothing written. Importing would give: \(counts)."
        case .nothingWritten:
            return "Nothing was imported: \(rejectedCount) row\(rejectedCount == 1 ? " was" : "s were") rejected and the import was all-or-nothing. Fix the rows or import with valid rows only. Would have given: \(counts)."
        case .imported:
            if mode == .validRows && rejectedCount > 0 { return "Imported the valid rows only: \(counts). The rejected rows were skipped." }
            return "Imported: \(counts)."
        }
    }

    mutating func reject(_ row: PeopleImportReport.RejectedRow) {
        rejectedCount += 1
        if rejected.count < Self.listLimit { rejected.append(row) }
    }

    enum CodingKeys: String, CodingKey {
        case mode, outcome, created, changed, unchanged, rejected, warnings, outcomes, summary
        case dryRun = "dry_run", rowsRead = "rows_read", rejectedCount = "rejected_count", fileProblems = "file_problems"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mode = try container.decode(PeopleImportMode.self, forKey: .mode)
        dryRun = try container.decode(Bool.self, forKey: .dryRun)
        outcome = try container.decode(PeopleImportReport.Outcome.self, forKey: .outcome)
        rowsRead = try container.decode(Int.self, forKey: .rowsRead)
        created = try container.decode(Int.self, forKey: .created)
        changed = try container.decode(Int.self, forKey: .changed)
        unchanged = try container.decode(Int.self, forKey: .unchanged)
        rejectedCount = try container.decode(Int.self, forKey: .rejectedCount)
        rejected = try container.decode([PeopleImportReport.RejectedRow].self, forKey: .rejected)
        fileProblems = try container.decode([PeopleImportReport.Problem].self, forKey: .fileProblems)
        warnings = try container.decode([String].self, forKey: .warnings)
        outcomes = try container.decode([String].self, forKey: .outcomes)
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
        try container.encode(rejected, forKey: .rejected)
        try container.encode(fileProblems, forKey: .fileProblems)
        try container.encode(warnings, forKey: .warnings)
        try container.encode(outcomes, forKey: .outcomes)
        try container.encode(summary, forKey: .summary)
    }
}
