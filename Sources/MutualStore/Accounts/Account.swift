import FluentKit
import Foundation

/// A membership: one ``Login`` belonging to one organisation as one person in it, with a role.
/// A login has at most one membership per organisation (unique `login_id, organisation_id`).
/// Sessions, API tokens and every scoped query work with the membership, so a session never
/// reaches another organisation, even of the same login.
public final class Account: Model, @unchecked Sendable {
    public static let schema = "accounts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "person_id") public var personID: UUID
    /// The login that signs in to this membership (its email and password).
    @Field(key: "login_id") public var loginID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "role") public var role: Role
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "last_sign_in_at") public var lastSignInAt: Date?

    public init() {}

    public init(
        id: UUID? = nil, organisationID: UUID, personID: UUID, loginID: UUID, name: String, role: Role, createdAt: Date
    ) {
        self.id = id
        self.organisationID = organisationID
        self.personID = personID
        self.loginID = loginID
        self.name = name
        self.role = role
        self.createdAt = createdAt
    }
}
