/// What to do when some rows of a people file are wrong. There is no default hidden in the
/// store: every caller says which it means, and the report says which happened.
public enum PeopleImportMode: String, Sendable, Codable, CaseIterable {
    /// One transaction: if any row is rejected, nothing is written.
    case allOrNothing = "all_or_nothing"
    /// Every valid row is written; each invalid row is rejected whole (never half a person).
    case validRows = "valid_rows"
}

/// How to run one import.
public struct PeopleImportOptions: Sendable {
    public var mode: PeopleImportMode
    /// Work out what would be created, changed and rejected, and write nothing.
    public var dryRun: Bool
    /// People per multi-row INSERT; 500 keeps a statement under SQLite's bound-parameter limit.
    public var batchSize: Int

    public init(mode: PeopleImportMode, dryRun: Bool = false, batchSize: Int = 500) {
        self.mode = mode
        self.dryRun = dryRun
        self.batchSize = max(1, batchSize)
    }
}

/// How far an import has got, for progress bars.
public struct PeopleImportProgress: Sendable {
    public enum Phase: String, Sendable {
        /// Reading and checking rows.
        case reading
        /// Checking managers, loops and emails against the organisation.
        case checking
        /// Comparing with the database and writing.
        case writing
    }

    public var phase: Phase
    public var bytesRead: Int
    public var rowsRead: Int
    /// Rows compared or written so far in the writing phase.
    public var rowsWritten: Int
}
