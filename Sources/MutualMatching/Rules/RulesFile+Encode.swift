extension RulesFile {
    /// The rules as a complete rules document: every key is written, so a stored document
    /// means the same thing even if a model's defaults change later, and decoding it (for
    /// any model) gives back exactly these rules.
    public static func encode(_ rules: MatchRules) -> JSONValue {
        func optional(_ value: Int?) -> JSONValue { value.map { .int($0) } ?? .null }
        return .object([
            ("level_window", optional(rules.levelWindow)),
            ("shared_language", .bool(rules.requireSharedLanguage)),
            ("min_overlap_hours", optional(rules.minimumOverlapHours)),
            ("working_hours", .object([("start", .int(rules.workingHoursStart)), ("end", .int(rules.workingHoursEnd))])),
            ("forbid_reporting_line", .bool(rules.forbidReportingLine)),
            ("honour_exclusions", .bool(rules.honourExclusions)),
            ("history", .object([("mode", .string(rules.history.rawValue)), ("penalty_percent", .int(rules.historyPenaltyPercent))])),
            ("reciprocity", .int(rules.reciprocity)),
            ("teaching", .object([
                ("gap_values", .array(rules.gapValues.map { .int($0) })),
                ("related_credit_percent", .int(rules.relatedCreditPercent)),
                ("skills_counted", .int(rules.skillsCounted)),
            ])),
            ("skill_families", .object(rules.skillFamilies.map { ($0.name, .array($0.skills.map(JSONValue.string))) })),
            ("criteria", .object(MatchRules.Attribute.ordered.map { attribute in
                let criterion = rules.criterion(attribute)
                return (attribute.rawValue, .object([("prefer", .string(criterion.prefer.rawValue)), ("weight", .int(criterion.weight))]))
            })),
            ("odd_one_out", .string(rules.oddOneOut.rawValue)),
            ("candidates_per_person", optional(rules.candidatesPerPerson)),
            ("default_capacity", .int(rules.defaultCapacity)),
        ])
    }

    /// ``encode(_:)`` as text (pretty-printed, keys sorted): the same rules always give the same bytes.
    public static func encodeText(_ rules: MatchRules) -> String {
        JSONWriter.write(encode(rules))
    }
}
