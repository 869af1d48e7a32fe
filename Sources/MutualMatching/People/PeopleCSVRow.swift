/// One data row of a people CSV as it streams past (see ``PeopleCSVReader/feed(_:onRow:)``):
/// the person read from it, or every problem that kept it from being read.
public enum PeopleCSVRow: Sendable {
    case person(Person, line: Int)
    /// `id` is the row's id cell as written (possibly empty).
    case rejected(line: Int, id: String, issues: [PeopleImportError.Issue])

    /// The 1-based physical line the row starts on.
    public var line: Int {
        switch self {
        case .person(_, let line): line
        case .rejected(let line, _, _): line
        }
    }
}
