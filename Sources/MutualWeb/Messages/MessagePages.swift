import Foundation
import Hummingbird
import MutualStore

/// Writing in a relationship's thread from its page (the "Messages" section).
struct MessagePages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.post, "/relationships/:id/messages", role: .participant, post)
    }

    /// Posts the message and goes back to the thread; a message that cannot be posted (empty,
    /// too long, a closed relationship) shows the page again with what to fix.
    @Sendable func post(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        // Someone else's relationship is "not found" before the form is read.
        _ = try await store.relationship(id: id, of: context.identity)
        do {
            try await store.postMessage(in: id, body: context.form["body"] ?? "", by: context.identity)
        } catch let error as StoreError where error.isInputProblem {
            let relationships = RelationshipPages(store: store, pages: pages)
            var model = try await relationships.model(context, id: id)
            model.error = error.errorDescription ?? ""
            return try pages.render("relationship", model, status: APIProblem(error).status)
        }
        return .redirect(to: "/relationships/\(id.uuidString)#messages", type: .normal)
    }
}
