import Foundation

/// What a delivery's body looks like. Every format is signed and retried alike.
public enum WebhookFormat: String, Sendable, Codable, CaseIterable {
    /// `{"type", "timestamp", "data"}` as the Standard Webhooks specification says.
    case standard
    /// A Slack incoming webhook's `{"text": …}`.
    case slack
    /// A Microsoft Teams incoming webhook's message with an Adaptive Card.
    case teams

    /// How the admin page names the format.
    public var label: String {
        switch self {
        case .standard: "Standard Webhooks (JSON, signed)"
        case .slack: "Slack incoming webhook"
        case .teams: "Microsoft Teams incoming webhook"
        }
    }
}

/// The message a chat format (Slack, Teams) shows for an event. Only the events people watch
/// in a channel have words of their own; the others say their type. Like the events, a message
/// never names a person or quotes what anyone wrote: it names the programme (a name admins
/// chose) and links to Mutual.
public struct WebhookChatMessage: Sendable, Equatable {
    public let title: String
    public let text: String
    public let link: String

    /// The events the chat formats have their own words for. (Stories do not exist in Mutual
    /// yet, so there is no "story published" message.)
    public static let described: [EventType] = [
        .matchPublished, .relationshipOpened, .relationshipPaused, .relationshipClosedForSilence, .relationshipCompleted,
        .matchRunFinished, .concernRaised, .feedbackReceived,
    ]

    public static func make(type: String, programmeName: String?, subjectType: String, subjectID: String, baseURL: String) -> WebhookChatMessage {
        let programme = programmeName.map { " in “\($0)”" } ?? ""
        switch EventType(rawValue: type) {
        case .matchPublished:
            return WebhookChatMessage(
                title: "New match published", text: "A match was published\(programme). Its members have been told and can accept it in Mutual.",
                link: "\(baseURL)/programmes")
        case .relationshipOpened:
            return WebhookChatMessage(title: "Relationship started", text: "A mentoring relationship started\(programme).", link: "\(baseURL)/programmes")
        case .relationshipPaused:
            return WebhookChatMessage(
                title: "Relationship paused", text: "A relationship was paused\(programme). It may need a manager's attention.", link: "\(baseURL)/attention")
        case .relationshipClosedForSilence:
            return WebhookChatMessage(
                title: "Relationship stalled", text: "A relationship\(programme) went silent for three months and was closed.", link: "\(baseURL)/attention")
        case .relationshipCompleted:
            return WebhookChatMessage(title: "Relationship completed", text: "A relationship\(programme) was completed.", link: "\(baseURL)/programmes")
        case .matchRunFinished:
            return WebhookChatMessage(
                title: "Match run finished", text: "A match run finished\(programme); its proposals are ready to review.", link: "\(baseURL)/programmes")
        case .concernRaised:
            return WebhookChatMessage(
                title: "Concern raised", text: "A concern was raised\(programme). Its support contact has been emailed.", link: "\(baseURL)/concerns")
        case .feedbackReceived:
            return WebhookChatMessage(title: "Feedback received", text: "A feedback answer arrived\(programme).", link: "\(baseURL)/programmes")
        case let known?:
            return WebhookChatMessage(
                title: "Mutual: \(known.rawValue)", text: "Mutual recorded \(known.rawValue) (\(subjectType) \(subjectID)).", link: baseURL)
        case nil:
            return WebhookChatMessage(title: "Mutual: \(type)", text: "Mutual recorded \(type).", link: baseURL)
        }
    }

    /// `{"text": "*title*\ntext <link|Open Mutual>"}` for Slack.
    public func slackBody() throws -> Data {
        try JSONSerialization.data(
            withJSONObject: ["text": "*\(Self.slackEscape(title))*\n\(Self.slackEscape(text)) <\(link)|Open in Mutual>"], options: [.sortedKeys])
    }

    /// A Teams message carrying an Adaptive Card (what Teams' incoming webhooks and workflows accept).
    public func teamsBody() throws -> Data {
        let card: [String: Any] = [
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
            "body": [
                ["type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": true],
                ["type": "TextBlock", "text": text, "wrap": true],
            ],
            "actions": [["type": "Action.OpenUrl", "title": "Open in Mutual", "url": link]],
        ]
        let message: [String: Any] = [
            "type": "message",
            "attachments": [["contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": NSNull(), "content": card]],
        ]
        return try JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])
    }

    /// Slack reads `&`, `<` and `>` as markup.
    static func slackEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
