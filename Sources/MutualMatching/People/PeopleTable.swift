/// The result of reading a people CSV: the people in file order and non-fatal warnings
/// (such as unknown columns, which are ignored).
public struct PeopleTable: Sendable {
    public var people: [Person]
    public var warnings: [String]
    /// The columns present in the header, in contract terms.
    public var columns: Set<PeopleColumn>

    public init(people: [Person], warnings: [String] = [], columns: Set<PeopleColumn> = Set(PeopleColumn.allCases)) {
        self.people = people
        self.warnings = warnings
        self.columns = columns
    }
}
