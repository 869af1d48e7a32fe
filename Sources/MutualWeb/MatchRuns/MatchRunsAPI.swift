import Foundation
import Hummingbird
import MutualStore

/// `/api/v1/programmes/:id/runs`, `/api/v1/runs/:id` and publishing: starting a match run,
/// reading its result, publishing it; `/api/v1/matches`: a participant's published matches and
/// their answer. Runs start through the store's `MatchRunner`, as the run page's do.
struct MatchRunsAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/programmes/:id/runs", role: .programmeManager, listRuns)
        routes.api(.post, "/api/v1/programmes/:id/runs", role: .programmeManager, reads: RunRequest.self, status: .accepted, startRun)
        routes.api(.get, "/api/v1/runs/:id", role: .programmeManager, getRun)
        routes.api(.post, "/api/v1/runs/:id/publish", role: .programmeManager, publishRun)
        routes.api(.get, "/api/v1/programmes/:id/matches", role: .programmeManager, publishedMatches)
        routes.api(.get, "/api/v1/matches", role: .participant, myMatches)
        routes.api(.post, "/api/v1/matches/:id/respond", role: .participant, reads: RespondRequest.self, respond)
    }

    // MARK: Shapes

    struct RunRequest: APIBody {
        let seed: Int?
        static var example: RunRequest { RunRequest(seed: 7) }
    }

    /// A run; `result` is the engine's output (the same JSON as `mutual match`) once done.
    struct RunBody: APIBody {
        let id: UUID, programmeId: UUID, status: MatchRun.Status, model: ProgrammeModel, seed: Int, participants: Int, matched: Int
        /// In the solver's weight units, not the 0–100 pair scores; `upper_bound` bounds it only
        /// while `optimality` is optimal or gap.
        let totalWeight: Int, upperBound: Int
        /// Absent until the run is done.
        let optimality: RunOptimality?
        let gapPercent: Double, failure: String, progress: String
        let createdAt: Date, finishedAt: Date?
        let result: JSONFragment?
        static var example: RunBody {
            RunBody(
                id: UUID(), programmeId: UUID(), status: .done, model: .pairs, seed: 1, participants: 40, matched: 38, totalWeight: 4_200,
                upperBound: 4_200, optimality: .optimal, gapPercent: 0, failure: "", progress: "", createdAt: Date(), finishedAt: Date(),
                result: .object([:]))
        }
    }
    struct RespondRequest: APIBody {
        let accept: Bool
        let reason: String?
        static var example: RespondRequest { RespondRequest(accept: false, reason: "We already work together.") }
    }
    struct PublishedBody: APIBody {
        let published: Int
        static var example: PublishedBody { PublishedBody(published: 19) }
    }
    /// The counts are over every published match; `match_ids` is one page of them (`limit`,
    /// `after`), with `next` absent on the last page.
    struct PublishedMatchesBody: APIBody {
        let pending: Int, accepted: Int, declined: Int, declineReasons: [String], matchIds: [UUID], next: String?
        static var example: PublishedMatchesBody {
            PublishedMatchesBody(
                pending: 3, accepted: 10, declined: 1, declineReasons: ["Too busy"], matchIds: [UUID()],
                next: KeysetCursor(key: "", id: UUID()).encoded)
        }
    }
    struct PartnerBody: APIBody {
        let name: String, department: String, response: MatchMember.Response
        static var example: PartnerBody { PartnerBody(name: "Nikhil Andersen", department: "Finance", response: .pending) }
    }
    struct MyMatchBody: APIBody {
        let id: UUID, programme: String, score: Int, reasons: [String], status: PublishedMatch.Status
        let myResponse: MatchMember.Response, relationshipId: UUID?, partners: [PartnerBody]
        static var example: MyMatchBody {
            MyMatchBody(
                id: UUID(), programme: "Data mentoring", score: 72, reasons: ["You teach SQL; Nikhil teaches budgeting"], status: .pending,
                myResponse: .pending, relationshipId: UUID(), partners: [.example])
        }
    }

    // MARK: Handlers

    static func runBody(_ run: MatchRunSummary, includeResult: Bool) -> RunBody {
        RunBody(
            id: run.id, programmeId: run.programmeID, status: run.status, model: run.model, seed: run.seed, participants: run.participants,
            matched: run.matched, totalWeight: run.totalWeight, upperBound: run.upperBound, optimality: run.optimality,
            gapPercent: run.gapPercent, failure: run.failure, progress: run.progress, createdAt: run.createdAt, finishedAt: run.finishedAt,
            result: includeResult && !run.resultJSON.isEmpty ? JSONFragment(text: run.resultJSON) : nil)
    }

    @Sendable func listRuns(_ request: Request, _ context: SignedInContext) async throws -> ItemList<RunBody> {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let runs = try await store.matchRuns(of: id, by: context.identity)
        return ItemList(items: runs.map { Self.runBody($0, includeResult: false) })
    }

    @Sendable func startRun(_ request: Request, _ context: SignedInContext, _ input: APIInput<RunRequest>) async throws -> RunBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let body = try await input.read()
        let run = try await store.matchRunner.start(programmeID: id, seed: body.seed ?? 1, by: context.identity)
        return Self.runBody(run, includeResult: false)
    }

    @Sendable func publishRun(_ request: Request, _ context: SignedInContext) async throws -> PublishedBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match run")
        return PublishedBody(published: try await store.publishMatchRun(id: id, by: context.identity))
    }

    @Sendable func publishedMatches(_ request: Request, _ context: SignedInContext) async throws -> PublishedMatchesBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let parameters = request.uri.queryParameters
        let summary = try await store.publishedMatches(in: id, by: context.identity)
        let page = try await store.publishedMatchIDs(
            in: id, after: try Paging.after(parameters.get("after")),
            limit: try Paging.limit(parameters.get("limit"), default: 500, range: 1...500), by: context.identity)
        return PublishedMatchesBody(
            pending: summary.pending, accepted: summary.accepted, declined: summary.declined, declineReasons: summary.declineReasons,
            matchIds: page.ids, next: page.next)
    }

    @Sendable func myMatches(_ request: Request, _ context: SignedInContext) async throws -> ItemList<MyMatchBody> {
        let items = try await store.myMatches(of: context.identity).map { match in
            MyMatchBody(
                id: match.id, programme: match.programmeName, score: match.score, reasons: match.reasons, status: match.status,
                myResponse: match.myResponse, relationshipId: match.relationshipID,
                partners: match.partners.map { PartnerBody(name: $0.name, department: $0.department, response: $0.response) })
        }
        return ItemList(items: items)
    }

    @Sendable func respond(_ request: Request, _ context: SignedInContext, _ input: APIInput<RespondRequest>) async throws -> NoContent {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match")
        // Someone outside the match gets 404 before their body is even read.
        try await store.matchMembership(id, of: context.identity)
        let body = try await input.read()
        try await store.respond(toMatch: id, accept: body.accept, reason: body.reason ?? "", by: context.identity)
        return NoContent()
    }

    @Sendable func getRun(_ request: Request, _ context: SignedInContext) async throws -> RunBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match run")
        return Self.runBody(try await store.matchRun(id: id, of: context.identity), includeResult: true)
    }
}
