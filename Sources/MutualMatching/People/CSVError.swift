/// A structural error in a CSV file, with the line it was found on.
public struct CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The physical, 1-based line on which the problem was found.
    public var line: Int
    /// The 1-based field number within the record.
    public var field: Int
    /// What was wrong and how to fix it.
    public var reason: String

    public init(line: Int, field: Int, reason: String) {
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String { "line \(line), field \(field): \(reason)" }
}
