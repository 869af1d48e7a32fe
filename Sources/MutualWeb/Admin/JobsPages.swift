import Foundation
import Hummingbird
import MutualStore

/// The job queue for admins: the page `/admin/jobs` and `GET /api/v1/jobs`, with what is
/// queued, running, failed and finished, and the reason for each failure.
struct JobsPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/admin/jobs", role: .admin, show)
        routes.member(.post, "/admin/jobs/:id/retry", role: .admin, retry)
        routes.api(.get, "/api/v1/jobs", role: .admin, list)
    }

    // MARK: API

    /// One job in `GET /api/v1/jobs`.
    struct JobBody: APIBody {
        let id: UUID
        let kind: String
        let subject: String
        let status: Job.Status
        let attempts: Int
        let maxAttempts: Int
        let runAt: Date
        /// The worker holding the job while it runs (host:pid:random).
        let claimedBy: String?
        /// When the claim lapses unless the holder renews it: a running job past it has lost
        /// its worker and is taken over at the next claim.
        let leaseExpiresAt: Date?
        let lastError: String
        let createdAt: Date
        let startedAt: Date?
        let finishedAt: Date?

        static var example: JobBody {
            JobBody(
                id: UUID(), kind: "email.send", subject: "invitation", status: .running, attempts: 1, maxAttempts: 5, runAt: Date(),
                claimedBy: "host:1:abc", leaseExpiresAt: Date(), lastError: "", createdAt: Date(), startedAt: Date(), finishedAt: Date())
        }
    }

    struct JobsBody: APIBody {
        let items: [JobBody]
        let total: Int
        let page: Int
        let perPage: Int
        let queued: Int
        let running: Int
        let failed: Int
        let oldestWaitingSeconds: Double
        static var example: JobsBody {
            JobsBody(items: [.example], total: 1, page: 1, perPage: 50, queued: 1, running: 1, failed: 0, oldestWaitingSeconds: 0.5)
        }
    }

    @Sendable func list(_ request: Request, _ context: SignedInContext) async throws -> JobsBody {
        let status = try Self.status(request.uri.queryParameters.get("status"))
        let page = try Paging.number(request.uri.queryParameters.get("page"), field: "page", default: 1, range: 1...1_000_000)
        let perPage = try Paging.number(request.uri.queryParameters.get("per_page"), field: "per_page", default: 50, range: 1...500)
        let (lines, total) = try await store.jobs(status: status, page: page, perPage: perPage, of: context.identity)
        let health = try await store.jobQueueHealth()
        return JobsBody(
            items: lines.map(JobBody.init), total: total, page: page, perPage: perPage, queued: health.queued, running: health.running,
            failed: health.failed, oldestWaitingSeconds: health.oldestWaitingSeconds)
    }

    static func status(_ text: String?) throws -> Job.Status? {
        guard let text, !text.isEmpty else { return nil }
        guard let status = Job.Status(rawValue: text) else {
            throw StoreError.invalid(
                field: "status", message: "The status \"\(text)\" is unknown. Use one of \(Job.Status.allCases.map(\.rawValue).joined(separator: ", ")), or leave it out.")
        }
        return status
    }

    // MARK: Page

    struct Row {
        let id: String, what: String, kind: String, status: String, statusClass: String, attempts: String, when: String
        let worker: String, error: String, canRetry: Bool
    }
    struct Filter { let value: String, label: String, selected: Bool }
    struct PageModel {
        let page: PageChrome
        let rows: [Row], hasRows: Bool
        let filters: [Filter]
        let queued: Int, running: Int, failed: Int, oldestWaiting: String
        let total: Int, pageNumber: Int, hasPrevious: Bool, hasNext: Bool, previousPage: Int, nextPage: Int, statusQuery: String
        var status = "", error = ""
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("jobs", try await model(request, context))
    }

    @Sendable func retry(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "job")
        do {
            try await store.retryJob(id: id, by: context.identity)
            var model = try await model(request, context)
            model.status = "The job is queued again; a worker will pick it up within a few seconds."
            return try pages.render("jobs", model)
        } catch let error as StoreError where error.isInputProblem {
            var model = try await model(request, context)
            model.error = error.errorDescription ?? ""
            return try pages.render("jobs", model, status: .conflict)
        }
    }

    private func model(_ request: Request, _ context: SignedInContext) async throws -> PageModel {
        let status = try Self.status(request.uri.queryParameters.get("status"))
        let page = try Paging.number(request.uri.queryParameters.get("page"), field: "page", default: 1, range: 1...1_000_000)
        let perPage = 50
        let (lines, total) = try await store.jobs(status: status, page: page, perPage: perPage, of: context.identity)
        let health = try await store.jobQueueHealth()
        let now = store.clock.now
        let rows = lines.map { line -> Row in
            let when: String
            switch line.status {
            case .queued: when = line.runAt > now ? "from \(Self.time(line.runAt))" : "waiting since \(Self.time(line.runAt))"
            case .running: when = "started \(Self.time(line.startedAt ?? line.createdAt))"
            case .finished, .failed: when = Self.time(line.finishedAt ?? line.createdAt)
            }
            return Row(
                id: line.id.uuidString, what: Self.describe(line), kind: line.kind, status: line.status.rawValue.capitalized,
                statusClass: line.status.rawValue, attempts: line.status == .finished ? "\(line.attempts)" : "\(line.attempts) of up to \(line.maxAttempts)", when: when,
                worker: line.status == .running ? (line.leaseOwner ?? "") : "", error: line.lastError, canRetry: line.status == .failed)
        }
        let filters = [Filter(value: "", label: "All", selected: status == nil)]
            + Job.Status.allCases.map { Filter(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == status) }
        return PageModel(
            page: pages.chrome(title: "Jobs", context: context, current: "jobs"), rows: rows, hasRows: !rows.isEmpty, filters: filters,
            queued: health.queued, running: health.running, failed: health.failed,
            oldestWaiting: health.oldestWaitingSeconds < 1 ? "none waiting" : "\(Int(health.oldestWaitingSeconds)) s",
            total: total, pageNumber: page, hasPrevious: page > 1, hasNext: page * perPage < total, previousPage: page - 1, nextPage: page + 1,
            statusQuery: status.map { "&status=\($0.rawValue)" } ?? "")
    }

    /// What a job is about, in words.
    static func describe(_ line: JobLine) -> String {
        let event = EventType(rawValue: line.subject.replacingOccurrences(of: "event:", with: "")).map(\.pastTense)
        switch line.kind {
        case JobKind.matchRun: return "Match run"
        case JobKind.email:
            let template = line.subject.replacingOccurrences(of: "email:", with: "")
            return "Email: " + (emailWords[template] ?? template.replacingOccurrences(of: "-", with: " "))
        case JobKind.audit: return "Audit log entry" + (event.map { " for “\($0)”" } ?? "")
        case JobKind.notify: return "Emails about “\(event ?? "an event")”"
        case JobKind.housekeeping: return "Daily housekeeping"
        case JobKind.webhookFanOut: return "Webhook deliveries for “\(event ?? "an event")”"
        case JobKind.webhookDelivery:
            let type = line.subject.replacingOccurrences(of: "webhook:", with: "")
            return "Webhook delivery of \(type)"
        default: return line.kind
        }
    }

    /// What each email template is, in the words of the jobs page.
    static let emailWords = [
        "invitation": "an invitation", "match-published": "a new match", "match-declined": "a declined match",
        "match-request": "a match request", "relationship-opened": "a relationship that starts",
        "relationship-changed": "a change to a relationship", "agreement-changed": "an agreement to sign", "run-finished": "a finished match run",
    ]

    /// "3 Dec 2026, 14:02:57", in UTC (the column heading says so), like the other pages' dates.
    static func time(_ date: Date) -> String { timeFormatter.string(from: date) }

    static let timeFormatter = UTCDateFormatter.make("d MMM yyyy, HH:mm:ss")
}

extension JobsPages.JobBody {
    init(_ line: JobLine) {
        self.init(
            id: line.id, kind: line.kind, subject: line.subject, status: line.status, attempts: line.attempts,
            maxAttempts: line.maxAttempts, runAt: line.runAt, claimedBy: line.leaseOwner, leaseExpiresAt: line.leaseExpiresAt,
            lastError: line.lastError, createdAt: line.createdAt, startedAt: line.startedAt, finishedAt: line.finishedAt)
    }
}
