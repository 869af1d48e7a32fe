import Foundation
import Hummingbird
import MutualMatching
import MutualStore

/// `/api/v1/programmes/:id/rules` (the rules document and its effect) and
/// `/api/v1/runs/:id/edits` and `/rerun` (editing a proposal and re-running around it).
struct MatchRulesAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.member(.get, "/api/v1/programmes/:id/rules", role: .programmeManager, getRules)
        routes.member(.put, "/api/v1/programmes/:id/rules", role: .programmeManager, putRules)
        routes.member(.post, "/api/v1/programmes/:id/rules/effect", role: .programmeManager, checkRules)
        routes.member(.get, "/api/v1/runs/:id/edits", role: .programmeManager, listEdits)
        routes.member(.post, "/api/v1/runs/:id/edits", role: .programmeManager, edit)
        routes.member(.post, "/api/v1/runs/:id/rerun", role: .programmeManager, rerun)
    }

    static func effectObject(_ effect: RulesEffect) -> [String: Any] {
        let (headline, detail) = RulesPages.effectText(effect)
        return [
            "enrolled": effect.enrolled, "pool": effect.pool, "matched": effect.matched, "without_partner": effect.withoutPartner,
            "previewed_as_pairs": effect.previewedAsPairs, "summary": headline, "method": detail,
        ]
    }

    static func rulesObject(_ rules: MatchRules) -> Any {
        (try? JSONSerialization.jsonObject(with: Data(RulesFile.encodeText(rules).utf8))) ?? [:]
    }

    /// The request body as text, refusing anything that is not a JSON object.
    private func rulesDocument(_ request: Request, _ context: SignedInContext) async throws -> String {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw APIProblem(status: .contentTooLarge, title: "Request too large", detail: "A rules document is small; send at most \(context.maxUploadSize / 1024) KB.")
        }
        return String(buffer: buffer)
    }

    @Sendable func getRules(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let current = try await store.programmeRules(programmeID: id, by: context.identity)
        let effect = try await store.rulesEffect(current.rules, programmeID: id, by: context.identity)
        return try ProgrammesAPI.jsonResponse([
            "rules": Self.rulesObject(current.rules), "default": current.isDefault, "effect": Self.effectObject(effect),
        ] as [String: Any])
    }

    @Sendable func putRules(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let rules = try await store.checkRules(try await rulesDocument(request, context), programmeID: id, by: context.identity)
        let saved = try await store.setProgrammeRules(rules, programmeID: id, by: context.identity)
        let effect = try await store.rulesEffect(rules, programmeID: id, by: context.identity)
        return try ProgrammesAPI.jsonResponse([
            "rules": Self.rulesObject(saved.rules), "default": false, "effect": Self.effectObject(effect),
        ] as [String: Any])
    }

    @Sendable func checkRules(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let rules = try await store.checkRules(try await rulesDocument(request, context), programmeID: id, by: context.identity)
        let effect = try await store.rulesEffect(rules, programmeID: id, by: context.identity)
        return try ProgrammesAPI.jsonResponse(["rules": Self.rulesObject(rules), "effect": Self.effectObject(effect)] as [String: Any])
    }

    static func editObject(_ edit: ProposalEdit) -> [String: Any] {
        [
            "kind": edit.kind.rawValue, "people": edit.people, "summary": edit.summary, "delta": edit.delta, "total": edit.total,
            "by": edit.by, "account_id": edit.accountID.uuidString, "at": edit.at.formatted(Date.ISO8601FormatStyle()),
        ]
    }

    static func stateObject(_ run: MatchRunSummary) -> [String: Any] {
        var object: [String: Any] = [
            "edits": run.edits.map(editObject), "locked": run.lockedPairs, "broken": run.brokenPairs, "excluded": run.excludedPeople,
        ]
        if let from = run.frame.fromRun { object["rerun_of"] = from.uuidString }
        return object
    }

    @Sendable func listEdits(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match run")
        return try ProgrammesAPI.jsonResponse(Self.stateObject(try await store.matchRun(id: id, of: context.identity)))
    }

    struct EditRequest: Decodable {
        let action: String
        let people: [String]
        let expectedEdits: Int?
        enum CodingKeys: String, CodingKey { case action, people, expectedEdits = "expected_edits" }

        func change() throws -> ProposalChange {
            func two() throws -> (String, String) {
                guard people.count == 2 else {
                    throw APIProblem(status: .unprocessableContent, title: "Invalid value", detail: "\"\(action)\" needs exactly two ids in \"people\".", field: "people")
                }
                return (people[0], people[1])
            }
            switch action {
            case "lock": let (a, b) = try two(); return .lock(a, b)
            case "unlock": let (a, b) = try two(); return .unlock(a, b)
            case "break": let (a, b) = try two(); return .breakPair(a, b)
            case "swap": let (a, b) = try two(); return .swap(a, b)
            case "exclude":
                guard people.count == 1 else {
                    throw APIProblem(status: .unprocessableContent, title: "Invalid value", detail: "\"exclude\" needs exactly one id in \"people\".", field: "people")
                }
                return .exclude(people[0])
            default:
                throw APIProblem(
                    status: .unprocessableContent, title: "Invalid value",
                    detail: "\"action\" must be one of lock, unlock, break, swap, exclude; \"\(action)\" is not.", field: "action")
            }
        }
    }

    @Sendable func edit(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match run")
        _ = try await store.matchRun(id: id, of: context.identity)
        let body = try await JSONBody.decode(EditRequest.self, from: request, context: context, allowedKeys: ["action", "people", "expected_edits"])
        let outcome = try await store.editProposal(runID: id, try body.change(), expectedEdits: body.expectedEdits, by: context.identity)
        var object = ProgrammesAPI.runObject(outcome.run, now: store.clock.now, includeResult: true)
        object["edit"] = Self.editObject(outcome.edit)
        object.merge(Self.stateObject(outcome.run)) { _, new in new }
        return try ProgrammesAPI.jsonResponse(object)
    }

    @Sendable func rerun(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match run")
        _ = try await store.matchRun(id: id, of: context.identity)
        let body = try await JSONBody.decode(ProgrammesAPI.RunRequest.self, from: request, context: context, allowedKeys: ["seed"])
        let run = try await store.matchRunner.rerun(runID: id, seed: body.seed, by: context.identity)
        var object = ProgrammesAPI.runObject(run, now: store.clock.now, includeResult: false)
        object.merge(Self.stateObject(run)) { _, new in new }
        return try ProgrammesAPI.jsonResponse(object, status: .accepted)
    }
}
