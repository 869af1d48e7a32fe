import FluentKit
import Foundation
import MutualMatching
import SQLKit

/// One import run, in three phases: ``read(_:)`` checks each row as it streams past and spools
/// the good ones; ``settle(on:)`` checks what needs the whole file and the organisation
/// (managers, loops, emails already taken), then compares each row with the database and writes
/// in batches. Used once, by one task.
final class PeopleImporter: @unchecked Sendable {
    /// What the importer remembers of each spooled row: enough to check managers and emails
    /// across the file without holding the row.
    struct Entry {
        var line: Int
        var managerID: String?
        var email: String?
        /// The row's person id: the existing one, or a new one chosen before writing so a
        /// manager later in the file can be referred to.
        var personID: UUID
        var isRejected = false
        /// Whether the person's row is in the database yet (existing, or written in an earlier batch).
        var isStored = false
    }

    /// A person already in the organisation, as far as the checks need.
    struct Existing {
        var personID: UUID
        var email: String?
        var managerPersonID: UUID?
    }

    let organisationID: UUID
    let options: PeopleImportOptions
    let resolver: SkillResolver
    let now: Date
    let progress: (@Sendable (PeopleImportProgress) -> Void)?
    private(set) var report: PeopleImportReport

    private var reader = PeopleCSVReader(timeZones: SystemTimeZones.standardOffsetMinutes)
    private let spool: PeopleImportSpool
    private var entries: [String: Entry] = [:]
    private var emailLines: [String: Int] = [:]
    private var rejectedIDs: [String: Int] = [:]
    private var bytesRead = 0
    private var timeZones: [String: Bool] = [:]
    private var uuids = ImportUUIDs()
    /// The header's columns, known once reading is done.
    private var columns: Set<PeopleColumn> = []
    private var lastProgress = Date.distantPast

    init(
        organisationID: UUID, options: PeopleImportOptions, resolver: SkillResolver, now: Date,
        progress: (@Sendable (PeopleImportProgress) -> Void)?
    ) throws {
        self.organisationID = organisationID
        self.options = options
        self.resolver = resolver
        self.now = now
        self.progress = progress
        self.report = PeopleImportReport(mode: options.mode, dryRun: options.dryRun)
        self.spool = try PeopleImportSpool()
        reader.requiresNames = true
    }

    // MARK: Phase 1: each row on its own

    func read(_ chunk: [UInt8]) throws {
        guard report.fileProblems.isEmpty else { return }
        bytesRead += chunk.count
        do {
            try reader.feed(chunk) { try self.accept($0) }
        } catch let error as PeopleImportError {
            fail(error)
        }
        reportProgress(.reading, written: 0)
    }

    func finishReading() throws {
        guard report.fileProblems.isEmpty else { return }
        do {
            let table = try reader.finish { try self.accept($0) }
            report.warnings = table.warnings
            columns = table.columns
        } catch let error as PeopleImportError {
            fail(error)
        }
        reportProgress(.reading, written: 0, force: true)
    }

    private func fail(_ error: PeopleImportError) {
        report.fileProblems = error.issues.map { .init(line: $0.line, column: $0.column, reason: $0.reason) }
        report.outcome = report.dryRun ? .dryRun : .nothingWritten
    }

    private func accept(_ row: PeopleCSVRow) throws {
        report.rowsRead += 1
        switch row {
        case .rejected(let line, let id, let issues):
            if !id.isEmpty, entries[id] == nil, rejectedIDs[id] == nil { rejectedIDs[id] = line }
            report.reject(line: line, id: id, problems: issues.map { .init(line: $0.line, column: $0.column, reason: $0.reason) })
        case .person(var person, let line):
            var problems: [PeopleImportReport.Problem] = []
            func problem(_ column: PeopleColumn, _ reason: String) {
                problems.append(.init(line: line, column: column.rawValue, reason: reason))
            }
            if let earlier = entries[person.id]?.line ?? rejectedIDs[person.id] {
                problem(.id, "id \"\(person.id)\" is already used on line \(earlier); ids must be unique")
            }
            if !person.timeZoneName.isEmpty, !isKnownTimeZone(person.timeZoneName) {
                problem(.timezone, "\"\(person.timeZoneName)\" is not an IANA time zone name; write one such as Europe/Berlin or America/New_York (names are case-sensitive)")
            }
            if !person.email.isEmpty {
                if let email = try? InputRules.email(person.email) {
                    person.email = email
                    if let earlier = emailLines[email] {
                        problem(.email, "email \(email) is already used on line \(earlier); each email may belong to one person")
                    }
                } else {
                    problem(.email, "\"\(person.email)\" is not an email address like name@example.org")
                }
            }
            Self.checkTexts(of: person, problem: problem)
            checkSameSkillTwice(person.strengths.map { ($0.displayName, $0.skill) }, column: .strengths, problem: problem)
            checkSameSkillTwice(person.wants.map { ($0.displayName, $0.skill) }, column: .wants, problem: problem)
            guard problems.isEmpty else {
                if entries[person.id] == nil, rejectedIDs[person.id] == nil { rejectedIDs[person.id] = line }
                report.reject(line: line, id: person.id, problems: problems)
                return
            }
            if !person.email.isEmpty { emailLines[person.email] = line }
            entries[person.id] = Entry(
                line: line, managerID: person.managerID, email: person.email.isEmpty ? nil : person.email, personID: uuids.next())
            try spool.append(person)
        }
        if report.rowsRead % 1_000 == 0 { reportProgress(.reading, written: 0) }
    }

    /// The rules the profile form and the API apply to the same fields (`InputRules`,
    /// `TextLimits`): a name is required, no cell holds a control character or a line break,
    /// and each field keeps to its length limit, so an import stores nothing a form would refuse.
    static func checkTexts(of person: MutualMatching.Person, problem: (PeopleColumn, String) -> Void) {
        func check(_ column: PeopleColumn, _ text: String, limit: Int, what: String) {
            if let scalar = InputRules.forbiddenScalar(in: text, allowingLineBreaks: false) {
                let character = [0x09, 0x0A, 0x0D].contains(scalar.value) ? "a line break or tab" : "an invisible control character (\(InputRules.codePoint(scalar)))"
                problem(column, "the \(what) contains \(character); remove it")
            } else if text.count > limit {
                problem(column, "the \(what) has \(text.count) characters; at most \(limit) are allowed")
            }
        }
        func checkList(_ column: PeopleColumn, _ items: [String], limit: Int, what: String) {
            if items.count > TextLimits.listItems {
                problem(column, "\(items.count) \(what)s are listed; at most \(TextLimits.listItems) are allowed")
            }
            for item in items { check(column, item, limit: limit, what: what) }
        }
        // An empty name cell is refused by the reader (`requiresNames`); without a name column
        // the file keeps stored names, and `checkAgainstOrganisation` refuses a new person then.
        check(.id, person.id, limit: TextLimits.externalID, what: "id")
        check(.name, person.name, limit: TextLimits.name, what: "name")
        check(.email, person.email, limit: TextLimits.email, what: "email")
        check(.department, person.department, limit: TextLimits.department, what: "department")
        check(.company, person.company, limit: TextLimits.department, what: "company")
        check(.timezone, person.timeZoneName, limit: TextLimits.timeZone, what: "time zone")
        if let manager = person.managerID { check(.managerID, manager, limit: TextLimits.externalID, what: "manager id") }
        checkList(.languages, person.languages, limit: TextLimits.listItem, what: "language")
        checkList(.interests, person.interests, limit: TextLimits.listItem, what: "interest")
        checkList(.exclude, person.exclude, limit: TextLimits.externalID, what: "excluded id")
        checkList(.strengths, person.strengths.map(\.displayName), limit: TextLimits.skillName, what: "strength")
        checkList(.wants, person.wants.map(\.displayName), limit: TextLimits.skillName, what: "want")
    }

    /// Whether Foundation knows the IANA name; remembered, because on Linux each lookup reads
    /// the zone file from disk (six system calls a row at 100,000 rows).
    private func isKnownTimeZone(_ name: String) -> Bool {
        if let known = timeZones[name] { return known }
        let known = TimeZone(identifier: name) != nil
        timeZones[name] = known
        return known
    }

    /// Two names in one cell that the taxonomy says are the same skill ("js" and "JavaScript").
    private func checkSameSkillTwice(
        _ items: [(name: String, slug: String)], column: PeopleColumn, problem: (PeopleColumn, String) -> Void
    ) {
        var seen: [String: String] = [:]
        for item in items {
            let key = resolver.existingSkillID(for: item.name)?.uuidString ?? item.slug
            if let first = seen[key] {
                problem(column, "\"\(first)\" and \"\(item.name)\" are the same skill; list it once")
            } else {
                seen[key] = item.name
            }
        }
    }

    private func reportProgress(_ phase: PeopleImportProgress.Phase, written: Int, force: Bool = false) {
        guard let progress else { return }
        let time = Date()
        guard force || time.timeIntervalSince(lastProgress) >= 0.1 else { return }
        lastProgress = time
        progress(PeopleImportProgress(phase: phase, bytesRead: bytesRead, rowsRead: report.rowsRead, rowsWritten: written))
    }

    // MARK: Phase 2: the whole file against the organisation

    /// Settles which rows are valid, then compares and (unless nothing may be written) writes.
    func settle(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        reportProgress(.checking, written: 0, force: true)
        var existing: [String: Existing] = [:]
        var externalIDs: [UUID: String] = [:]
        let rows = try await sql.select().columns("id", "external_id", "email", "manager_id").from(Person.schema)
            .where("organisation_id", .equal, organisationID).all()
        for row in rows {
            let id = try row.decode(column: "id", as: UUID.self)
            let externalID = try row.decode(column: "external_id", as: String.self)
            let email = try row.decodeNil(column: "email") ? nil : try row.decode(column: "email", as: String.self)
            let manager = try row.decodeNil(column: "manager_id") ? nil : try row.decode(column: "manager_id", as: UUID.self)
            existing[externalID] = Existing(personID: id, email: email?.lowercased(), managerPersonID: manager)
            externalIDs[id] = externalID
        }
        for (externalID, person) in existing {
            guard var entry = entries[externalID] else { continue }
            entry.personID = person.personID
            entry.isStored = true
            entries[externalID] = entry
        }
        checkAgainstOrganisation(existing: existing, externalIDs: externalIDs)

        let writing = !options.dryRun && !(options.mode == .allOrNothing && report.rejectedCount > 0)
        if !writing && !options.dryRun { report.outcome = .nothingWritten }
        let writer = PeopleImportWriter(
            organisationID: organisationID, sql: sql, database: database, resolver: resolver, now: now, writing: writing,
            columns: columns)
        var written = 0
        var pendingManagers: [(person: UUID, manager: UUID)] = []
        try await spool.forEachBatch(of: options.batchSize) { batch in
            var rows: [PeopleImportWriter.Row] = []
            var inBatch: Set<String> = []
            for person in batch where entries[person.id]?.isRejected == false {
                inBatch.insert(person.id)
            }
            for person in batch {
                guard let entry = entries[person.id], !entry.isRejected else { continue }
                var managerPersonID: UUID?
                var managerIsStored = true
                if let managerID = person.managerID {
                    if let managerEntry = entries[managerID], !managerEntry.isRejected {
                        managerPersonID = managerEntry.personID
                        managerIsStored = managerEntry.isStored || inBatch.contains(managerID)
                    } else {
                        managerPersonID = existing[managerID]?.personID
                    }
                }
                rows.append(
                    PeopleImportWriter.Row(
                        person: person, personID: entry.personID, isNew: existing[person.id] == nil,
                        managerPersonID: managerPersonID, managerIsStored: managerIsStored))
            }
            let outcome = try await writer.apply(rows)
            for row in rows {
                entries[row.person.id]?.isStored = true
                if !row.managerIsStored, let manager = row.managerPersonID, outcome.written.contains(row.personID) {
                    pendingManagers.append((row.personID, manager))
                }
            }
            for (id, kind) in outcome.classified {
                switch kind {
                case .created:
                    report.created += 1
                    if report.createdIDs.count < PeopleImportReport.listLimit { report.createdIDs.append(id) }
                case .changed:
                    report.changed += 1
                    if report.changedIDs.count < PeopleImportReport.listLimit { report.changedIDs.append(id) }
                case .unchanged:
                    report.unchanged += 1
                }
            }
            written += batch.count
            reportProgress(.writing, written: written)
        }
        // Managers that came later in the file than their reports: set now that both exist.
        for (person, manager) in pendingManagers {
            try await sql.update(Person.schema).set("manager_id", to: SQLBind(manager)).where("id", .equal, SQLBind(person)).run()
        }
        report.newSkills = writer.newSkillNames
        reportProgress(.writing, written: written, force: true)
    }

    /// Rejects rows whose email another person already has, whose manager exists nowhere, or
    /// that close a manager loop, until no rejection causes another (a rejected new manager
    /// leaves their reports without one).
    private func checkAgainstOrganisation(existing: [String: Existing], externalIDs: [UUID: String]) {
        var emailHolders: [String: String] = [:]
        for (externalID, person) in existing {
            if let email = person.email { emailHolders[email] = externalID }
        }
        var late: [Int: [PeopleImportReport.Problem]] = [:]
        var lateIDs: [Int: String] = [:]
        func reject(_ id: String, column: PeopleColumn, _ reason: String) {
            guard var entry = entries[id], !entry.isRejected else { return }
            entry.isRejected = true
            entries[id] = entry
            late[entry.line, default: []].append(.init(line: entry.line, column: column.rawValue, reason: reason))
            lateIDs[entry.line] = id
        }
        let ordered = entries.sorted { $0.value.line < $1.value.line }.map(\.key)
        func isValid(_ id: String) -> Bool { entries[id].map { !$0.isRejected } ?? false }

        if !columns.contains(.name) {
            for id in ordered where existing[id] == nil {
                reject(id, column: .name, "the file has no name column, so this new person would have no name; add a name column")
            }
        }
        for id in ordered {
            guard let email = entries[id]?.email, let holder = emailHolders[email], holder != id, !isValid(holder) else { continue }
            reject(id, column: .email, "email \(email) already belongs to \(holder) in the organisation; each email may belong to one person")
        }
        var changedSomething = true
        while changedSomething {
            changedSomething = false
            for id in ordered {
                guard let entry = entries[id], !entry.isRejected, let manager = entry.managerID else { continue }
                if !isValid(manager) && existing[manager] == nil {
                    let reason: String
                    if let line = entries[manager]?.line ?? rejectedIDs[manager] {
                        reason = "manager \"\(manager)\" is rejected on line \(line), so this person cannot report to them; fix that row too"
                    } else {
                        reason = "manager \"\(manager)\" is not in the file or the organisation; add them or leave manager_id empty"
                    }
                    reject(id, column: .managerID, reason)
                    changedSomething = true
                }
            }
            // Each person has at most one manager, so following managers from any person either
            // ends or runs into a loop.
            func managerOf(_ id: String) -> String? {
                // A file without a manager_id column keeps everyone's stored manager.
                if columns.contains(.managerID), let entry = entries[id], !entry.isRejected { return entry.managerID }
                return existing[id]?.managerPersonID.flatMap { externalIDs[$0] }
            }
            var state: [String: Bool] = [:]  // false: on the current path, true: finished
            for id in ordered where isValid(id) && state[id] == nil {
                var path: [String] = []
                var current: String? = id
                while let node = current, state[node] == nil {
                    state[node] = false
                    path.append(node)
                    current = managerOf(node)
                }
                if let node = current, state[node] == false, let start = path.firstIndex(of: node) {
                    let loop = Array(path[start...])
                    let description = (loop + [node]).joined(separator: " → ")
                    for member in loop where isValid(member) {
                        reject(member, column: .managerID, "manager loop: \(description); someone in it must report outside it")
                        changedSomething = true
                    }
                }
                for node in path { state[node] = true }
            }
        }
        for line in late.keys.sorted() {
            report.reject(line: line, id: lateIDs[line] ?? "", problems: late[line] ?? [])
        }
        report.rejected.sort { $0.line < $1.line }
    }

    func finalReport() -> PeopleImportReport { report }
}
