/// Decodes a rules file strictly: every key must be known (a typo names the closest known
/// key), every value must have the right type and range. A rules file silently ignoring a
/// misspelt `level_windw` would match people under rules nobody chose.
///
/// The format (all keys optional; defaults depend on the model):
/// ```json
/// {
///   "level_window": 1,                 // max |level difference|, null = off
///   "shared_language": true,
///   "min_overlap_hours": 2,            // null = off
///   "working_hours": {"start": 9, "end": 17},
///   "forbid_reporting_line": true,
///   "honour_exclusions": true,
///   "history": {"mode": "forbid", "penalty_percent": 50},   // mode: forbid | penalise
///   "reciprocity": 70,                 // 0 one-way is fine … 100 both must learn
///   "teaching": {"gap_values": [100, 90, 55, 30, 15], "related_credit_percent": 0, "skills_counted": 3},
///   "skill_families": {"data": ["SQL", "Python"]},
///   "criteria": {"department": {"prefer": "different", "weight": 10}},  // similar | different | ignore
///   "odd_one_out": "leave_out",        // leave_out | triad
///   "candidates_per_person": null,
///   "default_capacity": 1
/// }
/// ```
public enum RulesFile {
    /// The keys a rules file may contain, for help texts and suggestions.
    public static let topLevelKeys = [
        "level_window", "shared_language", "min_overlap_hours", "working_hours", "forbid_reporting_line",
        "honour_exclusions", "history", "reciprocity", "teaching", "skill_families", "criteria",
        "odd_one_out", "candidates_per_person", "default_capacity",
    ]

    /// Parses and validates a rules document, starting from the model's defaults.
    public static func decode(_ text: String, model: MatchModel) throws(RulesError) -> MatchRules {
        let document: JSONValue
        do {
            document = try JSONParser.parse(text)
        } catch {
            throw RulesError(path: "", reason: "not valid JSON: \(error.description)")
        }
        return try decode(document, model: model)
    }

    /// Validates an already parsed document.
    public static func decode(_ document: JSONValue, model: MatchModel) throws(RulesError) -> MatchRules {
        var rules = MatchRules.defaults(for: model)
        var root = try StrictObject(document, path: "", allowed: topLevelKeys)
        if let value = root.take("level_window") { rules.levelWindow = try optionalInt(value, "level_window", 0...100) }
        if let value = root.take("shared_language") { rules.requireSharedLanguage = try bool(value, "shared_language") }
        if let value = root.take("min_overlap_hours") { rules.minimumOverlapHours = try optionalInt(value, "min_overlap_hours", 0...24) }
        if let value = root.take("working_hours") {
            var hours = try StrictObject(value, path: "working_hours", allowed: ["start", "end"])
            if let start = hours.take("start") { rules.workingHoursStart = try int(start, "working_hours.start", 0...23) }
            if let end = hours.take("end") { rules.workingHoursEnd = try int(end, "working_hours.end", 1...24) }
            guard rules.workingHoursEnd > rules.workingHoursStart else {
                throw RulesError(path: "working_hours", reason: "end must be after start")
            }
        }
        if let value = root.take("forbid_reporting_line") { rules.forbidReportingLine = try bool(value, "forbid_reporting_line") }
        if let value = root.take("honour_exclusions") { rules.honourExclusions = try bool(value, "honour_exclusions") }
        if let value = root.take("history") {
            var history = try StrictObject(value, path: "history", allowed: ["mode", "penalty_percent"])
            if let mode = history.take("mode") { rules.history = try choice(mode, "history.mode", MatchRules.HistoryPolicy.self) }
            if let penalty = history.take("penalty_percent") { rules.historyPenaltyPercent = try int(penalty, "history.penalty_percent", 0...100) }
        }
        if let value = root.take("reciprocity") { rules.reciprocity = try int(value, "reciprocity", 0...100) }
        if let value = root.take("teaching") {
            var teaching = try StrictObject(value, path: "teaching", allowed: ["gap_values", "related_credit_percent", "skills_counted"])
            if let gaps = teaching.take("gap_values") {
                guard case .array(let items) = gaps, (1...5).contains(items.count) else {
                    throw RulesError(path: "teaching.gap_values", reason: "expected a list of 1 to 5 numbers (value for 1, 2, … levels ahead)")
                }
                var values: [Int] = []
                for (index, item) in items.enumerated() {
                    values.append(try int(item, "teaching.gap_values[\(index)]", 0...1000))
                }
                rules.gapValues = values
            }
            if let credit = teaching.take("related_credit_percent") { rules.relatedCreditPercent = try int(credit, "teaching.related_credit_percent", 0...100) }
            if let counted = teaching.take("skills_counted") { rules.skillsCounted = try int(counted, "teaching.skills_counted", 1...10) }
        }
        if let value = root.take("skill_families") {
            guard case .object(let members) = value else {
                throw RulesError(path: "skill_families", reason: "expected an object of family name → list of skills, found \(value.kindName)")
            }
            var families: [SkillFamily] = []
            var owner: [String: String] = [:]
            for (name, skills) in members {
                guard case .array(let items) = skills else {
                    throw RulesError(path: "skill_families.\(name)", reason: "expected a list of skill names, found \(skills.kindName)")
                }
                var names: [String] = []
                for (index, item) in items.enumerated() {
                    guard case .string(let skill) = item, !SkillSlug.make(skill).isEmpty else {
                        throw RulesError(path: "skill_families.\(name)[\(index)]", reason: "expected a skill name")
                    }
                    let slug = SkillSlug.make(skill)
                    if let other = owner[slug], other != name {
                        throw RulesError(path: "skill_families.\(name)", reason: "\"\(skill)\" is already in family \"\(other)\"; a skill belongs to one family")
                    }
                    owner[slug] = name
                    names.append(skill)
                }
                families.append(SkillFamily(name: name, skills: names))
            }
            rules.skillFamilies = families.sorted { $0.name < $1.name }
        }
        if let value = root.take("criteria") {
            var criteria = try StrictObject(value, path: "criteria", allowed: MatchRules.Attribute.allCases.map(\.rawValue))
            for attribute in MatchRules.Attribute.allCases {
                guard let entry = criteria.take(attribute.rawValue) else { continue }
                let path = "criteria.\(attribute.rawValue)"
                var object = try StrictObject(entry, path: path, allowed: ["prefer", "weight"])
                var criterion = rules.criterion(attribute)
                if let prefer = object.take("prefer") { criterion.prefer = try choice(prefer, path + ".prefer", MatchRules.Preference.self) }
                if let weight = object.take("weight") { criterion.weight = try int(weight, path + ".weight", 0...100) }
                try object.finish()
                rules.setCriterion(attribute, criterion)
            }
            try criteria.finish()
        }
        if let value = root.take("odd_one_out") { rules.oddOneOut = try choice(value, "odd_one_out", MatchRules.OddOneOutPolicy.self) }
        if let value = root.take("candidates_per_person") { rules.candidatesPerPerson = try optionalInt(value, "candidates_per_person", 1...1000) }
        if let value = root.take("default_capacity") { rules.defaultCapacity = try int(value, "default_capacity", 0...100) }
        try root.finish()
        return rules
    }

    private static func int(_ value: JSONValue, _ path: String, _ range: ClosedRange<Int>) throws(RulesError) -> Int {
        guard case .number(let literal) = value, let number = Int(literal) else {
            throw RulesError(path: path, reason: "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \(describe(value))")
        }
        guard range.contains(number) else {
            throw RulesError(path: path, reason: "\(number) is out of range; use \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    private static func optionalInt(_ value: JSONValue, _ path: String, _ range: ClosedRange<Int>) throws(RulesError) -> Int? {
        if value == .null { return nil }
        return try int(value, path, range)
    }

    private static func bool(_ value: JSONValue, _ path: String) throws(RulesError) -> Bool {
        guard case .bool(let flag) = value else { throw RulesError(path: path, reason: "expected true or false, found \(describe(value))") }
        return flag
    }

    private static func choice<Choice: RawRepresentable & CaseIterable>(
        _ value: JSONValue, _ path: String, _ type: Choice.Type
    ) throws(RulesError) -> Choice where Choice.RawValue == String {
        let options = Choice.allCases.map(\.rawValue)
        guard case .string(let text) = value else {
            throw RulesError(path: path, reason: "expected one of \(options.joined(separator: ", ")), found \(describe(value))")
        }
        guard let result = Choice(rawValue: text) else {
            var reason = "\"\(text)\" is not one of \(options.joined(separator: ", "))"
            if let guess = closest(to: text, in: options) { reason += "; did you mean \"\(guess)\"?" }
            throw RulesError(path: path, reason: reason)
        }
        return result
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .number(let literal): literal
        case .string(let text): "\"\(text)\""
        case .bool(let flag): flag ? "true" : "false"
        default: value.kindName
        }
    }

    /// The known name nearest to a typo (edit distance at most a third of its length).
    static func closest(to text: String, in options: [String]) -> String? {
        let scored = options.map { ($0, editDistance(text.lowercased(), $0)) }.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        guard let (best, distance) = scored, distance <= max(2, best.count / 3) else { return nil }
        return best
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// An object whose keys are consumed one by one; ``finish()`` rejects any left over.
    struct StrictObject {
        private var members: [(String, JSONValue)]
        private let path: String
        private let allowed: [String]

        init(_ value: JSONValue, path: String, allowed: [String]) throws(RulesError) {
            guard case .object(let members) = value else {
                throw RulesError(path: path, reason: "expected an object, found \(value.kindName)")
            }
            self.members = members
            self.path = path
            self.allowed = allowed
            // Report unknown keys before any value error, since a typo explains the rest.
            for (key, _) in members where !allowed.contains(key) {
                let location = path.isEmpty ? key : "\(path).\(key)"
                var reason = "unknown key \"\(key)\""
                if let guess = RulesFile.closest(to: key, in: allowed) { reason += "; did you mean \"\(guess)\"?" } else {
                    reason += "; known keys: \(allowed.joined(separator: ", "))"
                }
                throw RulesError(path: location, reason: reason)
            }
        }

        mutating func take(_ key: String) -> JSONValue? {
            guard let index = members.firstIndex(where: { $0.0 == key }) else { return nil }
            return members.remove(at: index).1
        }

        func finish() throws(RulesError) {
            if let (key, _) = members.first {
                throw RulesError(path: path.isEmpty ? key : "\(path).\(key)", reason: "unknown key \"\(key)\"")
            }
        }
    }
}
