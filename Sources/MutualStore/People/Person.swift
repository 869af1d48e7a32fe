import FluentKit
import Foundation

/// Someone in an organisation's directory. Not everyone has an account: HR imports people
/// who have never signed in, and matching runs on them all.
public final class Person: Model, @unchecked Sendable {
    public static let schema = "people"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    /// The id the organisation's HR system uses (the `id` column of the people CSV).
    @Field(key: "external_id") public var externalID: String
    @Field(key: "name") public var name: String
    @OptionalField(key: "email") public var email: String?
    @Field(key: "department") public var department: String
    @Field(key: "company") public var company: String
    @Field(key: "level") public var level: Int
    @OptionalField(key: "manager_id") public var managerID: UUID?
    @Field(key: "timezone") public var timeZone: String
    @Field(key: "location") public var location: String
    /// Language codes or names, `;`-separated as in the CSV contract.
    @Field(key: "languages") public var languages: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(
        id: UUID? = nil, organisationID: UUID, externalID: String, name: String, email: String?,
        department: String, company: String, level: Int, managerID: UUID? = nil,
        timeZone: String, location: String, languages: [String], createdAt: Date
    ) {
        self.id = id
        self.organisationID = organisationID
        self.externalID = externalID
        self.name = name
        self.email = email
        self.department = department
        self.company = company
        self.level = level
        self.managerID = managerID
        self.timeZone = timeZone
        self.location = location
        self.languages = languages.joined(separator: ";")
        self.createdAt = createdAt
    }

    public var languageList: [String] {
        languages.split(separator: ";").map { String($0) }
    }
}
