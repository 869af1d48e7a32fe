import FluentKit
import Foundation

/// A member who can sign in. Each account belongs to one organisation and one person in it.
public final class Account: Model, @unchecked Sendable {
    public static let schema = "accounts"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "person_id") public var personID: UUID
    /// Lower-cased; unique across the installation so sign-in needs only an email address.
    @Field(key: "email") public var email: String
    @Field(key: "name") public var name: String
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "role") public var role: Role
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "last_sign_in_at") public var lastSignInAt: Date?

    public init() {}

    public init(
        id: UUID? = nil, organisationID: UUID, personID: UUID, email: String, name: String,
        passwordHash: String, role: Role, createdAt: Date
    ) {
        self.id = id
        self.organisationID = organisationID
        self.personID = personID
        self.email = email
        self.name = name
        self.passwordHash = passwordHash
        self.role = role
        self.createdAt = createdAt
    }
}
