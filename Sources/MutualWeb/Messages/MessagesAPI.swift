import Foundation
import Hummingbird
import MutualStore

/// `/api/v1/relationships/:id/messages`: a relationship's thread. Members and the programme's
/// managers read it; members write, and a manager who writes posts a nudge ("from the
/// programme manager").
struct MessagesAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/relationships/:id/messages", role: .participant, list)
        routes.api(.post, "/api/v1/relationships/:id/messages", role: .participant, reads: PostRequest.self, status: .created, post)
    }

    struct PostRequest: APIBody {
        let body: String
        static var example: PostRequest { PostRequest(body: "Shall we meet on Thursday at 10?") }
    }

    struct MessageBody: APIBody {
        let id: UUID, relationshipId: UUID, authorId: UUID?, author: String, fromManager: Bool, body: String, createdAt: Date
        static var example: MessageBody {
            MessageBody(
                id: UUID(), relationshipId: UUID(), authorId: UUID(), author: "Ana Silva", fromManager: false, body: "Thursday at 10 works.",
                createdAt: Date())
        }
    }

    static func body(_ view: MessageView) -> MessageBody {
        MessageBody(
            id: view.id, relationshipId: view.relationshipID, authorId: view.authorPersonID, author: view.authorName, fromManager: view.fromManager,
            body: view.body, createdAt: view.createdAt)
    }

    @Sendable func list(_ request: Request, _ context: SignedInContext) async throws -> ItemList<MessageBody> {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        return ItemList(items: try await store.messages(inRelationship: id, of: context.identity).map(Self.body))
    }

    @Sendable func post(_ request: Request, _ context: SignedInContext, _ input: APIInput<PostRequest>) async throws -> MessageBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        // An unknown or unreadable relationship answers 404 before the body is read.
        _ = try await store.relationship(id: id, of: context.identity)
        return Self.body(try await store.postMessage(in: id, body: try await input.read().body, by: context.identity))
    }
}
