import Foundation
import Hummingbird
import MutualStore

/// The admin's people import (upload a CSV, see what was created, changed and rejected) and
/// the CSV download.
struct PeopleImportPages: Sendable {
    let store: Store
    let pages: PageRenderer

    /// The largest upload the page takes: the same bound as the API, since both stream the
    /// file to the importer (100,000 people are about 17 MB).
    static let maxUploadBytes = PeopleImportAPI.maxBytes
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
        /// The largest file the upload takes, in MB: the page says the limit it enforces.
        let maxUploadMegabytes = PeopleImportPages.maxUploadBytes / 1_048_576
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
        // The file goes from the request to a temporary file as it arrives, then streams from
        // there to the importer; only the text fields are held in memory.
        let upload: StreamingFormUpload?
        do {
            upload = try await StreamingFormUpload.receive(request, context: context, fileField: "file", limit: Self.maxUploadBytes)
        } catch let error as StreamingFormUpload.TooLarge {
            return try failure(context, "The file is larger than \(error.limit / 1_048_576) MB. Nothing was imported. Split it and import the parts.", status: .contentTooLarge)
        } catch let error as MultipartStreamParser.Malformed {
            return try failure(context, "The upload could not be read (\(error.description)). Nothing was imported; choose the file and import again.", status: .badRequest)
        }
        defer { upload?.remove() }
        let fields = upload?.fields ?? context.form
        let mode = PeopleImportMode(rawValue: fields["mode"] ?? "") ?? .allOrNothing
        let dryRun = ["on", "true", "1"].contains(fields["dry_run"] ?? "")
        var model = page(context, mode: mode, dryRun: dryRun)
        guard let path = upload?.filePath else {
            model.error = "Choose a CSV file to import."
            return try pages.render("people-import", model, status: .unprocessableContent)
        }
        let report = try await store.importPeople(
            from: FileByteChunks(path: path), options: PeopleImportOptions(mode: mode, dryRun: dryRun), by: context.identity)
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

    private func failure(_ context: SignedInContext, _ message: String, status: HTTPResponse.Status) throws -> Response {
        var model = page(context)
        model.error = message
        return try pages.render("people-import", model, status: status)
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
