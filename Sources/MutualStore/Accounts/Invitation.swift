import FluentKit
import Foundation

/// An admin's invitation to join an organisation: a single-use link that expires.
public final class Invitation: Model, @unchecked Sendable {
    public static let schema = "invitations"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "email") public var email: String
    /// The directory person the membership will be for, when the admin invited someone already
    /// in the directory. Fixed when the invitation is made, so changing a person's email later
    /// cannot redirect the invitation (and its account) to someone else.
    @OptionalField(key: "person_id") public var personID: UUID?
    @Field(key: "role") public var role: Role
    /// SHA-256 of the token in the link; the token itself is only ever in the email.
    @Field(key: "token_digest") public var tokenDigest: String
    @Field(key: "invited_by") public var invitedBy: UUID
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "expires_at") public var expiresAt: Date
    @OptionalField(key: "accepted_at") public var acceptedAt: Date?
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    /// The lowercased address while the invitation may still be used; cleared when it is
    /// accepted, withdrawn, or replaced after expiring. Unique per organisation (migration 032),
    /// so one address never has two pending invitations.
    @OptionalField(key: "pending_key") public var pendingKey: String?
    /// The link's token sealed under `MUTUAL_SECRET`, so a reminder or a match email can send
    /// the same link again. Absent on invitations made before migration 032.
    @OptionalField(key: "sealed_token") public var sealedToken: String?
    /// The programme an invitation to enrol is for: accepting it leads to that programme's page.
    @OptionalField(key: "programme_id") public var programmeID: UUID?
    /// When the 7-day reminder went out, if it did.
    @OptionalField(key: "reminder_sent_at") public var reminderSentAt: Date?

    public init() {}

    public init(
        id: UUID? = nil, organisationID: UUID, email: String, personID: UUID? = nil, role: Role, tokenDigest: String,
        invitedBy: UUID, createdAt: Date, expiresAt: Date
    ) {
        self.id = id
        self.organisationID = organisationID
        self.email = email
        self.personID = personID
        self.role = role
        self.tokenDigest = tokenDigest
        self.invitedBy = invitedBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.pendingKey = email.lowercased()
    }

    /// Pending, accepted, revoked or expired, as of `now`.
    public func status(at now: Date) -> InvitationStatus {
        if acceptedAt != nil { return .accepted }
        if revokedAt != nil { return .revoked }
        if expiresAt <= now { return .expired }
        return .pending
    }
}

public enum InvitationStatus: String, Codable, Sendable, CaseIterable {
    case pending, accepted, revoked, expired
}
