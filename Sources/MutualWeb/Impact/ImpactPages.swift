import Foundation
import Hummingbird
import MutualImpact
import MutualStore

/// A programme's Impact page: for each HR outcome, participants against matched colleagues
/// who were never in the programme, with charts, their data as tables, and the caveats.
struct ImpactPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/programmes/:id/impact", role: .programmeManager, show)
    }

    struct EffectRow { let label: String, value: String, interval: String, people: String }
    struct BalanceRowModel {
        let covariate: String, participants: String, controlsBefore: String, controlsAfter: String
        let smdBefore: String, smdAfter: String, imbalanced: Bool
    }
    struct OutcomeSection {
        let anchor: String
        let outcome: String
        let unitNote: String
        let summary: String
        let caveats: [String]
        let effectChart: String
        let effectRows: [EffectRow]
        let balanceChart: String
        let balanceRows: [BalanceRowModel]
        let hasBalance: Bool
        let participants: Int, matchedParticipants: Int, droppedParticipants: Int, controls: Int, matchedControls: Int, missingOutcome: Int
        let hasImbalance: Bool
    }
    struct ImpactPageModel {
        let page: PageChrome
        let id: String, name: String
        let participants: Int, completers: Int, controls: Int, enrolledUnmatched: Int
        let method: String
        let outcomes: [OutcomeSection]
        let hasOutcomes: Bool
        let isAdmin: Bool
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let impact = try await store.programmeImpact(programmeID: id, of: context.identity)
        let sections = impact.report.outcomes.enumerated().map { Self.section($0.element, index: $0.offset) }
        let model = ImpactPageModel(
            page: pages.chrome(title: "Impact: \(impact.programmeName)", context: context, current: "programmes"),
            id: id.uuidString, name: impact.programmeName, participants: impact.participants, completers: impact.completers,
            controls: impact.controls, enrolledUnmatched: impact.enrolledUnmatched, method: impact.report.method,
            outcomes: sections, hasOutcomes: !sections.isEmpty, isAdmin: context.identity.role >= .admin)
        return try pages.render("programme-impact", model)
    }

    static func section(_ report: OutcomeReport, index: Int) -> OutcomeSection {
        let kind = report.kind
        let itt = report.intentionToTreat
        func number(_ value: Double?) -> String {
            guard let value else { return "—" }
            return kind == .proportion
                ? ImpactCharts.signed(value * 100) + " points" : ImpactCharts.signed(value, digits: 2)
        }
        func interval(_ estimate: OutcomeEstimate) -> String {
            guard let low = estimate.ciLow, let high = estimate.ciHigh else { return "—" }
            return "\(number(low)) to \(number(high))"
        }
        var chartRows: [ImpactCharts.EffectRow] = []
        var tableRows: [EffectRow] = []
        if let raw = itt.rawDifference {
            chartRows.append(.init(label: "Raw difference (no matching)", value: raw, low: nil, high: nil, marker: .hollowSquare))
            tableRows.append(EffectRow(
                label: "Raw difference (no matching)", value: number(raw), interval: "—",
                people: "\(itt.participants) participants, \(itt.controls) others"))
        }
        if let effect = itt.effect {
            chartRows.append(.init(label: "Matched: everyone (ITT)", value: effect, low: itt.ciLow, high: itt.ciHigh, marker: .filledCircle))
        }
        tableRows.append(EffectRow(
            label: "Matched effect: everyone matched (intention-to-treat)", value: number(itt.effect), interval: interval(itt),
            people: "\(itt.matchedParticipants) participants, \(itt.matchedControls) matched colleagues"))
        if let completers = report.completers {
            if let effect = completers.effect {
                chartRows.append(.init(label: "Matched: completers", value: effect, low: completers.ciLow, high: completers.ciHigh, marker: .filledDiamond))
            }
            tableRows.append(EffectRow(
                label: "Matched effect: completers", value: number(completers.effect), interval: interval(completers),
                people: "\(completers.matchedParticipants) completers, \(completers.matchedControls) matched colleagues"))
        }
        let anchor = "outcome-\(index + 1)"
        func fixed(_ value: Double, _ digits: Int) -> String {
            // No "-0.000": a value that rounds to zero is shown as zero.
            let text = String(format: "%.\(digits)f", value)
            return Double(text) == 0 ? String(format: "%.\(digits)f", 0.0) : text
        }
        return OutcomeSection(
            anchor: anchor, outcome: report.outcome,
            unitNote: kind == .proportion
                ? "A yes/no outcome: differences are in percentage points (+10 points: 10 more in every 100)."
                : "Differences are in the outcome's own units.",
            summary: report.summary, caveats: report.caveats,
            effectChart: ImpactCharts.effectChart(id: "\(anchor)-effect", outcome: report.outcome, kind: kind, rows: chartRows),
            effectRows: tableRows,
            balanceChart: ImpactCharts.balanceChart(id: "\(anchor)-balance", outcome: report.outcome, rows: itt.balance),
            balanceRows: itt.balance.map {
                BalanceRowModel(
                    covariate: $0.covariate, participants: fixed($0.participantMean, 2), controlsBefore: fixed($0.controlMeanBefore, 2),
                    controlsAfter: fixed($0.controlMeanAfter, 2), smdBefore: fixed($0.smdBefore, 3), smdAfter: fixed($0.smdAfter, 3),
                    imbalanced: $0.imbalanced)
            },
            hasBalance: !itt.balance.isEmpty,
            participants: itt.participants, matchedParticipants: itt.matchedParticipants, droppedParticipants: itt.droppedParticipants,
            controls: itt.controls, matchedControls: itt.matchedControls, missingOutcome: itt.missingOutcome, hasImbalance: itt.hasImbalance)
    }
}
