import Foundation

/// The body of a standard delivery, as the Standard Webhooks specification shapes it:
/// `{"type", "timestamp", "data"}`. `data` is the event as recorded: ids, counts and settings
/// (docs/events.md), never a person's name or words.
struct WebhookMessageBody: Encodable {
    struct EventData: Encodable {
        let eventID: String
        let organisationID: String
        let subjectType: String
        let subjectID: String
        let actorPersonID: String?
        let payload: [String: EventValue]

        enum CodingKeys: String, CodingKey {
            case eventID = "event_id", organisationID = "organisation_id", subjectType = "subject_type", subjectID = "subject_id"
            case actorPersonID = "actor_person_id", payload
        }
    }

    let type: String
    /// When the event happened (not when it is sent: that is `webhook-timestamp`).
    let timestamp: Date
    let data: EventData

    static func encode(_ event: DomainEvent) throws -> Data {
        let payload = (try? JobCoding.decode([String: EventValue].self, from: event.payload)) ?? [:]
        let body = WebhookMessageBody(
            type: event.type, timestamp: event.occurredAt,
            data: EventData(
                eventID: (event.id?.uuidString ?? "").lowercased(), organisationID: event.organisationID.uuidString.lowercased(),
                subjectType: event.subjectType, subjectID: event.subjectID, actorPersonID: event.actorPersonID?.uuidString.lowercased(),
                payload: payload))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(body)
    }
}
