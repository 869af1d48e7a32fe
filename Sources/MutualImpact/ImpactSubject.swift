/// One employee in an impact study: the covariates matching compares on, and whether they
/// took part in the programme.
public struct ImpactSubject: Sendable, Hashable {
    /// The external id of the people CSV contract; outcomes refer to it.
    public var id: String
    public var department: String
    /// Seniority level; `nil` when the export has none (a stratum of its own).
    public var level: Int?
    public var company: String
    /// Offset from UTC in minutes; `nil` when unknown (a stratum of its own).
    public var utcOffsetMinutes: Int?
    /// Whether and how this person took part.
    public var group: Group

    /// Participation: a control never took part; a participant may have completed or not.
    public enum Group: Sendable, Hashable {
        case control
        /// `completed` is `nil` when the source does not say (then they count only for
        /// intention-to-treat).
        case participant(completed: Bool?)

        public var isParticipant: Bool { self != .control }
        public var isCompleter: Bool { self == .participant(completed: true) }
    }

    public init(
        id: String, department: String = "", level: Int? = nil, company: String = "", utcOffsetMinutes: Int? = nil,
        group: Group = .control
    ) {
        self.id = id
        self.department = department
        self.level = level
        self.company = company
        self.utcOffsetMinutes = utcOffsetMinutes
        self.group = group
    }
}
