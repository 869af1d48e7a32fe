import Foundation

/// The payload of an event consumer's job: which event to consume.
public struct EventJob: Codable, Sendable, Equatable {
    public var eventID: UUID

    public init(eventID: UUID) { self.eventID = eventID }
}
