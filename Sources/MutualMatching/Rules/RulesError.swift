/// A problem in a rules file: where (a dotted path such as `criteria.department.prefer`)
/// and what to write instead.
public struct RulesError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The dotted path of the offending key, or empty for the whole file.
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String {
        path.isEmpty ? "rules file: \(reason)" : "rules file, \(path): \(reason)"
    }
}
