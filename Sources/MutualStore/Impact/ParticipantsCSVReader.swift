import Foundation
import MutualMatching

/// Reads the participants file of `mutual impact`: an `id` column and an optional
/// `completed` column (`true`/`false`, also `yes`/`no`/`1`/`0`; empty when not known); other
/// columns are ignored, so a programme's export can be given as it is.
public struct ParticipantsCSVReader {
    /// One participant: the external id and whether they completed (nil: not known).
    public struct Participant: Sendable, Hashable {
        public var line: Int
        public var id: String
        public var completed: Bool?
    }

    /// Reads a whole text, or throws every problem with its line and column.
    public static func read(_ text: String) throws(PeopleImportError) -> [Participant] {
        let records: [CSVRecord]
        do {
            records = try CSVParser.parse(text)
        } catch {
            throw PeopleImportError(issues: [.init(line: error.line, column: nil, reason: error.reason)])
        }
        guard let header = records.first else {
            throw PeopleImportError(issues: [.init(line: 1, column: nil, reason: "the file is empty; expected a header row with an id column")])
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let idColumn = names.firstIndex(of: "id") else {
            throw PeopleImportError(issues: [.init(line: header.line, column: "id", reason: "the header has no id column; it is required")])
        }
        let completedColumn = names.firstIndex(of: "completed")
        var participants: [Participant] = []
        var issues: [PeopleImportError.Issue] = []
        var seen: [String: Int] = [:]
        for record in records.dropFirst() {
            func cell(_ index: Int?) -> String {
                guard let index, index < record.fields.count else { return "" }
                return record.fields[index].trimmingCharacters(in: .whitespaces)
            }
            let id = cell(idColumn)
            if id.isEmpty {
                issues.append(.init(line: record.line, column: "id", reason: "the id is empty; give the person's id from the people file"))
                continue
            }
            if let earlier = seen[id] {
                issues.append(.init(line: record.line, column: "id", reason: "id \"\(id)\" is already listed on line \(earlier); list each participant once"))
                continue
            }
            seen[id] = record.line
            var completed: Bool?
            switch cell(completedColumn).lowercased() {
            case "": completed = nil
            case "true", "yes", "1": completed = true
            case "false", "no", "0": completed = false
            case let other:
                issues.append(.init(line: record.line, column: "completed", reason: "\"\(other)\" is not true or false; write true, false, or leave it empty when not known"))
                continue
            }
            participants.append(Participant(line: record.line, id: id, completed: completed))
        }
        if !issues.isEmpty { throw PeopleImportError(issues: issues) }
        return participants
    }
}
