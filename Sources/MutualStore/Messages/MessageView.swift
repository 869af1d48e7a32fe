import Foundation

/// One message of a thread as a reader sees it.
public struct MessageView: Sendable, Equatable {
    public let id: UUID
    public let relationshipID: UUID
    public let authorPersonID: UUID?
    /// The writer's name ("Someone who left" once erased).
    public let authorName: String
    /// Written by a programme manager (a nudge), not a member.
    public let fromManager: Bool
    public let body: String
    public let createdAt: Date
    /// The reader wrote it.
    public let isViewer: Bool
}
