import FluentKit
import Foundation

/// How a programme matches people (the matching engine's models).
public enum ProgrammeModel: String, Codable, Sendable, CaseIterable {
    /// Mutual peer pairs: both teach, both learn.
    case pairs
    /// Mastermind groups of 4–8 peers.
    case groups
    /// Buddies paired on shared wants and interests.
    case buddies
    /// Traditional mentor → mentee, mentors with capacities.
    case mentoring

    public var label: String {
        switch self {
        case .pairs: "Mutual peer pairs"
        case .groups: "Mastermind groups"
        case .buddies: "Buddies"
        case .mentoring: "Traditional mentoring"
        }
    }

    /// The roles a participant may prefer in this model; empty when everyone is a peer.
    public var roles: [EnrolmentRole] {
        self == .mentoring ? [.mentor, .mentee, .both] : []
    }
}

/// Formal programmes meet on a cadence with an agenda; informal ones leave it to the pair.
public enum ProgrammeStructure: String, Codable, Sendable, CaseIterable {
    case formal, informal

    public var label: String { self == .formal ? "Formal: a set cadence and agenda" : "Informal: the pair or group decides" }
}

/// Profile fields a programme can require before someone is matched.
public enum ProfileField: String, Codable, Sendable, CaseIterable {
    case strengths, wants, timezone, languages, availability, department, level

    public var label: String {
        switch self {
        case .strengths: "strengths"
        case .wants: "learning wants"
        case .timezone: "time zone"
        case .languages: "languages"
        case .availability: "weekly availability"
        case .department: "department"
        case .level: "seniority level"
        }
    }
}

/// A mentoring programme in an organisation: what it is for, how it matches, when it runs.
public final class Programme: Model, @unchecked Sendable {
    public static let schema = "programmes"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "name") public var name: String
    @Field(key: "description") public var description: String
    @Field(key: "model") public var model: ProgrammeModel
    @Field(key: "structure") public var structure: ProgrammeStructure
    /// How often matches meet in a formal programme, in words ("every two weeks").
    @Field(key: "cadence") public var cadence: String
    /// The suggested agenda of a meeting in a formal programme.
    @Field(key: "agenda_template") public var agendaTemplate: String
    /// ISO dates (`YYYY-MM-DD`): the cycle and the enrolment window. Enrolment dates may be empty.
    @Field(key: "cycle_start") public var cycleStart: String
    @Field(key: "cycle_end") public var cycleEnd: String
    @Field(key: "enrolment_opens") public var enrolmentOpens: String
    @Field(key: "enrolment_closes") public var enrolmentCloses: String
    /// How many partners (or mentees, for a mentor) one person may have at once.
    @Field(key: "capacity") public var capacity: Int
    /// Whether participants may enrol themselves.
    @Field(key: "self_enrolment") public var selfEnrolment: Bool
    /// Whether participants may browse suggested peers and request a match themselves.
    @Field(key: "self_match") public var selfMatch: Bool
    /// Profile fields everyone must fill in before matching, `;`-separated ``ProfileField`` values.
    @Field(key: "required_fields") public var requiredFields: String
    /// The programme's own enrolment questions, as a JSON array of strings.
    @Field(key: "questions") public var questionsJSON: String
    /// The matching rules as a complete rules-file document (``MutualMatching/RulesFile``);
    /// empty means the model's defaults.
    @Field(key: "matching_rules") public var matchingRules: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "updated_at") public var updatedAt: Date

    public init() {
        matchingRules = ""
    }

    public var requiredProfileFields: [ProfileField] {
        requiredFields.split(separator: ";").compactMap { ProfileField(rawValue: String($0)) }
    }
}

/// One objective of a programme: the organisational goal it serves and the KPIs that show it.
public final class ProgrammeObjective: Model, @unchecked Sendable {
    public static let schema = "programme_objectives"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "programme_id") public var programmeID: UUID
    @Field(key: "position") public var position: Int
    /// The goal in the organisation's words ("Keep early-career engineers").
    @Field(key: "goal") public var goal: String
    /// The KPIs as JSON (an array of ``KPI``).
    @Field(key: "kpis") public var kpisJSON: String

    public init() {}
}

/// A measurable target: "retention of participants ≥ 85 %".
public struct KPI: Codable, Sendable, Equatable {
    public enum Comparison: String, Codable, Sendable, CaseIterable {
        case atLeast = "at_least", atMost = "at_most"
        public var symbol: String { self == .atLeast ? "≥" : "≤" }
    }

    public var name: String
    public var comparison: Comparison
    public var target: Double
    /// The unit as people say it: `%`, `meetings per pair`, `workshops per in-demand skill`.
    public var unit: String

    public init(name: String, comparison: Comparison, target: Double, unit: String) {
        self.name = name
        self.comparison = comparison
        self.target = target
        self.unit = unit
    }

    /// "retention of participants ≥ 85 %".
    public var sentence: String {
        let number = target.rounded() == target ? String(Int(target)) : String(target)
        return "\(name) \(comparison.symbol) \(number)\(unit.isEmpty ? "" : " " + unit)"
    }
}

/// Who takes part in a programme and what they want from this cycle.
public final class Enrolment: Model, @unchecked Sendable {
    public static let schema = "enrolments"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "programme_id") public var programmeID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "role") public var role: EnrolmentRole
    /// The person's goals for this cycle, in their words.
    @Field(key: "goals") public var goals: String
    /// Answers to the programme's questions, as a JSON array of `{question, answer}` (the
    /// question is kept with the answer, so a later change of questions keeps answers readable).
    @Field(key: "answers") public var answersJSON: String
    @Field(key: "source") public var source: EnrolmentSource
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}

/// The role a participant prefers where the model has roles.
public enum EnrolmentRole: String, Codable, Sendable, CaseIterable {
    case peer, mentor, mentee, both

    public var label: String {
        switch self {
        case .peer: "Peer"
        case .mentor: "Mentor"
        case .mentee: "Mentee"
        case .both: "Mentor or mentee"
        }
    }
}

/// How someone came to be enrolled.
public enum EnrolmentSource: String, Codable, Sendable, CaseIterable {
    /// Added by a programme manager (one by one or from a file).
    case manager
    /// Enrolled themselves.
    case own = "self"
}
