import Foundation
import Hummingbird
import MutualStore

/// Self-match: a participant browses suggested peers, ranked and explained by the engine, and
/// asks one; the other accepts or declines under My matches.
struct SelfMatchPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/programmes/:id/suggestions", role: .participant, show)
        routes.member(.post, "/programmes/:id/requests", role: .participant, ask)
    }

    struct SuggestionRow { let personID: String, name: String, department: String, score: Int, reasons: [String], requested: Bool }
    struct SuggestionsModel {
        let page: PageChrome
        let programmeID: String, programme: String
        let suggestions: [SuggestionRow], hasSuggestions: Bool
        var status = "", error = ""
    }

    private func model(_ context: SignedInContext, programmeID: UUID) async throws -> SuggestionsModel {
        let programme = try await store.programme(id: programmeID, of: context.identity)
        let suggestions = try await store.suggestedPeers(in: programmeID, by: context.identity).map {
            SuggestionRow(
                personID: $0.personID.uuidString, name: $0.name, department: $0.department, score: $0.score, reasons: $0.reasons, requested: $0.requested)
        }
        return SuggestionsModel(
            page: pages.chrome(title: "Find a peer", context: context, current: "programmes"), programmeID: programmeID.uuidString,
            programme: programme.draft.name, suggestions: suggestions, hasSuggestions: !suggestions.isEmpty)
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        return try pages.render("suggestions", try await model(context, programmeID: id))
    }

    @Sendable func ask(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let person = try MemberPages.uuid(context.form["person"], what: "participant")
        do {
            try await store.sendMatchRequest(in: id, to: person, message: context.form["message"] ?? "", by: context.identity)
        } catch let error as StoreError where error.isInputProblem {
            var model = try await model(context, programmeID: id)
            model.error = error.errorDescription ?? ""
            return try pages.render("suggestions", model, status: APIProblem(error).status)
        }
        var model = try await model(context, programmeID: id)
        model.status = "Request sent. You will see the answer under My matches."
        return try pages.render("suggestions", model)
    }
}
