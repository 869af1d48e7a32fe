import Foundation
import Hummingbird
import MutualStore

/// `/api/v1/people/import` and `/api/v1/people/export`: the same CSV contract as the command
/// line and the upload page. The import streams the request body, so it has no size limit
/// beyond ``maxBytes``.
struct PeopleImportAPI: Sendable {
    let store: Store

    /// A bound against runaway uploads; 100,000 people are about 15 MB.
    static let maxBytes = 500 * 1_048_576

    func register(on routes: RouteTable) {
        // No Idempotency-Key: the file streams (up to maxBytes) and is never held whole, so it
        // cannot be digested before it runs; and it needs none, since rows are matched by their
        // required id, so a repeated import changes nothing and reports the rows unchanged.
        routes.api(.post, "/api/v1/people/import", role: .admin, idempotencyKey: false, importPeople)
        routes.member(.get, "/api/v1/people/export", role: .admin, exportPeople)
    }

    /// One problem: where it is and what is wrong.
    struct ProblemBody: APIBody {
        let line: Int
        let column: String?
        let reason: String
        static var example: ProblemBody { ProblemBody(line: 3, column: "email", reason: "not an email address") }
    }
    struct RejectedRowBody: APIBody {
        let line: Int
        let id: String
        let problems: [ProblemBody]
        static var example: RejectedRowBody { RejectedRowBody(line: 3, id: "P0003", problems: [.example]) }
    }
    /// What an import did (or would have done); 422 when it wrote nothing.
    struct ReportBody: APIBody {
        let mode: PeopleImportMode, dryRun: Bool, outcome: PeopleImportReport.Outcome
        let rowsRead: Int, created: Int, changed: Int, unchanged: Int, rejectedCount: Int
        let createdIds: [String], changedIds: [String], rejected: [RejectedRowBody], fileProblems: [ProblemBody]
        let warnings: [String], newSkills: [String], summary: String

        // A file that could not be read is refused, dry run or not; a dry run of a readable file is a report.
        var status: HTTPResponse.Status? { outcome == .nothingWritten || !fileProblems.isEmpty ? .unprocessableContent : nil }

        static var example: ReportBody {
            ReportBody(
                mode: .allOrNothing, dryRun: false, outcome: .imported, rowsRead: 3, created: 1, changed: 1, unchanged: 0,
                rejectedCount: 1, createdIds: ["P0001"], changedIds: ["P0002"], rejected: [.example], fileProblems: [.example],
                warnings: ["unknown column colour ignored"], newSkills: ["Rust"], summary: "Imported: 1 created, 1 changed.")
        }
    }

    @Sendable func importPeople(_ request: Request, _ context: SignedInContext) async throws -> ReportBody {
        let contentType = (request.headers[.contentType] ?? "").lowercased()
        guard contentType.hasPrefix("text/csv") else {
            throw APIProblem(
                status: .unsupportedMediaType, title: "Send CSV",
                detail: "Send the people file as the body with Content-Type: text/csv (UTF-8).")
        }
        let mode: PeopleImportMode
        switch request.uri.queryParameters.get("mode") {
        case nil: mode = .allOrNothing
        case let text?:
            guard let parsed = PeopleImportMode(rawValue: text) else {
                throw APIProblem(status: .badRequest, title: "Invalid value", detail: "mode must be all_or_nothing or valid_rows.", field: "mode")
            }
            mode = parsed
        }
        let dryRun: Bool
        switch request.uri.queryParameters.get("dry_run") {
        case nil, "false": dryRun = false
        case "true": dryRun = true
        default:
            throw APIProblem(status: .badRequest, title: "Invalid value", detail: "dry_run must be true or false.", field: "dry_run")
        }
        let counter = ByteCounter(limit: Self.maxBytes)
        let chunks = request.body.map { buffer in
            try counter.add(buffer.readableBytes)
            return Array(buffer: buffer)
        }
        let report = try await store.importPeople(from: chunks, options: PeopleImportOptions(mode: mode, dryRun: dryRun), by: context.identity)
        return ReportBody(report)
    }

    @Sendable func exportPeople(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try PeopleImportPages.csvResponse(store: store, identity: context.identity, filename: "people.csv")
    }

    /// Counts streamed bytes and stops the upload past the limit.
    final class ByteCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var total = 0
        let limit: Int

        init(limit: Int) { self.limit = limit }

        func add(_ count: Int) throws {
            try lock.withLock {
                total += count
                if total > limit {
                    throw APIProblem(status: .contentTooLarge, title: "Request too large", detail: "The file is larger than \(limit / 1_048_576) MB. Split it and import the parts.")
                }
            }
        }
    }
}

extension PeopleImportAPI.ReportBody {
    init(_ report: PeopleImportReport) {
        func problem(_ problem: PeopleImportReport.Problem) -> PeopleImportAPI.ProblemBody {
            .init(line: problem.line, column: problem.column, reason: problem.reason)
        }
        self.init(
            mode: report.mode, dryRun: report.dryRun, outcome: report.outcome, rowsRead: report.rowsRead, created: report.created,
            changed: report.changed, unchanged: report.unchanged, rejectedCount: report.rejectedCount, createdIds: report.createdIDs,
            changedIds: report.changedIDs,
            rejected: report.rejected.map { .init(line: $0.line, id: $0.id, problems: $0.problems.map(problem)) },
            fileProblems: report.fileProblems.map(problem), warnings: report.warnings, newSkills: report.newSkills,
            summary: report.summary)
    }
}
