/// One record of a CSV file: its fields and the (1-based) physical line it starts on.
public struct CSVRecord: Sendable, Hashable {
    /// The decoded fields, quotes removed and `""` unescaped.
    public var fields: [String]
    /// The physical line on which the record starts; records with quoted newlines span
    /// several lines, and errors point at the first.
    public var line: Int

    public init(fields: [String], line: Int) {
        self.fields = fields
        self.line = line
    }
}
