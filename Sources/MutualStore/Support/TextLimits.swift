/// The longest text each stored field accepts, in characters, checked before anything reaches
/// the database, so SQLite and PostgreSQL accept and refuse the same input. PostgreSQL refuses
/// an index key over about 2,700 bytes; every indexed text column (names, emails, ids,
/// departments, slugs, time zones) is far below that even in four-byte characters.
///
/// docs/security.md lists these limits; a field's form, API body and CSV column share one.
public enum TextLimits {
    /// A person's, an account's or an organisation's name.
    public static let name = 200
    /// A directory id (the CSV's `id`, SCIM's `externalId`).
    public static let externalID = 100
    /// An email address (RFC 5321's path limit).
    public static let email = 254
    /// Department, company and location.
    public static let department = 120
    /// An IANA time-zone name or UTC offset.
    public static let timeZone = 64
    /// One language, interest, boundary or skill name in a list.
    public static let listItem = 80
    /// How many items one list (languages, interests, boundaries, strengths, wants) may hold.
    public static let listItems = 100
    /// A profile's "about me".
    public static let bio = 2_000
    /// A skill's name.
    public static let skillName = 80
    /// A skill's family.
    public static let skillFamily = 60
    /// An API token's name.
    public static let tokenName = 100
    /// A programme's name.
    public static let programmeName = 120
    /// A programme's description and agenda template.
    public static let programmeText = 4_000
    /// A programme's cadence.
    public static let cadence = 120
    /// One enrolment question.
    public static let question = 500
    /// An objective's goal.
    public static let objectiveGoal = 300
    /// A KPI's name, unit and target.
    public static let kpiText = 200
    /// An enrolment's goals and each answer.
    public static let enrolmentText = 2_000
    /// A message with a self-match request, a reason for declining or ending.
    public static let message = 1_000
    /// One field of an agreement (vision, boundaries, confidentiality, cadence, goals).
    public static let agreementField = 4_000
    /// A meeting's place or video link.
    public static let meetingPlace = 500
    /// A meeting's agenda.
    public static let meetingAgenda = 4_000
}
