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
    /// Interests, `;`-separated as in the CSV.
    @Field(key: "interests") public var interests: String
    /// External ids of people this person must never be matched with, `;`-separated.
    @Field(key: "exclude") public var exclude: String
    @Field(key: "bio") public var bio: String
    /// Weekly availability windows in the person's own time zone, as JSON (see `AvailabilityWindow`).
    @Field(key: "availability") public var availability: String
    /// Topics this person does not want to discuss, `;`-separated.
    @Field(key: "off_limits") public var offLimits: String
    /// Preferred meeting frequency, e.g. `weekly`, `fortnightly`, `monthly`; empty when unsaid.
    @Field(key: "meeting_frequency") public var meetingFrequency: String
    /// `formal`, `informal` or empty.
    @Field(key: "formality") public var formality: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "updated_at") public var updatedAt: Date?
    /// When the organisation's identity provider deactivated them (SCIM `active: false`); nil
    /// while active. A deactivated person cannot sign in and is in no programme's pool.
    @OptionalField(key: "deactivated_at") public var deactivatedAt: Date?

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
        self.interests = ""
        self.exclude = ""
        self.bio = ""
        self.availability = ""
        self.offLimits = ""
        self.meetingFrequency = ""
        self.formality = ""
        self.createdAt = createdAt
    }

    public var languageList: [String] { Self.list(languages) }
    public var interestList: [String] { Self.list(interests) }
    public var excludeList: [String] { Self.list(exclude) }
    public var offLimitsList: [String] { Self.list(offLimits) }

    static func list(_ text: String) -> [String] {
        text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
