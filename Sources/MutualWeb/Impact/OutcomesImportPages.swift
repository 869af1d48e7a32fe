import Foundation
import Hummingbird
import MutualStore

/// The admin's HR outcomes import: upload `id,outcome,value`, see what was created, changed
/// and rejected, row by row, like the people import.
struct OutcomesImportPages: Sendable {
    let store: Store
    let pages: PageRenderer

    /// 100,000 people with three outcomes are about 8 MB; the bound is the people import's.
    static let maxUploadBytes = PeopleImportAPI.maxBytes
    static let importPath = "/admin/outcomes/import"

    func register(on routes: RouteTable) {
        routes.member(.get, Self.importPath, role: .admin, showForm)
        routes.member(.post, Self.importPath, role: .admin, upload)
    }

    struct ImportPage {
        let page: PageChrome
        let modes: [PeopleImportPages.ModeOption]
        let dryRun: Bool
        let maxUploadMegabytes = OutcomesImportPages.maxUploadBytes / 1_048_576
        /// Outcomes already held, with the programmes whose impact they feed.
        var storedOutcomes = ""
        var error = ""
        var hasResult = false
        var summary = ""
        var created = 0, changed = 0, unchanged = 0, rejectedCount = 0
        var outcomes = ""
        var problems: [PeopleImportPages.ProblemRow] = []
        var warnings: [String] = []
        var moreRejected = 0
        // Stored, not computed: Mustache reads view models by reflection.
        var hasProblems = false
        var hasMoreRejected = false
    }

    private func page(_ context: SignedInContext, mode: PeopleImportMode = .allOrNothing, dryRun: Bool = false) async throws -> ImportPage {
        var model = ImportPage(
            page: pages.chrome(title: "Import HR outcomes", context: context, current: "import"),
            modes: [
                .init(value: PeopleImportMode.allOrNothing.rawValue, label: "All or nothing: import nothing if any row is rejected", selected: mode == .allOrNothing),
                .init(value: PeopleImportMode.validRows.rawValue, label: "Valid rows only: import every valid row, skip each rejected row", selected: mode == .validRows),
            ],
            dryRun: dryRun)
        model.storedOutcomes = try await store.outcomeNames(of: context.identity).joined(separator: ", ")
        return model
    }

    @Sendable func showForm(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("outcomes-import", try await page(context))
    }

    @Sendable func upload(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let upload: StreamingFormUpload?
        do {
            upload = try await StreamingFormUpload.receive(request, context: context, fileField: "file", limit: Self.maxUploadBytes)
        } catch let error as StreamingFormUpload.TooLarge {
            return try await failure(context, "The file is larger than \(error.limit / 1_048_576) MB. Nothing was imported. Split it and import the parts.", status: .contentTooLarge)
        } catch let error as MultipartStreamParser.Malformed {
            return try await failure(context, "The upload could not be read (\(error.description)). Nothing was imported; choose the file and import again.", status: .badRequest)
        }
        defer { upload?.remove() }
        let fields = upload?.fields ?? context.form
        let mode = PeopleImportMode(rawValue: fields["mode"] ?? "") ?? .allOrNothing
        let dryRun = ["on", "true", "1"].contains(fields["dry_run"] ?? "")
        guard let path = upload?.filePath else {
            var model = try await page(context, mode: mode, dryRun: dryRun)
            model.error = "Choose a CSV file to import."
            return try pages.render("outcomes-import", model, status: .unprocessableContent)
        }
        let report = try await store.importOutcomes(
            from: FileByteChunks(path: path), options: PeopleImportOptions(mode: mode, dryRun: dryRun), by: context.identity)
        var model = try await page(context, mode: mode, dryRun: dryRun)
        model.hasResult = true
        model.summary = report.summary
        model.created = report.created
        model.changed = report.changed
        model.unchanged = report.unchanged
        model.rejectedCount = report.rejectedCount
        model.outcomes = report.outcomes.joined(separator: ", ")
        model.problems = (report.fileProblems.map { ($0, "") } + report.rejected.flatMap { row in row.problems.map { ($0, row.id) } })
            .map { PeopleImportPages.ProblemRow(line: $0.0.line, id: $0.1, column: $0.0.column ?? "", reason: $0.0.reason) }
        model.warnings = report.warnings
        model.moreRejected = report.rejectedCount - report.rejected.count
        model.hasProblems = !model.problems.isEmpty
        model.hasMoreRejected = model.moreRejected > 0
        let failed = report.outcome == .nothingWritten
        return try pages.render("outcomes-import", model, status: failed ? .unprocessableContent : .ok)
    }

    private func failure(_ context: SignedInContext, _ message: String, status: HTTPResponse.Status) async throws -> Response {
        var model = try await page(context)
        model.error = message
        return try pages.render("outcomes-import", model, status: status)
    }
}
