/// What kind of message an email is, for each person's email choices. Essential messages (an
/// invitation) are always sent and carry no unsubscribe link; the rest can be turned off.
public enum EmailCategory: String, Codable, Sendable, CaseIterable {
    case essential
    /// Published matches, answers to them, match requests.
    case matches
    /// A relationship opened, its agreement changed, paused, completed or unwound.
    case relationships
    /// A match run a manager started finished or failed.
    case programmes
    /// A meeting of one's relationship scheduled, changed or cancelled (with its `.ics`). Not
    /// essential: someone subscribed to their calendar feed may not want the email as well.
    case meetings
    /// The hourly digest of messages in a relationship's thread.
    case messages
    /// Morning reminders: no first meeting yet, a quiet relationship, a request or agreement waiting.
    case nudges
    /// Requests for feedback (after a meeting, a pulse, the cycle's review) and their one reminder.
    case feedback

    /// The categories a person may turn off, in the order the preferences page lists them.
    public static let optional: [EmailCategory] = [.matches, .relationships, .meetings, .messages, .nudges, .feedback, .programmes]

    public var label: String {
        switch self {
        case .essential: "Invitations and sign-in"
        case .matches: "Matches: new matches, answers and match requests"
        case .relationships: "Relationships: agreements and changes to a relationship"
        case .programmes: "Programmes I manage: match runs that finish or fail"
        case .meetings: "Meetings: invitations when a meeting is scheduled, changed or cancelled"
        case .messages: "Messages: an hourly digest of what the people in my relationships write"
        case .nudges: "Nudges: a morning reminder when a relationship or request needs me (at most one a day)"
        case .feedback: "Feedback: a one-minute question after meetings and now and then about a relationship (one reminder each)"
        }
    }
}
