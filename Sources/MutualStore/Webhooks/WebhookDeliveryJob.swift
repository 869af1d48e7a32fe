import Foundation

/// The payload of a `webhook.deliver` job: which delivery to attempt.
public struct WebhookDeliveryJob: Codable, Sendable, Equatable {
    public var deliveryID: UUID

    public init(deliveryID: UUID) { self.deliveryID = deliveryID }
}
