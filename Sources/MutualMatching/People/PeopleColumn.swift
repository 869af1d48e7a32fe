/// The columns of the people CSV contract. Headers match case-insensitively, in any order.
public enum PeopleColumn: String, Sendable, CaseIterable {
    case id, name, email, department, company, level
    case managerID = "manager_id"
    case timezone, languages, strengths, wants, interests, exclude
    /// Mentoring only: `mentor`, `mentee` or `both`.
    case role
    /// Mentoring only (and optional for pairs): how many partners or mentees.
    case capacity

    /// The columns every people file must have.
    static let required: [PeopleColumn] = [.id]
}
