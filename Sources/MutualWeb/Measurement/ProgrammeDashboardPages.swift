import Foundation
import Hummingbird
import MutualStore

/// The programme dashboard (`/programmes/:id/dashboard`): KPIs against targets with their
/// trends, the funnel, meetings by month, every measure, skills growth; each chart with its
/// table and each table as CSV (`/programmes/:id/dashboard/<table>.csv`). And the view across
/// the organisation (`/dashboard/programmes`). Programme managers and admins.
struct ProgrammeDashboardPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/programmes/:id/dashboard", role: .programmeManager, show)
        routes.member(.get, "/programmes/:id/dashboard/:table", role: .programmeManager, download)
        routes.member(.get, "/dashboard/programmes", role: .programmeManager, overview)
        routes.member(.get, "/dashboard/programmes.csv", role: .programmeManager, overviewCSV)
    }

    struct TableModel {
        let key: String, caption: String, header: [String], rows: [[String]], hasRows: Bool, download: String
        var columns: Int { header.count }
    }
    struct KPICard {
        let id: String, objective: String, sentence: String, value: String, expected: String, status: String, statusKey: String
        let symbol: String, note: String, interval: String, chart: String, trend: [[String]], hasTrend: Bool, measured: Bool
    }
    struct ShowModel {
        let page: PageChrome
        let id: String, name: String, model: String, computedAt: String, progress: String
        let kpis: [KPICard], hasKPIs: Bool
        let funnelChart: String, meetingsChart: String
        let kpiTable: TableModel, funnel: TableModel, meetings: TableModel, measures: TableModel, skills: TableModel
        let minimumRespondents: Int
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let dashboard = try await store.programmeDashboard(id: id, of: context.identity)
        let tables = DashboardTable.tables(of: dashboard)
        func model(_ key: String) -> TableModel {
            let table = tables.first { $0.key == key }!
            return TableModel(
                key: key, caption: table.caption, header: table.header, rows: table.rows, hasRows: !table.rows.isEmpty,
                download: "/programmes/\(id.uuidString)/dashboard/\(key).csv")
        }
        let cards = dashboard.kpis.enumerated().map { index, result in
            KPICard(
                id: "kpi-\(index + 1)", objective: result.objective, sentence: result.kpi.sentence,
                value: DashboardTable.formatted(result.current.value, unit: result.kpi.unit, measure: result.measure),
                expected: result.measure?.accumulates == true && result.expectedNow != result.kpi.target
                    ? "Expected by now: " + DashboardTable.formatted(result.expectedNow, unit: result.kpi.unit, measure: result.measure) : "",
                status: result.status.label, statusKey: result.status.rawValue, symbol: Self.symbol(result.status), note: result.current.note,
                interval: DashboardTable.interval(result.current), chart: DashboardCharts.trend(result, id: "kpi-\(index + 1)-chart"),
                trend: result.trend.map { [$0.label, DashboardTable.formatted($0.value, unit: result.kpi.unit, measure: result.measure)] },
                hasTrend: result.trend.contains { $0.value != nil }, measured: result.measure != nil)
        }
        let progress = dashboard.cycleProgress.map { "\(Int(($0 * 100).rounded())) % of the way through its cycle" } ?? "No cycle dates set"
        return try pages.render(
            "programme-dashboard",
            ShowModel(
                page: pages.chrome(title: "Dashboard: \(dashboard.programmeName)", context: context, current: "programmes"),
                id: id.uuidString, name: dashboard.programmeName, model: dashboard.model.label,
                computedAt: dashboard.computedAt.formatted(.iso8601.year().month().day()), progress: progress, kpis: cards, hasKPIs: !cards.isEmpty,
                funnelChart: DashboardCharts.funnel(dashboard.funnel, id: "funnel-chart"),
                meetingsChart: DashboardCharts.meetingsByMonth(dashboard.meetingsByMonth, id: "meetings-chart"),
                kpiTable: model("kpis"), funnel: model("funnel"), meetings: model("meetings"), measures: model("measures"), skills: model("skills"),
                minimumRespondents: dashboard.minimumRespondents))
    }

    @Sendable func download(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let name = context.parameters.get("table") ?? ""
        let key = name.hasSuffix(".csv") ? String(name.dropLast(4)) : name
        let dashboard = try await store.programmeDashboard(id: id, of: context.identity)
        let tables = DashboardTable.tables(of: dashboard)
        guard let table = tables.first(where: { $0.key == key }) else {
            throw APIProblem(
                status: .notFound, title: "No such table",
                detail: "The dashboard has no table called “\(key)”. Download one of: " + tables.map { $0.key + ".csv" }.joined(separator: ", ") + ".")
        }
        return Self.csvResponse(table.csv, filename: "\(Self.slug(dashboard.programmeName))-\(key).csv")
    }

    // MARK: Across the organisation

    struct OverviewModel { let page: PageChrome, table: TableModel, links: [Link], hasProgrammes: Bool }
    struct Link { let id: String, name: String }

    @Sendable func overview(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let dashboards = try await store.programmeDashboards(of: context.identity)
        let table = Self.overviewTable(dashboards)
        return try pages.render(
            "programmes-dashboard",
            OverviewModel(
                page: pages.chrome(title: "Programmes at a glance", context: context, current: "programmes"),
                table: TableModel(key: table.key, caption: table.caption, header: table.header, rows: table.rows, hasRows: !table.rows.isEmpty, download: "/dashboard/programmes.csv"),
                links: dashboards.map { Link(id: $0.programmeID.uuidString, name: $0.programmeName) }, hasProgrammes: !dashboards.isEmpty))
    }

    @Sendable func overviewCSV(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let dashboards = try await store.programmeDashboards(of: context.identity)
        return Self.csvResponse(Self.overviewTable(dashboards).csv, filename: "programmes-at-a-glance.csv")
    }

    /// One row per programme: its funnel, how it meets and how its KPIs stand.
    static func overviewTable(_ dashboards: [ProgrammeDashboard]) -> DashboardTable {
        DashboardTable(
            key: "programmes", caption: "Every programme",
            header: ["Programme", "Model", "Enrolled", "Accepted a match", "Met at least once", "Active in the last 30 days", "Completed",
                "Meetings per pair per month", "Meeting usefulness", "KPIs on track"],
            rows: dashboards.map { dashboard in
                func stage(_ key: String) -> String { String(dashboard.funnel.first { $0.key == key }?.people ?? 0) }
                let measured = dashboard.kpis.filter { $0.measure != nil }
                return [
                    dashboard.programmeName, dashboard.model.label, stage("enrolled"), stage("accepted"), stage("met"), stage("active"), stage("completed"),
                    DashboardTable.formatted(dashboard.measures[.meetingsPerPairPerMonth]?.value, unit: "", measure: .meetingsPerPairPerMonth),
                    DashboardTable.formatted(dashboard.measures[.meetingUsefulness]?.value, unit: "", measure: .meetingUsefulness),
                    measured.isEmpty ? "No measured KPIs" : "\(measured.filter { $0.status == .onTrack }.count) of \(measured.count)",
                ]
            })
    }

    // MARK: Helpers

    static func symbol(_ status: KPIStatus) -> String {
        switch status {
        case .onTrack: "✓"
        case .atRisk: "!"
        case .offTrack: "✗"
        case .noData, .notMeasured: "–"
        }
    }

    static func csvResponse(_ text: String, filename: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\"", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A file-name-safe form of a programme's name.
    static func slug(_ name: String) -> String {
        let kept = name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        let collapsed = kept.split(separator: "-").joined(separator: "-")
        return collapsed.isEmpty ? "programme" : String(collapsed.prefix(60))
    }
}
