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

@Suite("The ISMCP evidence pack")
struct EvidencePackWebTests {
    /// The files of a ZIP archive as Python's `zipfile` reads them (a real reader, not ours).
    static func unzip(_ bytes: [UInt8]) throws -> [String: String] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-evidence-\(UUID().uuidString).zip")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c",
            "import json, sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(json.dumps({n: z.read(n).decode('utf-8') for n in z.namelist()}))",
            file.path,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SeedError("python's zipfile could not read the archive") }
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
    }

    @Test("The pack maps the programme to the six standards, says what is missing, and its ZIP holds the same records as CSV", arguments: TestBackend.all)
    func evidencePack(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (programme, _) = try await ProgrammeSeeds.relationship(app.store, org)
            let manager = try await app.signedIn(org.managerEmail)
            let page = try await manager.get("/programmes/\(programme.id)/evidence")
            #expect(page.status == .ok)
            for title in ["1. Clarity of purpose", "2. Stakeholder training and briefing", "3. Selection and matching", "4. Measurement and review", "5. Ethics", "6. Administration and support"] {
                #expect(page.text.contains(title), "\(title)")
            }
            // The seeded programme has no objectives and an unsigned agreement: both are named as missing.
            #expect(page.text.contains("Objectives tied to organisational goals") && page.text.contains("Signed agreements for 1 relationship."))
            let zip = try await manager.get("/programmes/\(programme.id)/evidence.zip")
            #expect(zip.status == .ok && zip.headers[.contentType] == "application/zip")
            let files = try Self.unzip(Array(zip.body.readableBytesView))
            #expect(Set(files.keys) == ["standards.csv", "kpis.csv", "funnel.csv", "measures.csv", "match-runs.csv", "relationships.csv"])
            let relationships = DashboardWebTests.csvRows(try #require(files["relationships.csv"]))
            #expect(relationships.count == 2 && relationships[1][1] == "active" && relationships[1][5] == "no")
            #expect(DashboardWebTests.csvRows(try #require(files["funnel.csv"])) == DashboardWebTests.csvRows(try await manager.get("/programmes/\(programme.id)/dashboard/funnel.csv").text))
            // Names stay out of the records.
            #expect(!files.values.contains { $0.contains("Pia") || $0.contains("Max Manager") })
            #expect(try await app.signedIn(org.participantEmail).get("/programmes/\(programme.id)/evidence.zip").status == .forbidden)
        }
    }
}
