import Foundation
import Hummingbird
import MutualMatching
import MutualStore

/// The rules editor: what makes a good match in this programme, in a programme manager's
/// words, with the effect of the rules on the current pool shown before anything is saved.
struct RulesPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/programmes/:id/rules", role: .programmeManager, show)
        routes.member(.post, "/programmes/:id/rules", role: .programmeManager, submit)
    }

    struct Option { let value: String, label: String, selected: Bool }
    struct CriterionRow { let attribute: String, label: String, hint: String, options: [Option], weight: String, error: String }
    struct FieldError { let field: String, message: String }
    /// Each field's message, for showing next to the field.
    struct FieldErrors {
        let levelWindow: String, minimumOverlap: String, workingHours: String, history: String, historyPenalty: String
        let reciprocity: String, oddOneOut: String
    }
    struct RulesModel {
        let page: PageChrome
        let id: String, programmeName: String, isDefault: Bool, groups: Bool
        let criteria: [CriterionRow]
        let levelWindow: String, sharedLanguage: Bool, minimumOverlap: String, workingStart: String, workingEnd: String
        let forbidReportingLine: Bool, honourExclusions: Bool, historyForbid: Bool, historyPenalty: String
        let reciprocity: String, oddLeaveOut: Bool
        let errors: [FieldError], hasErrors: Bool
        let error: FieldErrors
        let effect: String, effectDetail: String, hasEffect: Bool
        var status = ""
    }

    static let attributeLabels: [MatchRules.Attribute: (String, String)] = [
        .department: ("Department", "the same team, or people from other parts of the organisation"),
        .company: ("Company", "for organisations with several companies"),
        .level: ("Seniority level", "how close in seniority partners are"),
        .timezone: ("Time zone", "how much their working hours overlap"),
        .language: ("Languages", "how many languages they share"),
        .interests: ("Interests", "the interests they listed"),
    ]

    static let preferenceLabels: [(MatchRules.Preference, String)] = [
        (.similar, "Prefer alike"), (.different, "Prefer different"), (.ignore, "Does not matter"),
    ]

    /// The form as typed: raw strings, so a wrong value is shown back as it was entered.
    struct Values {
        var prefer: [MatchRules.Attribute: String] = [:]
        var weight: [MatchRules.Attribute: String] = [:]
        var levelWindow = "", sharedLanguage = true, minimumOverlap = "", workingStart = "9", workingEnd = "17"
        var forbidReportingLine = true, honourExclusions = true, history = "forbid", historyPenalty = "50"
        var reciprocity = "70", oddOneOut = "leave_out"

        init(_ rules: MatchRules) {
            for attribute in MatchRules.Attribute.allCases {
                prefer[attribute] = rules.criterion(attribute).prefer.rawValue
                weight[attribute] = String(rules.criterion(attribute).weight)
            }
            levelWindow = rules.levelWindow.map(String.init) ?? ""
            sharedLanguage = rules.requireSharedLanguage
            minimumOverlap = rules.minimumOverlapHours.map(String.init) ?? ""
            workingStart = String(rules.workingHoursStart)
            workingEnd = String(rules.workingHoursEnd)
            forbidReportingLine = rules.forbidReportingLine
            honourExclusions = rules.honourExclusions
            history = rules.history.rawValue
            historyPenalty = String(rules.historyPenaltyPercent)
            reciprocity = String(rules.reciprocity)
            oddOneOut = rules.oddOneOut.rawValue
        }

        init(form: FormFields) {
            let text = { (name: String) in (form[name] ?? "").trimmingCharacters(in: .whitespaces) }
            for attribute in MatchRules.Attribute.allCases {
                prefer[attribute] = text("prefer_\(attribute.rawValue)")
                weight[attribute] = text("weight_\(attribute.rawValue)")
            }
            levelWindow = text("level_window")
            sharedLanguage = form["shared_language"] != nil
            minimumOverlap = text("min_overlap_hours")
            workingStart = text("working_hours_start")
            workingEnd = text("working_hours_end")
            forbidReportingLine = form["forbid_reporting_line"] != nil
            honourExclusions = form["honour_exclusions"] != nil
            history = text("history")
            historyPenalty = text("history_penalty")
            reciprocity = text("reciprocity")
            oddOneOut = text("odd_one_out")
        }

        /// The rules, starting from `base` for what the form does not show; or every field's problem.
        func rules(base: MatchRules) -> (MatchRules, [FieldError]) {
            var rules = base
            var errors: [FieldError] = []
            func number(_ value: String, _ field: String, _ label: String, _ range: ClosedRange<Int>, emptyMeans: String? = nil) -> Int?? {
                if value.isEmpty {
                    if emptyMeans != nil { return .some(nil) }
                    errors.append(FieldError(field: field, message: "\(label): enter a whole number from \(range.lowerBound) to \(range.upperBound)."))
                    return nil
                }
                guard let number = Int(value) else {
                    let empty = emptyMeans.map { ", or leave it empty \($0)" } ?? ""
                    errors.append(FieldError(field: field, message: "\(label): \"\(value)\" is not a whole number. Enter a number from \(range.lowerBound) to \(range.upperBound)\(empty)."))
                    return nil
                }
                guard range.contains(number) else {
                    let empty = emptyMeans.map { ", or leave it empty \($0)" } ?? ""
                    errors.append(FieldError(field: field, message: "\(label): \(number) is out of range. Enter a number from \(range.lowerBound) to \(range.upperBound)\(empty)."))
                    return nil
                }
                return .some(number)
            }
            for attribute in MatchRules.Attribute.allCases {
                let label = RulesPages.attributeLabels[attribute]?.0 ?? attribute.rawValue
                var criterion = rules.criterion(attribute)
                if let preference = MatchRules.Preference(rawValue: prefer[attribute] ?? "") {
                    criterion.prefer = preference
                } else {
                    errors.append(FieldError(field: "prefer_\(attribute.rawValue)", message: "\(label): choose prefer alike, prefer different, or does not matter."))
                }
                if let weight = number(weight[attribute] ?? "", "weight_\(attribute.rawValue)", "\(label) weight", 0...100) {
                    criterion.weight = weight ?? 0
                }
                rules.setCriterion(attribute, criterion)
            }
            if let window = number(levelWindow, "level_window", "Seniority levels apart", 0...20, emptyMeans: "for no limit") { rules.levelWindow = window }
            rules.requireSharedLanguage = sharedLanguage
            if let overlap = number(minimumOverlap, "min_overlap_hours", "Overlapping working hours", 0...24, emptyMeans: "for no minimum") {
                rules.minimumOverlapHours = overlap
            }
            let start = number(workingStart, "working_hours_start", "Working day starts at", 0...23)
            let end = number(workingEnd, "working_hours_end", "Working day ends at", 1...24)
            if let start = start ?? nil, let end = end ?? nil {
                if end > start {
                    rules.workingHoursStart = start
                    rules.workingHoursEnd = end
                } else {
                    errors.append(FieldError(field: "working_hours_end", message: "Working day ends at: \(end):00 is not after the start (\(start):00). Enter an end hour later than the start."))
                }
            }
            if let overlap = rules.minimumOverlapHours, overlap > rules.workingHoursEnd - rules.workingHoursStart, !errors.contains(where: { $0.field.hasPrefix("working_hours") }) {
                errors.append(FieldError(
                    field: "min_overlap_hours",
                    message: "Overlapping working hours: \(overlap) h is longer than the working day (\(rules.workingHoursEnd - rules.workingHoursStart) h), so nobody could be matched. Enter at most \(rules.workingHoursEnd - rules.workingHoursStart), or leave it empty."))
            }
            rules.forbidReportingLine = forbidReportingLine
            rules.honourExclusions = honourExclusions
            if let policy = MatchRules.HistoryPolicy(rawValue: history) {
                rules.history = policy
            } else {
                errors.append(FieldError(field: "history", message: "Previous partners: choose whether they may never be matched again or only score lower."))
            }
            if let penalty = number(historyPenalty, "history_penalty", "Score reduction for previous partners", 0...100) { rules.historyPenaltyPercent = penalty ?? 0 }
            if let reciprocity = number(reciprocity, "reciprocity", "How much both should learn", 0...100) { rules.reciprocity = reciprocity ?? 0 }
            if let policy = MatchRules.OddOneOutPolicy(rawValue: oddOneOut) {
                rules.oddOneOut = policy
            } else {
                errors.append(FieldError(field: "odd_one_out", message: "The odd one out: choose to leave them unmatched or to add them to a pair."))
            }
            return (rules, errors)
        }
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let current = try await store.programmeRules(programmeID: id, by: context.identity)
        let effect = try await store.rulesEffect(current.rules, programmeID: id, by: context.identity)
        return try pages.render("rules", try await model(context, id: id, values: Values(current.rules), isDefault: current.isDefault, errors: [], effect: effect))
    }

    @Sendable func submit(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let current = try await store.programmeRules(programmeID: id, by: context.identity)
        let values = Values(form: context.form)
        let (rules, errors) = values.rules(base: current.rules)
        guard errors.isEmpty else {
            var model = try await model(context, id: id, values: values, isDefault: current.isDefault, errors: errors, effect: nil)
            model.status = ""
            return try pages.render("rules", model, status: .unprocessableContent)
        }
        let effect = try await store.rulesEffect(rules, programmeID: id, by: context.identity)
        if context.form["action"] == "save" {
            try await store.setProgrammeRules(rules, programmeID: id, by: context.identity)
            var model = try await model(context, id: id, values: Values(rules), isDefault: false, errors: [], effect: effect)
            model.status = "Saved. Match runs from now on use these rules, and each run records the rules it used."
            return try pages.render("rules", model)
        }
        var model = try await model(context, id: id, values: values, isDefault: current.isDefault, errors: [], effect: effect)
        model.status = "Not saved yet: this is the effect of the rules below. Save them to use them in the next run."
        return try pages.render("rules", model)
    }

    private func model(
        _ context: SignedInContext, id: UUID, values: Values, isDefault: Bool, errors: [FieldError], effect: RulesEffect?
    ) async throws -> RulesModel {
        let programme = try await store.programme(id: id, of: context.identity)
        var error: [String: String] = [:]
        for entry in errors where error[entry.field] == nil { error[entry.field] = entry.message }
        let criteria = MatchRules.Attribute.allCases.map { attribute in
            let (label, hint) = Self.attributeLabels[attribute] ?? (attribute.rawValue, "")
            return CriterionRow(
                attribute: attribute.rawValue, label: label, hint: hint,
                options: Self.preferenceLabels.map { Option(value: $0.0.rawValue, label: $0.1, selected: values.prefer[attribute] == $0.0.rawValue) },
                weight: values.weight[attribute] ?? "", error: error["prefer_\(attribute.rawValue)"] ?? error["weight_\(attribute.rawValue)"] ?? "")
        }
        let (headline, detail) = effect.map(Self.effectText) ?? ("", "")
        return RulesModel(
            page: pages.chrome(title: "Matching rules", context: context, current: "programmes"), id: id.uuidString,
            programmeName: programme.draft.name, isDefault: isDefault, groups: programme.draft.model == .groups, criteria: criteria,
            levelWindow: values.levelWindow, sharedLanguage: values.sharedLanguage, minimumOverlap: values.minimumOverlap,
            workingStart: values.workingStart, workingEnd: values.workingEnd, forbidReportingLine: values.forbidReportingLine,
            honourExclusions: values.honourExclusions, historyForbid: values.history != "penalise", historyPenalty: values.historyPenalty,
            reciprocity: values.reciprocity, oddLeaveOut: values.oddOneOut != "triad", errors: errors, hasErrors: !errors.isEmpty,
            error: FieldErrors(
                levelWindow: error["level_window"] ?? "", minimumOverlap: error["min_overlap_hours"] ?? "",
                workingHours: error["working_hours_start"] ?? error["working_hours_end"] ?? "", history: error["history"] ?? "",
                historyPenalty: error["history_penalty"] ?? "", reciprocity: error["reciprocity"] ?? "", oddOneOut: error["odd_one_out"] ?? ""),
            effect: headline, effectDetail: detail, hasEffect: effect != nil)
    }

    /// "With these rules, 412 of 430 people can be matched", and how that was worked out.
    static func effectText(_ effect: RulesEffect) -> (String, String) {
        let headline = "With these rules, \(effect.matched) of \(effect.pool) people can be matched."
        var detail = "Worked out with the engine's quick preview \(effect.previewedAsPairs ? "(as pairs) " : "")on the people the next run would include"
        detail += effect.pool == effect.enrolled
            ? " (everyone enrolled, \(effect.enrolled))."
            : " (\(effect.enrolled) enrolled, \(effect.enrolled - effect.pool) of them already in a match)."
        if effect.withoutPartner > 0 {
            detail += " \(effect.withoutPartner) \(effect.withoutPartner == 1 ? "has" : "have") no allowed partner with anything to learn or teach with them."
        }
        detail += " The full run maximises the total score exactly, so its count can differ a little."
        return (headline, detail)
    }
}
