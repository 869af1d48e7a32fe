/// Writes people in the CSV contract (the inverse of ``PeopleCSVReader``), quoting fields
/// only where RFC 4180 requires it.
public enum PeopleCSVWriter {
    /// The header and one line per person, CRLF-free (`\n`) so files diff cleanly.
    public static func write(_ people: [Person], includeMentoringColumns: Bool = false) -> String {
        var columns: [PeopleColumn] = [.id, .name, .email, .department, .company, .level, .managerID, .timezone,
                                       .languages, .strengths, .wants, .interests, .exclude]
        if includeMentoringColumns { columns += [.role, .capacity] }
        var output = columns.map(\.rawValue).joined(separator: ",") + "\n"
        for person in people {
            output += columns.map { quote(value(of: $0, for: person)) }.joined(separator: ",")
            output += "\n"
        }
        return output
    }

    /// One field, quoted when it holds a comma, quote, CR or LF (or starts with a space).
    public static func quote(_ field: String) -> String {
        let needsQuotes = field.utf8.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        var quoted = "\""
        for character in field {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }

    private static func value(of column: PeopleColumn, for person: Person) -> String {
        switch column {
        case .id: person.id
        case .name: person.name
        case .email: person.email
        case .department: person.department
        case .company: person.company
        case .level: person.level.map(String.init) ?? ""
        case .managerID: person.managerID ?? ""
        case .timezone: person.timeZoneName
        case .languages: person.languages.joined(separator: ";")
        case .strengths: person.strengths.map { "\($0.displayName):\($0.level)" }.joined(separator: ";")
        case .wants:
            person.wants.map { want in
                want.priority == 1 ? "\(want.displayName):\(want.currentLevel)" : "\(want.displayName):\(want.currentLevel):\(want.priority)"
            }.joined(separator: ";")
        case .interests: person.interests.joined(separator: ";")
        case .exclude: person.exclude.joined(separator: ";")
        case .role: person.role?.rawValue ?? ""
        case .capacity: person.capacity.map(String.init) ?? ""
        }
    }
}
