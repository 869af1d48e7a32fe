import Foundation
import Hummingbird
import MutualMatching
import MutualStore

/// `/api/v1/programmes/:id/rules` (the rules document and its effect) and
/// `/api/v1/runs/:id/edits` and `/rerun` (editing a proposal and re-running around it).
struct MatchRulesAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/programmes/:id/rules", role: .programmeManager, getRules)
        routes.api(.put, "/api/v1/programmes/:id/rules", role: .programmeManager, putRules)
        routes.api(.post, "/api/v1/programmes/:id/rules/effect", role: .programmeManager, checkRules)
        routes.api(.get, "/api/v1/runs/:id/edits", role: .programmeManager, listEdits)
        routes.api(.post, "/api/v1/runs/:id/edits", role: .programmeManager, reads: EditRequest.self, edit)
        routes.api(.post, "/api/v1/runs/:id/rerun", role: .programmeManager, reads: MatchRunsAPI.RunRequest.self, status: .accepted, rerun)
    }

    // MARK: Shapes

    struct EffectBody: APIBody {
        let enrolled: Int, pool: Int, matched: Int, withoutPartner: Int, previewedAsPairs: Bool, summary: String, method: String
        static var example: EffectBody {
            EffectBody(
                enrolled: 40, pool: 38, matched: 36, withoutPartner: 2, previewedAsPairs: false, summary: "36 of 38 would be matched.",
                method: "An exact preview.")
        }
    }
    /// The rules document (docs/rules.md) and what it would do; `default` says whether the
    /// programme still runs on the defaults (absent when only checking a document).
    struct RulesBody: APIBody {
        let rules: JSONFragment
        let `default`: Bool?
        let effect: EffectBody
        static var example: RulesBody { RulesBody(rules: .object([:]), default: true, effect: .example) }
    }
    struct EditBody: APIBody {
        let kind: ProposalEdit.Kind, people: [String], summary: String, delta: Int, total: Int, by: String, accountId: UUID, at: Date
        static var example: EditBody {
            EditBody(kind: .lock, people: ["P0001", "P0002"], summary: "Locked Ana and Nikhil", delta: 0, total: 4_200, by: "Maya Chen", accountId: UUID(), at: Date())
        }
    }
    /// The manager's edits to a run's proposal and what they hold in place.
    struct StateBody: APIBody {
        let edits: [EditBody], locked: [[String]], broken: [[String]], excluded: [String], rerunOf: UUID?
        static var example: StateBody {
            StateBody(edits: [.example], locked: [["P0001", "P0002"]], broken: [["P0003", "P0004"]], excluded: ["P0005"], rerunOf: UUID())
        }
    }
    /// A re-run: the run's fields and the state it runs around, in one object.
    struct RerunBody: APIBody {
        let run: MatchRunsAPI.RunBody
        let state: StateBody
        init(run: MatchRunsAPI.RunBody, state: StateBody) {
            self.run = run
            self.state = state
        }
        init(from decoder: any Decoder) throws {
            run = try MatchRunsAPI.RunBody(from: decoder)
            state = try StateBody(from: decoder)
        }
        func encode(to encoder: any Encoder) throws {
            try run.encode(to: encoder)
            try state.encode(to: encoder)
        }
        static var example: RerunBody { RerunBody(run: .example, state: .example) }
    }
    /// An edit's answer: the run with its edited result, its state and the edit just made.
    struct EditedRunBody: APIBody {
        let run: MatchRunsAPI.RunBody
        let state: StateBody
        let edit: EditBody
        enum CodingKeys: CodingKey { case edit }
        init(run: MatchRunsAPI.RunBody, state: StateBody, edit: EditBody) {
            self.run = run
            self.state = state
            self.edit = edit
        }
        init(from decoder: any Decoder) throws {
            run = try MatchRunsAPI.RunBody(from: decoder)
            state = try StateBody(from: decoder)
            edit = try decoder.container(keyedBy: CodingKeys.self).decode(EditBody.self, forKey: .edit)
        }
        func encode(to encoder: any Encoder) throws {
            try run.encode(to: encoder)
            try state.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(edit, forKey: .edit)
        }
        static var example: EditedRunBody { EditedRunBody(run: .example, state: .example, edit: .example) }
    }

    static func effectBody(_ effect: RulesEffect) -> EffectBody {
        let (headline, detail) = RulesPages.effectText(effect)
        return EffectBody(
            enrolled: effect.enrolled, pool: effect.pool, matched: effect.matched, withoutPartner: effect.withoutPartner,
            previewedAsPairs: effect.previewedAsPairs, summary: headline, method: detail)
    }

    static func rulesDocument(_ rules: MatchRules) -> JSONFragment {
        JSONFragment(text: RulesFile.encodeText(rules))
    }

    /// The request body as text, refusing anything that is not a JSON object.
    private func rulesText(_ request: Request, _ context: SignedInContext) async throws -> String {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw APIProblem(status: .contentTooLarge, title: "Request too large", detail: "A rules document is small; send at most \(context.maxUploadSize / 1024) KB.")
        }
        return String(buffer: buffer)
    }

    @Sendable func getRules(_ request: Request, _ context: SignedInContext) async throws -> RulesBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let current = try await store.programmeRules(programmeID: id, by: context.identity)
        let effect = try await store.rulesEffect(current.rules, programmeID: id, by: context.identity)
        return RulesBody(rules: Self.rulesDocument(current.rules), default: current.isDefault, effect: Self.effectBody(effect))
    }

    @Sendable func putRules(_ request: Request, _ context: SignedInContext) async throws -> RulesBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let rules = try await store.checkRules(try await rulesText(request, context), programmeID: id, by: context.identity)
        let saved = try await store.setProgrammeRules(rules, programmeID: id, by: context.identity)
        let effect = try await store.rulesEffect(rules, programmeID: id, by: context.identity)
        return RulesBody(rules: Self.rulesDocument(saved.rules), default: false, effect: Self.effectBody(effect))
    }

    @Sendable func checkRules(_ request: Request, _ context: SignedInContext) async throws -> RulesBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let rules = try await store.checkRules(try await rulesText(request, context), programmeID: id, by: context.identity)
        let effect = try await store.rulesEffect(rules, programmeID: id, by: context.identity)
        return RulesBody(rules: Self.rulesDocument(rules), default: nil, effect: Self.effectBody(effect))
    }

    static func editBody(_ edit: ProposalEdit) -> EditBody {
        EditBody(
            kind: edit.kind, people: edit.people, summary: edit.summary, delta: edit.delta, total: edit.total, by: edit.by,
            accountId: edit.accountID, at: edit.at)
    }

    static func stateBody(_ run: MatchRunSummary) -> StateBody {
        StateBody(
            edits: run.edits.map(editBody), locked: run.lockedPairs, broken: run.brokenPairs, excluded: run.excludedPeople,
            rerunOf: run.frame.fromRun)
    }

    @Sendable func listEdits(_ request: Request, _ context: SignedInContext) async throws -> StateBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match run")
        return Self.stateBody(try await store.matchRun(id: id, of: context.identity))
    }

    struct EditRequest: APIBody {
        /// lock, unlock, break, swap or exclude.
        let action: Action
        let people: [String]
        let expectedEdits: Int?

        enum Action: String, Codable, Sendable, CaseIterable, APIEnumeration {
            case lock, unlock
            case breakPair = "break"
            case swap, exclude
        }

        static var example: EditRequest { EditRequest(action: .lock, people: ["P0001", "P0002"], expectedEdits: 0) }

        func change() throws -> ProposalChange {
            func two() throws -> (String, String) {
                guard people.count == 2 else {
                    throw APIProblem(
                        status: .unprocessableContent, title: "Invalid value", detail: "\"\(action.rawValue)\" needs exactly two ids in \"people\".",
                        field: "people")
                }
                return (people[0], people[1])
            }
            switch action {
            case .lock: let (a, b) = try two(); return .lock(a, b)
            case .unlock: let (a, b) = try two(); return .unlock(a, b)
            case .breakPair: let (a, b) = try two(); return .breakPair(a, b)
            case .swap: let (a, b) = try two(); return .swap(a, b)
            case .exclude:
                guard people.count == 1 else {
                    throw APIProblem(status: .unprocessableContent, title: "Invalid value", detail: "\"exclude\" needs exactly one id in \"people\".", field: "people")
                }
                return .exclude(people[0])
            }
        }
    }

    @Sendable func edit(_ request: Request, _ context: SignedInContext, _ input: APIInput<EditRequest>) async throws -> EditedRunBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match run")
        _ = try await store.matchRun(id: id, of: context.identity)
        let body = try await input.read()
        let outcome = try await store.editProposal(runID: id, try body.change(), expectedEdits: body.expectedEdits, by: context.identity)
        return EditedRunBody(
            run: MatchRunsAPI.runBody(outcome.run, includeResult: true), state: Self.stateBody(outcome.run), edit: Self.editBody(outcome.edit))
    }

    @Sendable func rerun(_ request: Request, _ context: SignedInContext, _ input: APIInput<MatchRunsAPI.RunRequest>) async throws -> RerunBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "match run")
        _ = try await store.matchRun(id: id, of: context.identity)
        let run = try await store.matchRunner.rerun(runID: id, seed: try await input.read().seed, by: context.identity)
        return RerunBody(run: MatchRunsAPI.runBody(run, includeResult: false), state: Self.stateBody(run))
    }
}
