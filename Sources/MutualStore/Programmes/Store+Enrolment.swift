import FluentKit
import Foundation
import MutualMatching
import SQLKit

/// One enrolled person, with what their profile still lacks for this programme.
public struct EnrolmentLine: Sendable, Equatable {
    public let personID: UUID
    public let externalID: String
    public let name: String
    public let department: String
    public let role: EnrolmentRole
    public let goals: String
    public let source: EnrolmentSource
    /// Answers to the programme's own questions (self-enrolment).
    public let answers: [QuestionAnswer]
    /// Required profile fields this person has not filled in; empty when ready to match.
    public let missing: [ProfileField]

    public var isReady: Bool { missing.isEmpty }
}

/// What an enrolment from a file did, or why it did nothing.
public struct EnrolmentFileReport: Sendable, Equatable {
    public struct Problem: Sendable, Equatable {
        public let line: Int
        public let reason: String
    }

    public var added = 0
    public var alreadyEnrolled = 0
    /// When not empty, nobody was enrolled: fix these lines and upload again.
    public var problems: [Problem] = []
}

extension Store {
    /// Enrols people of the organisation (programme managers). Already enrolled people are
    /// left as they are; the result counts both.
    public func enrol(
        personIDs: [UUID], role: EnrolmentRole? = nil, in programmeID: UUID, by identity: Identity
    ) async throws -> (added: Int, alreadyEnrolled: Int) {
        let programme = try await managedProgramme(id: programmeID, of: identity)
        let role = try Self.role(role, for: programme)
        let database = try db()
        let unique = Array(Set(personIDs))
        let people = try await Person.query(on: database).filter(\.$organisationID == identity.organisationID).filter(\.$id ~~ unique).all()
        guard people.count == unique.count else { throw StoreError.notFound(what: "person") }
        return try await addEnrolments(unique.map { ($0, role, "") }, to: programme, source: .manager, by: identity, on: database)
    }

    /// Enrols the people a CSV names by their `id` (the people file's id), with optional `role`
    /// and `goals` columns. All or nothing: any unknown id or bad role enrols nobody.
    public func enrol(csv text: String, in programmeID: UUID, by identity: Identity) async throws -> EnrolmentFileReport {
        try await enrol(csv: text, headerAdded: false, in: programmeID, by: identity)
    }

    /// Enrols the people a pasted text names: one id per line, or a CSV whose first line is a
    /// header with an `id` column (as ``enrol(csv:in:by:)``). Problems name the lines as pasted,
    /// counted from 1 whether lines end in CRLF, LF or CR.
    public func enrol(pasted text: String, in programmeID: UUID, by identity: Identity) async throws -> EnrolmentFileReport {
        let firstLine = TextLines.numbered(text).first?.text ?? ""
        let hasHeader = firstLine.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "id" }
        // A bare list of ids gets the header the file format needs; lines are then reported
        // one less, as the person pasted them.
        return try await enrol(csv: hasHeader ? text : "id\n" + text, headerAdded: !hasHeader, in: programmeID, by: identity)
    }

    private func enrol(csv text: String, headerAdded: Bool, in programmeID: UUID, by identity: Identity) async throws -> EnrolmentFileReport {
        let programme = try await managedProgramme(id: programmeID, of: identity)
        var report = EnrolmentFileReport()
        var records: [CSVRecord] = []
        var parser = CSVParser()
        // The line as the person wrote it.
        func line(_ record: CSVRecord) -> Int { headerAdded ? record.line - 1 : record.line }
        do {
            try parser.feed(Array(text.utf8)) { records.append($0) }
            try parser.finish { records.append($0) }
        } catch {
            report.problems = [.init(line: headerAdded ? error.line - 1 : error.line, reason: error.reason)]
            return report
        }
        guard let header = records.first else {
            report.problems = [.init(line: 1, reason: "the file is empty; expected a header row with an id column")]
            return report
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let idColumn = names.firstIndex(of: "id") else {
            report.problems = [.init(line: header.line, reason: "the header has no id column; list one person's id per line under a header named id")]
            return report
        }
        let roleColumn = names.firstIndex(of: "role"), goalsColumn = names.firstIndex(of: "goals")
        let database = try db()
        let ids = records.dropFirst().map { $0.fields.indices.contains(idColumn) ? $0.fields[idColumn].trimmingCharacters(in: .whitespaces) : "" }
        var people: [String: UUID] = [:]
        // An id with a control character matches nobody; PostgreSQL would refuse it in a query.
        let searchable = Set(ids).filter { InputRules.forbiddenScalar(in: $0, allowingLineBreaks: false) == nil && $0.count <= TextLimits.externalID }
        for slice in Array(searchable).queryBatches() {
            for person in try await Person.query(on: database).filter(\.$organisationID == identity.organisationID)
                .filter(\.$externalID ~~ Array(slice)).all()
            {
                people[person.externalID] = try person.requireID()
            }
        }
        var entries: [(UUID, EnrolmentRole, String)] = []
        var seen: [String: Int] = [:]
        for (record, id) in zip(records.dropFirst(), ids) {
            if record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard !id.isEmpty else {
                report.problems.append(.init(line: line(record), reason: "the id is empty"))
                continue
            }
            guard let personID = people[id] else {
                report.problems.append(.init(line: line(record), reason: "nobody in the organisation has the id \"\(id)\"; import them first or correct the id"))
                continue
            }
            if let earlier = seen[id] {
                report.problems.append(.init(line: line(record), reason: "\"\(id)\" is already listed on line \(earlier)"))
                continue
            }
            seen[id] = line(record)
            var role: EnrolmentRole?
            if let roleColumn, record.fields.indices.contains(roleColumn), !record.fields[roleColumn].trimmingCharacters(in: .whitespaces).isEmpty {
                let text = record.fields[roleColumn].trimmingCharacters(in: .whitespaces).lowercased()
                guard let parsed = EnrolmentRole(rawValue: text), programme.model.roles.isEmpty ? parsed == .peer : programme.model.roles.contains(parsed) else {
                    let allowed = (programme.model.roles.isEmpty ? [EnrolmentRole.peer] : programme.model.roles).map(\.rawValue).joined(separator: ", ")
                    report.problems.append(.init(line: line(record), reason: "role \"\(text)\" does not exist in a \(programme.model.label.lowercased()) programme; use \(allowed) or leave it empty"))
                    continue
                }
                role = parsed
            }
            let rawGoals = goalsColumn.flatMap { record.fields.indices.contains($0) ? record.fields[$0] : nil } ?? ""
            let goals: String
            do {
                goals = try InputRules.longText(rawGoals, field: "goals", label: "the goals", maxLength: TextLimits.enrolmentText)
            } catch StoreError.invalid(_, let message) {
                report.problems.append(.init(line: line(record), reason: message))
                continue
            }
            entries.append((personID, try Self.role(role, for: programme), goals))
        }
        guard report.problems.isEmpty else { return report }
        let outcome = try await addEnrolments(entries, to: programme, source: .manager, by: identity, on: database)
        report.added = outcome.added
        report.alreadyEnrolled = outcome.alreadyEnrolled
        return report
    }

    /// Enrols the signed-in member, when the programme takes self-enrolment and its window is open.
    /// `answers` answer the programme's questions in order; a missing answer is left blank.
    public func enrolSelf(
        in programmeID: UUID, role: EnrolmentRole?, goals rawGoals: String, answers rawAnswers: [String] = [], by identity: Identity
    ) async throws {
        let programme = try await scopedProgramme(id: programmeID, of: identity)
        guard Self.isEnrolmentOpen(programme, today: isoDate(clock.now)) else {
            if try await Enrolment.query(on: try db()).filter(\.$programmeID == programmeID).filter(\.$personID == identity.personID).first() == nil,
                !(try await manages(programmeID: programmeID, identity))
            {
                throw StoreError.notFound(what: "programme")
            }
            throw StoreError.conflict(
                field: nil, message: "\(programme.name) is not taking enrolments now. Ask the programme manager to add you.")
        }
        let goals = try InputRules.longText(rawGoals, field: "goals", label: "your goals", maxLength: TextLimits.enrolmentText)
        let questions = Self.questions(of: programme)
        guard rawAnswers.count <= questions.count else {
            throw StoreError.invalid(field: "answers", message: "\(programme.name) asks \(questions.count) question(s); \(rawAnswers.count) answers were sent.")
        }
        let answers = try questions.enumerated().map { index, question in
            QuestionAnswer(
                question: question,
                answer: index < rawAnswers.count
                    ? try InputRules.longText(
                        rawAnswers[index], field: "answers[\(index)]", label: "your answer to question \(index + 1)", maxLength: TextLimits.enrolmentText)
                    : "")
        }
        let outcome = try await addEnrolments(
            [(identity.personID, try Self.role(role, for: programme), goals)], to: programme, source: .own, by: identity, on: try db())
        if outcome.added == 0 {
            throw StoreError.conflict(field: nil, message: "You are already enrolled in \(programme.name).")
        }
        if !answers.isEmpty {
            let json = String(decoding: try JSONEncoder().encode(answers), as: UTF8.self)
            try await Enrolment.query(on: try db()).filter(\.$programmeID == programmeID).filter(\.$personID == identity.personID)
                .set(\.$answersJSON, to: json).update()
        }
    }

    /// Takes someone out of a programme: themself, or anyone for a programme manager.
    public func withdraw(personID: UUID, from programmeID: UUID, by identity: Identity) async throws {
        if personID != identity.personID {
            try await requireManager(ofProgrammeID: programmeID, identity)
        } else {
            _ = try await scopedProgramme(id: programmeID, of: identity)
        }
        try await transaction { database in
            // Read and deleted on one transaction, the row locked: two withdrawals at once record
            // one event, and the second hears there was nothing to withdraw.
            try await Self.lockRows(Person.schema, where: "id", equals: personID, on: database)
            let deleted = try await Enrolment.query(on: database).filter(\.$programmeID == programmeID)
                .filter(\.$organisationID == identity.organisationID).filter(\.$personID == personID).all()
            guard !deleted.isEmpty else { throw StoreError.notFound(what: "enrolment") }
            for enrolment in deleted { try await enrolment.delete(on: database) }
            try await self.record(
                NewEvent(
                    .enrolmentWithdrawn, organisationID: identity.organisationID, actor: identity.personID, subject: programmeID,
                    payload: ["people": .ids([personID])]),
                on: database)
        }
    }

    // MARK: Helpers

    /// The role to store: the asked one when the model has it, `both` for mentoring by default, `peer` otherwise.
    static func role(_ asked: EnrolmentRole?, for programme: Programme) throws -> EnrolmentRole {
        let roles = programme.model.roles
        guard let asked else { return roles.isEmpty ? .peer : .both }
        if roles.isEmpty {
            guard asked == .peer else {
                throw StoreError.invalid(field: "role", message: "\(programme.name) matches peers, so there is no \(asked.label.lowercased()) role; leave the role empty.")
            }
            return .peer
        }
        guard roles.contains(asked) else {
            throw StoreError.invalid(field: "role", message: "Choose mentor, mentee or both for \(programme.name).")
        }
        return asked
    }

    /// Inserts the enrolments that do not exist yet; the unique (programme, person) index keeps
    /// a double submit from enrolling anyone twice.
    /// Adds the enrolments in one transaction with their event. The insert decides who is new
    /// (a conflicting row is skipped and not returned), so two requests at once cannot both
    /// count the same person as added.
    private func addEnrolments(
        _ entries: [(UUID, EnrolmentRole, String)], to programme: Programme, source: EnrolmentSource, by identity: Identity,
        on database: any Database
    ) async throws -> (added: Int, alreadyEnrolled: Int) {
        let programmeID = try programme.requireID()
        var existing = Set<UUID>()
        let ids = entries.map(\.0)
        for slice in ids.queryBatches() {
            for enrolment in try await Enrolment.query(on: database).filter(\.$programmeID == programmeID).filter(\.$personID ~~ Array(slice)).all() {
                existing.insert(enrolment.personID)
            }
        }
        let new = entries.filter { !existing.contains($0.0) }
        guard !new.isEmpty else { return (0, existing.count) }
        let now = clock.now
        let added = try await transaction { transaction -> [UUID] in
            guard let sql = transaction as? any SQLDatabase else { throw StoreError.unavailable }
            // Checked on the writing transaction: someone their identity provider deactivated
            // (SCIM) left every pool and is not put back by an enrolment.
            for slice in new.map(\.0).queryBatches() {
                let gone = try await Person.query(on: transaction).filter(\.$id ~~ Array(slice)).filter(\.$deactivatedAt != nil).all()
                if !gone.isEmpty {
                    let names = gone.map(\.name).sorted().prefix(5).joined(separator: ", ")
                    throw StoreError.conflict(
                        field: nil,
                        message: "\(names)\(gone.count > 5 ? " and \(gone.count - 5) more" : "") \(gone.count == 1 ? "was" : "were") deactivated by your identity provider and cannot be enrolled. Nobody was enrolled: leave \(gone.count == 1 ? "them" : "those people") out, or reactivate them there first.")
                }
            }
            var added: [UUID] = []
            // 8 bound values a row: 1,000 rows a statement stays under SQLite's 32,766 parameters.
            for batch in new.queryBatches(1_000) {
                let insert = sql.insert(into: Enrolment.schema).columns("id", "organisation_id", "programme_id", "person_id", "role", "goals", "source", "created_at")
                for (personID, role, goals) in batch {
                    insert.values([
                        SQLBind(UUID()), SQLBind(programme.organisationID), SQLBind(programmeID), SQLBind(personID), SQLBind(role.rawValue),
                        SQLBind(goals), SQLBind(source.rawValue), SQLBind(now),
                    ])
                }
                let rows = try await insert.ignoringConflicts(with: ["programme_id", "person_id"]).returning("person_id").all()
                added += try rows.map { try $0.decode(column: "person_id", as: UUID.self) }
            }
            if !added.isEmpty {
                try await self.record(
                    NewEvent(
                        .enrolmentAdded, organisationID: programme.organisationID, actor: identity.personID, subject: programmeID,
                        payload: ["people": .ids(added), "added": .int(added.count), "source": .string(source.rawValue)]),
                    on: transaction)
            }
            return added
        }
        return (added.count, entries.count - added.count)
    }
}
