import Foundation

/// Whether someone in the directory can sign in, as the members page groups people.
public enum AccessStatus: String, Sendable, CaseIterable, Codable {
    /// Has an account and has signed in.
    case signedIn = "signed_in"
    /// Has an account but no sign-in on record.
    case neverSignedIn = "never_signed_in"
    /// Has a pending invitation.
    case invited
    /// Was invited; the invitation expired unanswered.
    case invitationExpired = "invitation_expired"
    /// Has an email address but no account and no invitation.
    case noAccount = "no_account"
    /// The directory has no email address for them, so they cannot be invited.
    case noEmail = "no_email"

    /// Words for the page.
    public var label: String {
        switch self {
        case .signedIn: "Signed in"
        case .neverSignedIn: "Account, never signed in"
        case .invited: "Invited, not yet accepted"
        case .invitationExpired: "Invitation expired"
        case .noAccount: "No account"
        case .noEmail: "No email address"
        }
    }
}

/// One person on the members page's "who can sign in" list.
public struct AccessLine: Sendable, Equatable {
    public let personID: UUID
    public let name: String
    public let email: String?
    public let department: String
    public let status: AccessStatus
    public let lastSignInAt: Date?
    /// When the pending (or expired) invitation was sent.
    public let invitedAt: Date?
    public let invitationExpiresAt: Date?
    /// The pending invitation, so the page can offer to withdraw it.
    public let invitationID: UUID?
}

/// A page of the "who can sign in" list, the count of each status over the whole
/// organisation, and the cursor of the next page (nil on the last).
public struct AccessPage: Sendable, Equatable {
    public let lines: [AccessLine]
    public let counts: [AccessStatus: Int]
    public let next: String?

    /// Everyone in the directory.
    public var total: Int { counts.values.reduce(0, +) }
}
