import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

@Suite("The programme dashboard over the web and the API")
struct DashboardWebTests {
    /// The cells of the table with `id`, row by row (header first), as the page shows them.
    static func table(_ id: String, in html: String) throws -> [[String]] {
        let start = try #require(html.range(of: "<table id=\"\(id)\">"))
        let end = try #require(html.range(of: "</table>", range: start.upperBound..<html.endIndex))
        let body = String(html[start.upperBound..<end.lowerBound])
        return body.components(separatedBy: "<tr>").dropFirst().map { row in
            row.components(separatedBy: ["<", ">"]).enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
                .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        }
        .map { $0.map(Self.unescaped) }
    }

    static func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// A simple CSV reader for the test: quoted fields with doubled quotes, CRLF lines.
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], field = "", row: [String] = [], quoted = false
        var iterator = Array(text).makeIterator()
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; if next == "," { row.append(field); field = "" } else if next == "\r\n" || next == "\n" { row.append(field); rows.append(row); row = []; field = "" } }
                    } else { quoted = false }
                } else { field.append(character) }
            } else if character == "\"" { quoted = true }
            else if character == "," { row.append(field); field = "" }
            else if character == "\r\n" || character == "\n" { row.append(field); rows.append(row); row = []; field = "" }
            else { field.append(character) }
        }
        if !row.isEmpty || !field.isEmpty { row.append(field); rows.append(row) }
        return rows
    }

    @Test("The manager's dashboard shows each KPI with a value, status and chart, and every table's CSV is the table", arguments: TestBackend.all)
    func dashboardPage(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (programme, relationshipID) = try await ProgrammeSeeds.relationship(app.store, org)
            _ = try await app.store.updateProgramme(
                id: programme.id, programme.draft,
                objectives: [ObjectiveDraft(goal: "Meet, \"often\"", kpis: [KPI(name: "pairs that met at least once", comparison: .atLeast, target: 50, unit: "%")])],
                by: org.manager)
            let manager = try await app.signedIn(org.managerEmail)
            let page = try await manager.get("/programmes/\(programme.id)/dashboard")
            #expect(page.status == .ok)
            #expect(page.text.contains("pairs that met at least once ≥ 50 %") && page.text.contains("status-at_risk") && page.text.contains("At risk"), "0 of 1 pair met, but one pair is too few to call it off track")
            #expect(page.text.contains("<svg class=\"chart natural\" role=\"img\""))
            for key in ["kpis", "funnel", "meetings", "measures", "skills"] {
                let shown = try Self.table("table-\(key)", in: page.text)
                let download = try await manager.get("/programmes/\(programme.id)/dashboard/\(key).csv")
                #expect(download.status == .ok && download.headers[.contentType]?.hasPrefix("text/csv") == true)
                let rows = Self.csvRows(download.text)
                // The page adds "Nothing to show yet." to an empty table; otherwise the same cells.
                let expected = rows.count == 1 ? rows + [["Nothing to show yet."]] : rows
                #expect(shown.map { $0.filter { $0 != "Download CSV" } } == expected.map { $0.filter { !$0.isEmpty } }, "\(key)")
            }
            let missing = try await manager.get("/programmes/\(programme.id)/dashboard/nonsense.csv")
            #expect(missing.status == .notFound && missing.text.contains("funnel.csv"))
            #expect(try await manager.get("/programmes/\(programme.id)").text.contains("/programmes/\(programme.id.uuidString)/dashboard"))
            let overview = try await manager.get("/dashboard/programmes")
            #expect(overview.status == .ok && overview.text.contains("Swap"))

            let participant = try await app.signedIn(org.participantEmail)
            #expect(try await participant.get("/programmes/\(programme.id)/dashboard").status == .forbidden)
            _ = relationshipID
        }
    }

    @Test("GET /api/v1/programmes/{id}/kpis gives the dashboard's figures", arguments: TestBackend.all)
    func kpisAPI(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (programme, _) = try await ProgrammeSeeds.relationship(app.store, org)
            _ = try await app.store.updateProgramme(
                id: programme.id, programme.draft,
                objectives: [ObjectiveDraft(goal: "Match", kpis: [KPI(name: "match acceptance", comparison: .atLeast, target: 80, unit: "%")])], by: org.manager)
            let token = try await app.store.createAPIToken(named: "BI", for: org.manager).secret
            let (answer, json) = try await app.callAPI(.get, "/api/v1/programmes/\(programme.id)/kpis", token: token)
            #expect(answer.status == .ok)
            let kpis = try #require(json["kpis"] as? [[String: Any]])
            #expect(kpis.first?["measure"] as? String == "match_acceptance" && kpis.first?["status"] as? String != nil)
            let current = try #require(kpis.first?["current"] as? [String: Any])
            // Pia and Max accepted; C1 and D1 have not answered yet: 2 of 4.
            #expect(current["value"] as? Double == 50 && current["count"] as? Int == 2 && current["total"] as? Int == 4)
            #expect((current["ci_low"] as? Double ?? 100) < 50 && (current["ci_high"] as? Double ?? 0) > 50)
            let funnel = try #require(json["funnel"] as? [[String: Any]])
            #expect(funnel.map { $0["stage"] as? String ?? "" } == ["invited", "enrolled", "matched", "accepted", "met", "active", "completed"])
        }
    }
}
