/// Reads the people CSV contract, streaming: feed chunks with ``feed(_:)`` and call
/// ``finish()``. Problems are collected with line, column and reason rather than stopping
/// at the first, and thrown together as ``PeopleImportError``.
///
/// List cells (`languages`, `strengths`, `wants`, `interests`, `exclude`) are separated by
/// `;`. `strengths` items are `skill:level` with level 1–5; `wants` items are `skill`,
/// `skill:current_level` (0–4) or `skill:current_level:priority` (priority 1–3).
public struct PeopleCSVReader: Sendable {
    /// Stop collecting after this many problems: beyond it the file is wrong wholesale.
    public static let maximumIssues = 50

    private var parser = CSVParser()
    private var columnIndex: [PeopleColumn: Int] = [:]
    private var headerSeen = false
    /// How many cells the header has (known columns and ignored ones).
    private var headerFieldCount = 0

    /// Whether a row whose `name` cell is empty is refused (when the header has a name column).
    /// The server's import sets it, as its forms require a name; `mutual match` does not need one.
    public var requiresNames = false
    private var people: [Person] = []
    private var warnings: [String] = []
    private var issues: [PeopleImportError.Issue] = []
    private var seenIDs: [String: Int] = [:]
    private let timeZoneLookup: TimeZoneLookup
    /// Offsets already looked up: a file names a handful of zones over and over.
    private var timeZoneOffsets: [String: Int?] = [:]

    /// Turns a `timezone` cell into a UTC offset in minutes, or nil when it is not a time zone.
    public typealias TimeZoneLookup = @Sendable (String) -> Int?

    /// A reader that understands the time zones `timeZones` knows. The default is
    /// ``TimeZoneParser`` (offsets and common IANA names, no Foundation); the server and the
    /// command pass a lookup backed by the system's time-zone database, so every IANA name works.
    public init(timeZones: @escaping TimeZoneLookup = TimeZoneParser.offsetMinutes) {
        timeZoneLookup = timeZones
    }

    /// Reads a whole text; convenient for tests and small files.
    public static func read(_ text: String, timeZones: @escaping TimeZoneLookup = TimeZoneParser.offsetMinutes) throws -> PeopleTable {
        var reader = PeopleCSVReader(timeZones: timeZones)
        try reader.feed(Array(text.utf8))
        return try reader.finish()
    }

    /// Reads the file from a sequence of byte chunks (for example 64 KiB reads of a file).
    public static func read<Chunks: Sequence>(
        chunks: Chunks, timeZones: @escaping TimeZoneLookup = TimeZoneParser.offsetMinutes
    ) throws -> PeopleTable where Chunks.Element == [UInt8] {
        var reader = PeopleCSVReader(timeZones: timeZones)
        for chunk in chunks { try reader.feed(chunk) }
        return try reader.finish()
    }

    /// Consumes the next chunk of bytes.
    public mutating func feed(_ chunk: some Collection<UInt8>) throws {
        var completed: [CSVRecord] = []
        do {
            try parser.feed(chunk) { completed.append($0) }
            for record in completed { handle(record) }
        } catch {
            // Records completed before the broken one still count (the header names the column).
            for record in completed { handle(record) }
            throw structural(error)
        }
        if issues.count >= Self.maximumIssues { throw PeopleImportError(issues: issues) }
    }

    /// Ends the input and returns the people, or throws every problem found.
    public mutating func finish() throws -> PeopleTable {
        do {
            var completed: [CSVRecord] = []
            try parser.finish { completed.append($0) }
            for record in completed { handle(record) }
        } catch {
            throw structural(error)
        }
        if !headerSeen {
            issues.append(.init(line: 1, column: nil, reason: "the file is empty; expected a header row starting with id"))
        }
        if !issues.isEmpty { throw PeopleImportError(issues: issues) }
        return PeopleTable(people: people, warnings: warnings, columns: Set(columnIndex.keys))
    }

    /// Consumes the next chunk and hands each complete data row to `onRow` at once instead of
    /// collecting people, so an import never holds the file. Row problems go to `onRow` (they
    /// do not count towards ``maximumIssues``); header problems and broken CSV structure are
    /// thrown. Duplicate ids are left to the caller, which sees every row.
    public mutating func feed(_ chunk: some Collection<UInt8>, onRow: (PeopleCSVRow) throws -> Void) throws {
        var completed: [CSVRecord] = []
        do {
            try parser.feed(chunk) { completed.append($0) }
        } catch {
            throw structural(error)
        }
        try handleRows(completed, onRow: onRow)
    }

    /// Ends row-by-row input; returns the warnings and header columns (its `people` are empty).
    public mutating func finish(onRow: (PeopleCSVRow) throws -> Void) throws -> PeopleTable {
        var completed: [CSVRecord] = []
        do {
            try parser.finish { completed.append($0) }
        } catch {
            throw structural(error)
        }
        try handleRows(completed, onRow: onRow)
        if !headerSeen {
            throw PeopleImportError(issues: [.init(line: 1, column: nil, reason: "the file is empty; expected a header row starting with id")])
        }
        return PeopleTable(people: [], warnings: warnings, columns: Set(columnIndex.keys))
    }

    private mutating func handleRows(_ records: [CSVRecord], onRow: (PeopleCSVRow) throws -> Void) throws {
        for record in records {
            if !headerSeen {
                headerSeen = true
                readHeader(record)
                if !issues.isEmpty { throw PeopleImportError(issues: issues) }
                continue
            }
            let before = issues.count
            if let person = readPerson(record) {
                try onRow(.person(person, line: record.line))
            } else {
                let rowIssues = Array(issues[before...])
                issues.removeSubrange(before...)
                try onRow(.rejected(line: record.line, id: cell(record, .id), issues: rowIssues))
            }
        }
    }

    private mutating func structural(_ error: CSVError) -> PeopleImportError {
        let column = headerSeen ? columnName(atField: error.field) : nil
        issues.append(.init(line: error.line, column: column, reason: error.reason))
        return PeopleImportError(issues: issues)
    }

    private func columnName(atField field: Int) -> String? {
        columnIndex.first { $0.value == field - 1 }?.key.rawValue
    }

    private mutating func handle(_ record: CSVRecord) {
        guard issues.count < Self.maximumIssues else { return }
        if !headerSeen {
            headerSeen = true
            readHeader(record)
            return
        }
        if let person = readPerson(record) {
            if let earlier = seenIDs[person.id] {
                issues.append(.init(line: record.line, column: "id", reason: "id \"\(person.id)\" is already used on line \(earlier); ids must be unique"))
            } else {
                seenIDs[person.id] = record.line
                people.append(person)
            }
        }
    }

    private mutating func readHeader(_ record: CSVRecord) {
        headerFieldCount = record.fields.count
        var unknown: [String] = []
        for (index, raw) in record.fields.enumerated() {
            let name = raw.trimmingSpaces().lowercased()
            guard let column = PeopleColumn(rawValue: name) else {
                unknown.append(raw)
                continue
            }
            if columnIndex[column] != nil {
                issues.append(.init(line: record.line, column: column.rawValue, reason: "the column appears twice in the header"))
            }
            columnIndex[column] = index
        }
        if !unknown.isEmpty {
            warnings.append("ignored unknown column\(unknown.count == 1 ? "" : "s"): \(unknown.joined(separator: ", ")) (known: \(PeopleColumn.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        for column in PeopleColumn.required where columnIndex[column] == nil {
            issues.append(.init(line: record.line, column: column.rawValue, reason: "the header has no \(column.rawValue) column; it is required"))
        }
        for column in [PeopleColumn.strengths, .wants] where columnIndex[column] == nil {
            warnings.append("the header has no \(column.rawValue) column; nobody will have any \(column.rawValue)")
        }
    }

    private func cell(_ record: CSVRecord, _ column: PeopleColumn) -> String {
        guard let index = columnIndex[column], index < record.fields.count else { return "" }
        return record.fields[index].trimmingSpaces()
    }

    private static func listItems(_ text: String) -> [String] {
        text.split(separator: ";").map { String($0).trimmingSpaces() }.filter { !$0.isEmpty }
    }

    private mutating func readPerson(_ record: CSVRecord) -> Person? {
        let line = record.line
        let expected = columnIndex.values.max().map { $0 + 1 } ?? 0
        if record.fields.count < expected {
            issues.append(.init(line: line, column: nil, reason: "the row has \(record.fields.count) fields but the header has \(expected); check for a missing comma or an unquoted field"))
            return nil
        }
        // More cells than the header names: a comma inside an unquoted value, or a column
        // shifted; reading on would put values under the wrong headings.
        if record.fields.count > headerFieldCount {
            issues.append(.init(line: line, column: nil, reason: "the row has \(record.fields.count) fields but the header has \(headerFieldCount); quote a value that contains a comma, or remove the extra ones"))
            return nil
        }
        var problems: [PeopleImportError.Issue] = []
        func problem(_ column: PeopleColumn, _ reason: String) {
            problems.append(.init(line: line, column: column.rawValue, reason: reason))
        }

        let id = cell(record, .id)
        if id.isEmpty { problem(.id, "the id is empty; every person needs one") }
        if requiresNames, columnIndex[.name] != nil, cell(record, .name).isEmpty {
            problem(.name, "the name is empty; every person needs one")
        }

        var level: Int?
        let levelText = cell(record, .level)
        if !levelText.isEmpty {
            if let value = Int(levelText), value >= 0 { level = value } else { problem(.level, "\"\(levelText)\" is not a whole number ≥ 0") }
        }

        let timeZoneName = cell(record, .timezone)
        var offset: Int?
        if !timeZoneName.isEmpty {
            if let known = timeZoneOffsets[timeZoneName] {
                offset = known
            } else {
                offset = timeZoneLookup(timeZoneName)
                timeZoneOffsets[timeZoneName] = offset
            }
            if offset == nil {
                problem(.timezone, "unknown time zone \"\(timeZoneName)\"; write an offset such as UTC+2 or UTC-05:30, or an IANA name such as Europe/Berlin")
            }
        }

        var strengths: [SkillLevel] = []
        var seenStrengths = Set<String>()
        for item in Self.listItems(cell(record, .strengths)) {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
            guard parts.count == 2, let value = Int(parts[1]), (1...5).contains(value), !SkillSlug.make(parts[0]).isEmpty else {
                problem(.strengths, "\"\(item)\" should be skill:level with a level from 1 to 5, e.g. SQL:4")
                continue
            }
            let strength = SkillLevel(skill: parts[0], displayName: parts[0], level: value)
            if seenStrengths.insert(strength.skill).inserted { strengths.append(strength) } else {
                problem(.strengths, "\"\(parts[0])\" is listed twice")
            }
        }

        var wants: [SkillWant] = []
        var seenWants = Set<String>()
        for item in Self.listItems(cell(record, .wants)) {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
            var current = 0, priority = 1, valid = parts.count <= 3 && !SkillSlug.make(parts[0]).isEmpty
            if valid, parts.count >= 2 {
                if let value = Int(parts[1]), (0...4).contains(value) { current = value } else { valid = false }
            }
            if valid, parts.count == 3 {
                if let value = Int(parts[2]), (1...3).contains(value) { priority = value } else { valid = false }
            }
            guard valid else {
                problem(.wants, "\"\(item)\" should be skill, skill:current_level (0–4) or skill:current_level:priority (1–3), e.g. SQL:2")
                continue
            }
            let want = SkillWant(skill: parts[0], displayName: parts[0], currentLevel: current, priority: priority)
            if seenWants.insert(want.skill).inserted { wants.append(want) } else {
                problem(.wants, "\"\(parts[0])\" is listed twice")
            }
        }

        var role: MentoringRole?
        let roleText = cell(record, .role).lowercased()
        if !roleText.isEmpty {
            role = MentoringRole(rawValue: roleText)
            if role == nil { problem(.role, "\"\(roleText)\" is not a role; use mentor, mentee or both") }
        }

        var capacity: Int?
        let capacityText = cell(record, .capacity)
        if !capacityText.isEmpty {
            if let value = Int(capacityText), value >= 0 { capacity = value } else { problem(.capacity, "\"\(capacityText)\" is not a whole number ≥ 0") }
        }

        let managerText = cell(record, .managerID)
        if !managerText.isEmpty, managerText == id { problem(.managerID, "a person cannot be their own manager") }

        guard problems.isEmpty else {
            issues.append(contentsOf: problems)
            return nil
        }
        return Person(
            id: id, name: cell(record, .name), email: cell(record, .email),
            department: cell(record, .department), company: cell(record, .company),
            level: level, managerID: managerText.isEmpty ? nil : managerText,
            timeZoneName: timeZoneName, utcOffsetMinutes: offset,
            languages: Self.listItems(cell(record, .languages)).map { SkillSlug.make($0) }.filter { !$0.isEmpty },
            strengths: strengths, wants: wants,
            interests: Self.listItems(cell(record, .interests)).map { SkillSlug.make($0) }.filter { !$0.isEmpty },
            exclude: Self.listItems(cell(record, .exclude)),
            role: role, capacity: capacity)
    }
}
