import Foundation
import Hummingbird
import MutualStore

/// The admin's people import (upload a CSV, see what was created, changed and rejected) and
/// the CSV download.
struct PeopleImportPages: Sendable {
    let store: Store
    let pages: PageRenderer

    /// The largest CSV the upload page takes; the API streams and has no such limit.
    static let maxUploadBytes = 50 * 1_048_576
    static let importPath = "/admin/people/import"

    func register(on routes: RouteTable) {
        routes.member(.get, Self.importPath, role: .admin, showForm)
        routes.member(.post, Self.importPath, role: .admin, upload)
        routes.member(.get, "/admin/people/export.csv", role: .admin, download)
    }

    struct ModeOption { let value: String, label: String, selected: Bool }
    struct ProblemRow { let line: Int, id: String, column: String, reason: String }
    struct ImportPage {
        let page: PageChrome
        let modes: [ModeOption]
        let dryRun: Bool
        var error = ""
        var hasResult = false
        var summary = ""
        var created = 0, changed = 0, unchanged = 0, rejectedCount = 0
        var createdIDs = "", changedIDs = ""
        var problems: [ProblemRow] = []
        var warnings: [String] = []
        var newSkills = ""
        var moreRejected = 0
        // Stored, not computed: Mustache reads view models by reflection.
        var hasProblems = false
        var hasMoreRejected = false
    }

    private func page(_ context: SignedInContext, mode: PeopleImportMode = .allOrNothing, dryRun: Bool = false) -> ImportPage {
        ImportPage(
            page: pages.chrome(title: "Import people", context: context, current: "import"),
            modes: [
                ModeOption(value: PeopleImportMode.allOrNothing.rawValue, label: "All or nothing: import nothing if any row is rejected", selected: mode == .allOrNothing),
                ModeOption(value: PeopleImportMode.validRows.rawValue, label: "Valid rows only: import every valid row, skip each rejected row whole", selected: mode == .validRows),
            ],
            dryRun: dryRun)
    }

    @Sendable func showForm(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("people-import", page(context))
    }

    @Sendable func upload(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let mode = PeopleImportMode(rawValue: context.form["mode"] ?? "") ?? .allOrNothing
        let dryRun = ["on", "true", "1"].contains(context.form["dry_run"] ?? "")
        var model = page(context, mode: mode, dryRun: dryRun)
        var request = request
        // The CSRF middleware already collected the body within this route's limit.
        let body = try await request.collectBody(upTo: Self.maxUploadBytes)
        guard let boundary = MultipartForm.boundary(fromContentType: request.headers[.contentType] ?? ""),
            let form = MultipartForm(body: body, boundary: boundary), let file = form.file(named: "file"), file.body.readableBytes > 0
        else {
            model.error = "Choose a CSV file to import."
            return try pages.render("people-import", model, status: .unprocessableContent)
        }
        let report = try await store.importPeople(
            from: ByteChunks(bytes: Array(buffer: file.body)), options: PeopleImportOptions(mode: mode, dryRun: dryRun), by: context.identity)
        model.hasResult = true
        model.summary = report.summary
        model.created = report.created
        model.changed = report.changed
        model.unchanged = report.unchanged
        model.rejectedCount = report.rejectedCount
        model.createdIDs = report.createdIDs.joined(separator: ", ")
        model.changedIDs = report.changedIDs.joined(separator: ", ")
        model.problems = (report.fileProblems.map { ($0, "") } + report.rejected.flatMap { row in row.problems.map { ($0, row.id) } })
            .map { ProblemRow(line: $0.0.line, id: $0.1, column: $0.0.column ?? "", reason: $0.0.reason) }
        model.warnings = report.warnings
        model.newSkills = report.newSkills.joined(separator: ", ")
        model.moreRejected = report.rejectedCount - report.rejected.count
        model.hasProblems = !model.problems.isEmpty
        model.hasMoreRejected = model.moreRejected > 0
        let failed = report.outcome == .nothingWritten
        return try pages.render("people-import", model, status: failed ? .unprocessableContent : .ok)
    }

    @Sendable func download(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try Self.csvResponse(store: store, identity: context.identity, filename: "people.csv")
    }

    /// A streamed CSV export of the member's organisation.
    static func csvResponse(store: Store, identity: Identity, filename: String) throws -> Response {
        guard identity.role >= .admin else {
            throw StoreError.forbidden(message: "Only admins can export people (the file holds everyone's email). Ask an admin.")
        }
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(filename)\"",
                .cacheControl: "no-store",
            ],
            body: ResponseBody { writer in
                try await store.exportPeople(of: identity) { text in
                    try await writer.write(ByteBuffer(string: text))
                }
                try await writer.finish(nil)
            })
    }
}
