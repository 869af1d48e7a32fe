import Foundation
import Hummingbird
import MutualStore

/// A programme's nudge rules page (`/programmes/:id/nudges`): which morning reminders go out,
/// after how many days, and whether silent relationships close by themselves.
struct NudgeRulesPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/programmes/:id/nudges", role: .programmeManager, show)
        routes.member(.post, "/programmes/:id/nudges", role: .programmeManager, save)
    }

    struct NudgeRulesPage {
        let page: PageChrome
        let id: String, programme: String
        let firstMeeting: Bool, firstMeetingDays: String, quiet: Bool, quietDays: String, requests: Bool
        let agreement: Bool, agreementDays: String, milestones: Bool, closeSilent: Bool
        let silenceDays: Int, closeAfterDays: Int, morningHour: Int, minDays: Int, maxDays: Int
        var notice = "", error = "", errorField = ""
    }

    private func render(_ context: SignedInContext, id: UUID, rules: NudgeRules, days: [String: String] = [:], notice: String = "",
                        error: StoreError? = nil) async throws -> Response {
        let programme = try await store.programme(id: id, of: context.identity).draft
        let page = NudgeRulesPage(
            page: pages.chrome(title: "Nudge rules", context: context, current: "programmes"), id: id.uuidString, programme: programme.name,
            firstMeeting: rules.firstMeeting, firstMeetingDays: days["first_meeting_days"] ?? String(rules.firstMeetingDays), quiet: rules.quiet,
            quietDays: days["quiet_days"] ?? String(rules.quietDays), requests: rules.requests, agreement: rules.agreement,
            agreementDays: days["agreement_days"] ?? String(rules.agreementDays), milestones: rules.milestones, closeSilent: rules.closeSilent,
            silenceDays: Store.silenceDays, closeAfterDays: Store.silenceDays + Store.silenceGraceDays, morningHour: Store.nudgeMorningHour,
            minDays: NudgeRules.dayRange.lowerBound, maxDays: NudgeRules.dayRange.upperBound, notice: notice,
            error: error?.errorDescription ?? "", errorField: error?.field ?? "")
        return try pages.render("nudge-rules", page, status: error.map { APIProblem($0).status } ?? .ok)
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        return try await render(context, id: id, rules: try await store.nudgeRules(for: id, of: context.identity))
    }

    @Sendable func save(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.nudgeRules(for: id, of: context.identity)
        let form = context.form
        var days: [String: String] = [:]
        for field in ["first_meeting_days", "quiet_days", "agreement_days"] { days[field] = form[field] ?? "" }
        var rules = NudgeRules(
            firstMeeting: form["first_meeting"] == "on", quiet: form["quiet"] == "on", requests: form["requests"] == "on",
            agreement: form["agreement"] == "on", milestones: form["milestones"] == "on", closeSilent: form["close_silent"] == "on")
        do {
            rules.firstMeetingDays = try Self.days(days["first_meeting_days"], field: "first_meeting_days")
            rules.quietDays = try Self.days(days["quiet_days"], field: "quiet_days")
            rules.agreementDays = try Self.days(days["agreement_days"], field: "agreement_days")
            try await store.updateNudgeRules(for: id, rules, by: context.identity)
        } catch let error as StoreError where error.isInputProblem {
            return try await render(context, id: id, rules: rules, days: days, error: error)
        }
        return try await render(context, id: id, rules: rules, notice: "Nudge rules saved.")
    }

    /// A whole number of days from a form field, or a message naming it.
    static func days(_ text: String?, field: String) throws -> Int {
        guard let value = Int((text ?? "").trimmingCharacters(in: .whitespaces)) else {
            throw StoreError.invalid(
                field: field,
                message: "Enter a whole number of days between \(NudgeRules.dayRange.lowerBound) and \(NudgeRules.dayRange.upperBound).")
        }
        return value
    }
}
