import Foundation
import MutualStore

/// One table of the dashboard, defined once: the page shows it and its CSV download is the
/// same header and rows, so the two cannot disagree.
struct DashboardTable: Sendable {
    /// The name in its download's address (`funnel` → `funnel.csv`).
    let key: String
    let caption: String
    let header: [String]
    let rows: [[String]]

    var csv: String { CSVText.document(header: header, rows: rows) }

    /// The programme dashboard's tables, in the page's order.
    static func tables(of dashboard: ProgrammeDashboard) -> [DashboardTable] {
        [kpis(dashboard), trends(dashboard), funnel(dashboard), meetings(dashboard), measures(dashboard), skills(dashboard)]
    }

    static func kpis(_ dashboard: ProgrammeDashboard) -> DashboardTable {
        DashboardTable(
            key: "kpis", caption: "Each objective's KPIs against their targets",
            header: ["Objective", "KPI", "Value", "Expected by now", "Status", "Based on", "95 % interval"],
            rows: dashboard.kpis.map { result in
                [
                    result.objective, result.kpi.sentence, formatted(result.current.value, unit: result.kpi.unit, measure: result.measure),
                    result.measure == nil ? "" : formatted(result.expectedNow, unit: result.kpi.unit, measure: result.measure),
                    result.status.label, result.current.note, interval(result.current),
                ]
            })
    }

    static func trends(_ dashboard: ProgrammeDashboard) -> DashboardTable {
        DashboardTable(
            key: "kpi-trends", caption: "Each KPI at the end of each month",
            header: ["KPI", "Month", "Value"],
            rows: dashboard.kpis.flatMap { result in
                result.trend.map { [result.kpi.sentence, $0.label, formatted($0.value, unit: result.kpi.unit, measure: result.measure)] }
            })
    }

    static func funnel(_ dashboard: ProgrammeDashboard) -> DashboardTable {
        DashboardTable(
            key: "funnel", caption: "From invitation to completion",
            header: ["Stage", "People", "Share of those enrolled", "95 % interval"],
            rows: dashboard.funnel.map { [$0.label, String($0.people), formatted($0.ofEnrolled.value, unit: "%", measure: nil), interval($0.ofEnrolled)] })
    }

    static func meetings(_ dashboard: ProgrammeDashboard) -> DashboardTable {
        DashboardTable(
            key: "meetings", caption: "Meetings per relationship, by month",
            header: ["Month", "Meetings held", "Relationships open", "Meetings per relationship"],
            rows: dashboard.meetingsByMonth.map {
                [$0.month, String($0.meetings), String($0.relationships), $0.perRelationship.map(DashboardCharts.decimal) ?? "–"]
            })
    }

    static func measures(_ dashboard: ProgrammeDashboard) -> DashboardTable {
        DashboardTable(
            key: "measures", caption: "Every measure Mutual computes",
            header: ["Measure", "Value", "Based on", "95 % interval", "What it counts"],
            rows: Measure.allCases.compactMap { measure in
                guard let value = dashboard.measures[measure] else { return nil }
                return [measure.name, formatted(value.value, unit: measure.unit, measure: measure), value.note, interval(value), measure.explanation]
            })
    }

    static func skills(_ dashboard: ProgrammeDashboard) -> DashboardTable {
        DashboardTable(
            key: "skills", caption: "Growth in the skills people want to learn",
            header: ["Skill", "People learning it", "Raised their level", "Share", "Levels gained"],
            rows: dashboard.skillsGrowth.map {
                [$0.skill, String($0.learners), String($0.grew), DashboardCharts.percent(100 * Double($0.grew) / Double(max($0.learners, 1))), String($0.levelsGained)]
            })
    }

    /// A value in its unit: "62 %", "4.5", "4.2 out of 5", "–" for none.
    static func formatted(_ value: Double?, unit: String, measure: Measure?) -> String {
        guard let value else { return "–" }
        let unit = measure?.unit ?? unit
        if unit == "%" { return DashboardCharts.percent(value) }
        if unit.isEmpty { return DashboardCharts.decimal(value) }
        return "\(DashboardCharts.decimal(value)) \(unit)"
    }

    /// "48–74 %" for a share, empty otherwise.
    static func interval(_ value: MeasuredValue) -> String {
        guard let interval = value.interval else { return "" }
        return "\(Int((interval.low * 100).rounded()))–\(Int((interval.high * 100).rounded())) %"
    }
}
