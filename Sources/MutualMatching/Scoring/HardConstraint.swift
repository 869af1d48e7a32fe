/// The hard constraints a pair must satisfy; used to explain why a pair is impossible.
public enum HardConstraint: String, Sendable, Hashable, CaseIterable {
    case samePerson = "same person"
    case capacity = "capacity"
    case role = "mentoring roles"
    case levelWindow = "level window"
    case sharedLanguage = "shared language"
    case workingHoursOverlap = "working-hours overlap"
    case reportingLine = "manager or direct report"
    case exclusion = "exclusion"
    case history = "previous partners"
    /// A pair the caller set aside (a programme manager broke it in an earlier proposal).
    case setAside = "pair broken by the programme manager"
}
