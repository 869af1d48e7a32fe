import Foundation
import Hummingbird
import MutualStore

/// A programme's ISMCP evidence pack: one printable page (`/programmes/:id/evidence`) mapping
/// what Mutual holds to the six standards, and a ZIP of its records as CSV files
/// (`/programmes/:id/evidence.zip`). Programme managers and admins.
struct EvidencePages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/programmes/:id/evidence", role: .programmeManager, show)
        routes.member(.get, "/programmes/:id/evidence.zip", role: .programmeManager, archive)
    }

    struct StandardModel { let number: Int, title: String, asks: String, held: [String], missing: [String], hasMissing: Bool }
    struct PageModel {
        let page: PageChrome
        let id: String, name: String, computedAt: String
        let standards: [StandardModel], tables: [ProgrammeDashboardPages.TableModel]
        let missingCount: Int
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let pack = try await store.evidencePack(programmeID: id, of: context.identity)
        let tables = Self.tables(pack).map {
            ProgrammeDashboardPages.TableModel(
                key: $0.key, caption: $0.caption, header: $0.header, rows: $0.rows, hasRows: !$0.rows.isEmpty,
                download: "/programmes/\(id.uuidString)/evidence.zip")
        }
        return try pages.render(
            "evidence-pack",
            PageModel(
                page: pages.chrome(title: "Evidence pack: \(pack.programmeName)", context: context, current: "programmes"),
                id: id.uuidString, name: pack.programmeName, computedAt: pack.computedAt.formatted(.iso8601.year().month().day()),
                standards: pack.standards.map {
                    StandardModel(number: $0.number, title: $0.title, asks: $0.asks, held: $0.held, missing: $0.missing, hasMissing: !$0.missing.isEmpty)
                },
                tables: tables, missingCount: pack.standards.reduce(0) { $0 + $1.missing.count }))
    }

    @Sendable func archive(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let pack = try await store.evidencePack(programmeID: id, of: context.identity)
        var zip = ZipArchive()
        for table in Self.tables(pack) { zip.add("\(table.key).csv", Array(table.csv.utf8), modified: pack.computedAt) }
        let name = ProgrammeDashboardPages.slug(pack.programmeName)
        return Response(
            status: .ok,
            headers: [.contentType: "application/zip", .contentDisposition: "attachment; filename=\"\(name)-ismcp-evidence.zip\"", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: zip.bytes)))
    }

    /// The pack's records: the standards themselves, the KPIs, the funnel, every measure, the
    /// match runs and the relationships (by reference, without names).
    static func tables(_ pack: EvidencePack) -> [DashboardTable] {
        let day = Date.ISO8601FormatStyle().year().month().day()
        return [
            DashboardTable(
                key: "standards", caption: "The six ISMCP standards: what Mutual holds and what is missing",
                header: ["Standard", "Title", "Held or missing", "Evidence"],
                rows: pack.standards.flatMap { standard in
                    standard.held.map { [String(standard.number), standard.title, "held", $0] }
                        + standard.missing.map { [String(standard.number), standard.title, "missing", $0] }
                }),
            DashboardTable.kpis(pack.dashboard), DashboardTable.funnel(pack.dashboard), DashboardTable.measures(pack.dashboard),
            DashboardTable(
                key: "match-runs", caption: "Match runs",
                header: ["Started", "Status", "People", "Matched", "Certified gap to the best possible (%)"],
                rows: pack.runs.map { [$0.startedAt.formatted(day), $0.status, String($0.participants), String($0.matched), String(format: "%.2f", $0.gapPercent)] }),
            DashboardTable(
                key: "relationships", caption: "Relationships, by reference",
                header: ["Reference", "Status", "Started", "Ended", "Members", "Agreement signed by all", "Boundaries and confidentiality written", "Meetings held"],
                rows: pack.relationships.map {
                    [
                        $0.reference, $0.status.rawValue, $0.startedAt.formatted(day), $0.endedAt.map { $0.formatted(day) } ?? "", String($0.members),
                        $0.agreementSigned ? "yes" : "no", $0.boundariesWritten && $0.confidentialityWritten ? "yes" : "no", String($0.meetingsHeld),
                    ]
                }),
        ]
    }
}
