import Foundation
import MutualStore

/// The "Messages" section of a relationship's page (`relationship-messages.mustache`): the
/// thread in the reader's time zone and the form to write in it.
struct MessageThreadSection {
    struct Row { let author: String, fromManager: Bool, body: String, time: String, isViewer: Bool }
    let messages: [Row]
    let hasMessages: Bool
    /// The reader may write (a member or a manager of an open relationship).
    let canWrite: Bool
    /// The reader writes as the programme manager (not a member).
    let asManager: Bool
    let limit: Int

    /// Nothing to show (a page that has no thread).
    static let none = MessageThreadSection(messages: [], hasMessages: false, canWrite: false, asManager: false, limit: 0)

    static func load(store: Store, identity: Identity, relationship: RelationshipView) async throws -> MessageThreadSection {
        let zone = try await store.timeZone(of: identity)
        let messages = try await store.messages(inRelationship: relationship.id, of: identity).map {
            Row(author: $0.authorName, fromManager: $0.fromManager, body: $0.body, time: Store.shortTime($0.createdAt, in: zone), isViewer: $0.isViewer)
        }
        let asManager = !relationship.viewerIsMember
        return MessageThreadSection(
            messages: messages, hasMessages: !messages.isEmpty,
            canWrite: relationship.status.isOpen && (relationship.viewerIsMember || identity.role >= .programmeManager), asManager: asManager,
            limit: Store.threadMessageLimit)
    }
}
