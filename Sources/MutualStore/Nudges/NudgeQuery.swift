import Foundation
import SQLKit

/// What a nudge query gets: the time, the time zones whose morning it is, and each
/// programme's rules.
public struct NudgeQueryContext: Sendable {
    public let now: Date
    /// Profile time-zone names whose local hour is ``Store/nudgeMorningHour`` (`""` stands for UTC, the
    /// zone of a profile without one).
    public let morningZones: [String]
    /// Every programme's rules (defaults where none were saved).
    public let rules: [UUID: NudgeRules]

    /// The programmes whose rule is on, grouped by the time a thing must be older than
    /// (`now` minus the programme's days), so a query runs once per distinct threshold.
    public func thresholds(_ isOn: (NudgeRules) -> Bool, days: (NudgeRules) -> Int) -> [(programmes: [UUID], before: Date)] {
        var groups: [Int: [UUID]] = [:]
        for (programme, rules) in rules where isOn(rules) { groups[days(rules), default: []].append(programme) }
        return groups.sorted { $0.key < $1.key }.map { ($0.value, now.addingTimeInterval(-Double($0.key) * 86_400)) }
    }

    /// `IN (…)` of these values, for a query's `WHERE`.
    public static func list<Value: Encodable & Sendable>(_ values: [Value]) -> SQLQueryString {
        "(" + values.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")"
    }
}

/// One kind of nudge: the SQL that finds who should get it this morning. The built-in ones are
/// ``Store/nudgeQueries``; a capability adds its own there (the goals capability's milestones).
public struct NudgeQuery: Sendable {
    public let kind: NudgeKind
    public let find: @Sendable (NudgeQueryContext, any SQLDatabase) async throws -> [NudgeFinding]

    public init(kind: NudgeKind, find: @escaping @Sendable (NudgeQueryContext, any SQLDatabase) async throws -> [NudgeFinding]) {
        self.kind = kind
        self.find = find
    }
}
