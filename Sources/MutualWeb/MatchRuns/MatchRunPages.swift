import Foundation
import Hummingbird
import MutualStore

/// Match runs: starting one from the programme page, and the run's page with every pair, its
/// score and why, and everyone left unmatched with the reason.
struct MatchRunPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.post, "/programmes/:id/runs", role: .programmeManager, start)
        routes.member(.get, "/runs/:id", role: .programmeManager, show)
        routes.member(.post, "/runs/:id/publish", role: .programmeManager, publish)
        routes.member(.post, "/runs/:id/edits", role: .programmeManager, edit)
        routes.member(.post, "/runs/:id/rerun", role: .programmeManager, rerun)
    }

    @Sendable func start(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let seedText = (context.form["seed"] ?? "").trimmingCharacters(in: .whitespaces)
        guard let seed = seedText.isEmpty ? 1 : Int(seedText) else {
            throw StoreError.invalid(field: "seed", message: "The seed must be a whole number, such as 1. The same seed gives the same matches.")
        }
        let run = try await store.matchRunner.start(programmeID: id, seed: seed, by: context.identity)
        return .redirect(to: "/runs/\(run.id.uuidString)", type: .normal)
    }

    struct PairRow {
        let names: String, score: Int, reasons: [String]
        /// The pair's ids (empty for a group of three), for the lock and break forms.
        var a = "", b = "", locked = false, isPair = false
    }
    struct UnmatchedRow { let name: String, reason: String }
    /// The publish confirmation: who will be told, and how (``PublishPreview`` in words).
    struct PublishModel {
        var people = 0, matches = 0, withEmail = 0
        var peopleWord = "people", matchesWord = "matches"
        /// Set when some have no account or no email address (empty otherwise).
        var withoutAccountText = "", withoutEmailText = ""

        init() {}

        init(_ preview: PublishPreview) {
            people = preview.people
            matches = preview.matches
            withEmail = preview.withEmail
            peopleWord = preview.people == 1 ? "person" : "people"
            matchesWord = preview.matches == 1 ? "match" : "matches"
            let noAccount = preview.people - preview.withAccount
            if noAccount > 0 {
                withoutAccountText = "\(noAccount) of them \(noAccount == 1 ? "has" : "have") no account here yet, so they can answer only once they are invited (Members → Invite)."
            }
            let noEmail = preview.people - preview.withEmail
            if noEmail > 0 {
                withoutEmailText = "\(noEmail) of them \(noEmail == 1 ? "has" : "have") no email address on file, so they are not emailed and see their match only when they sign in."
            }
        }
    }
    struct RunModel {
        let page: PageChrome
        let programmeID: String, programmeName: String
        let running: Bool, progress: String, failed: Bool, failure: String
        let participants: Int, matched: Int, seed: Int
        /// What is known about how good the proposal is (``RunQualityText``).
        let quality: String, totalText: String, edited: Bool
        let pairs: [PairRow], hasPairs: Bool
        let unmatched: [UnmatchedRow], hasUnmatched: Bool
        let id: String, canPublish: Bool, published: Bool
        /// What publishing will do, shown before the publish button (only while it can be published).
        var publish = PublishModel()
        var status = "", error = ""
        /// Editing the proposal (see ProposalEditing.swift).
        var editing = ProposalEditing.Model()
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match run")
        return try pages.render("match-run", try await model(context, id: id))
    }

    @Sendable func publish(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match run")
        _ = try await store.matchRun(id: id, of: context.identity)
        do {
            let count = try await store.publishMatchRun(id: id, by: context.identity)
            var model = try await model(context, id: id)
            model.status = "Published \(count) matches. Everyone matched has been told and can accept or decline under My matches."
            return try pages.render("match-run", model)
        } catch let error as StoreError where error.isInputProblem {
            var model = try await model(context, id: id)
            model.error = error.errorDescription ?? ""
            return try pages.render("match-run", model, status: APIProblem(error).status)
        }
    }

    func model(_ context: SignedInContext, id: UUID) async throws -> RunModel {
        let run = try await store.matchRun(id: id, of: context.identity)
        let programme = try await store.programme(id: run.programmeID, of: context.identity)
        let groups = run.groups
        let unmatched = run.unmatched
        let names = try await store.personNames(
            externalIDs: groups.flatMap(\.members) + unmatched.map(\.id) + run.excludedPeople + run.lockedPairs.flatMap { $0 } + run.brokenPairs.flatMap { $0 },
            of: context.identity)
        let rows = groups.map { group in
            var row = PairRow(names: group.members.map { names[$0] ?? $0 }.joined(separator: " and "), score: group.score, reasons: group.reasons)
            if group.members.count == 2 {
                row.a = group.members[0]
                row.b = group.members[1]
                row.isPair = true
                row.locked = run.isLocked(group.members[0], group.members[1])
            }
            return row
        }
        let published = try await store.publishedMatches(in: run.programmeID, by: context.identity).publishedRunIDs.contains(id)
        let canPublish = run.status == .done && !published && !rows.isEmpty
        var model = RunModel(
            page: pages.chrome(title: "Match run", context: context, current: "programmes"), programmeID: run.programmeID.uuidString,
            programmeName: programme.draft.name, running: run.status == .running, progress: run.progress,
            failed: run.status == .failed, failure: run.failure, participants: run.participants,
            matched: run.matched, seed: run.seed, quality: RunQualityText.quality(run), totalText: RunQualityText.total(run),
            edited: run.isEditedByHand, pairs: rows, hasPairs: !rows.isEmpty,
            unmatched: unmatched.map { UnmatchedRow(name: names[$0.id] ?? $0.id, reason: $0.reason) }, hasUnmatched: !unmatched.isEmpty,
            id: id.uuidString, canPublish: canPublish, published: published,
            editing: try await ProposalEditing.model(run, names: names, editable: run.status == .done && !published, store: store, identity: context.identity))
        if canPublish { model.publish = PublishModel(try await store.publishPreview(of: run, by: context.identity)) }
        return model
    }
}
