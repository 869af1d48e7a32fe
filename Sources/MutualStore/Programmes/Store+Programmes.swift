import FluentKit
import Foundation
import SQLKit

/// What a programme manager fills in to create or change a programme.
public struct ProgrammeDraft: Sendable, Equatable {
    public var name: String
    public var description: String
    public var model: ProgrammeModel
    public var structure: ProgrammeStructure
    public var cadence: String
    public var agendaTemplate: String
    public var cycleStart: String
    public var cycleEnd: String
    public var enrolmentOpens: String
    public var enrolmentCloses: String
    public var capacity: Int
    public var selfEnrolment: Bool
    public var selfMatch: Bool
    public var requiredFields: [ProfileField]
    /// The programme's own questions for people enrolling (at most ten).
    public var questions: [String]

    public init(
        name: String, description: String = "", model: ProgrammeModel, structure: ProgrammeStructure = .informal,
        cadence: String = "", agendaTemplate: String = "", cycleStart: String, cycleEnd: String,
        enrolmentOpens: String = "", enrolmentCloses: String = "", capacity: Int = 1, selfEnrolment: Bool = false,
        selfMatch: Bool = false, requiredFields: [ProfileField] = [.strengths, .wants], questions: [String] = []
    ) {
        self.name = name
        self.description = description
        self.model = model
        self.structure = structure
        self.cadence = cadence
        self.agendaTemplate = agendaTemplate
        self.cycleStart = cycleStart
        self.cycleEnd = cycleEnd
        self.enrolmentOpens = enrolmentOpens
        self.enrolmentCloses = enrolmentCloses
        self.capacity = capacity
        self.selfEnrolment = selfEnrolment
        self.selfMatch = selfMatch
        self.requiredFields = requiredFields
        self.questions = questions
    }
}

/// An objective as entered: the goal and its KPIs.
public struct ObjectiveDraft: Sendable, Equatable {
    public var goal: String
    public var kpis: [KPI]

    public init(goal: String, kpis: [KPI]) {
        self.goal = goal
        self.kpis = kpis
    }
}

/// A programme with its objectives, as pages and the API show it.
public struct ProgrammeDetail: Sendable, Equatable {
    public let id: UUID
    public let draft: ProgrammeDraft
    public let objectives: [ObjectiveDraft]
    /// Milestones every relationship gets when it opens, due relative to the match.
    public let milestoneTemplates: [MilestoneTemplateDraft]
    public let enrolled: Int
    /// Whether the viewer is enrolled.
    public let viewerEnrolled: Bool
    /// Whether self-enrolment is possible today.
    public let enrolmentOpen: Bool
    /// Whether the viewer manages it (an admin, or one of its programme managers).
    public let viewerManages: Bool
}

/// A line of the programmes list.
public struct ProgrammeSummary: Sendable, Equatable {
    public let id: UUID
    public let name: String
    public let model: ProgrammeModel
    public let cycleStart: String
    public let cycleEnd: String
    public let enrolled: Int
    public let viewerEnrolled: Bool
    public let enrolmentOpen: Bool
    /// Whether the viewer manages it (an admin, or one of its programme managers).
    public let viewerManages: Bool
}

extension Store {
    /// Creates a programme with its objectives and milestone templates. Programme managers and admins only.
    public func createProgramme(
        _ draft: ProgrammeDraft, objectives: [ObjectiveDraft], milestoneTemplates: [MilestoneTemplateDraft] = [], by identity: Identity
    ) async throws -> ProgrammeDetail {
        try requireRole(.programmeManager, identity)
        let draft = try Self.validated(draft)
        let objectives = try Self.validated(objectives)
        let templates = try Self.validated(milestoneTemplates)
        let programme = Programme()
        programme.organisationID = identity.organisationID
        programme.createdAt = clock.now
        Self.apply(draft, to: programme, now: clock.now)
        try await transaction { transaction in
            // The name check and the insert are one step: two managers creating "Peers" at once
            // get one programme and one clear conflict.
            try await Self.requireUniqueName(draft.name, except: nil, in: identity.organisationID, on: transaction)
            try await programme.create(on: transaction)
            try await Self.replaceObjectives(of: programme, with: objectives, on: transaction)
            try await Self.replaceMilestoneTemplates(of: programme, with: templates, on: transaction)
            // A programme manager manages what they create; admins manage everything anyway.
            if identity.role == .programmeManager {
                try await self.recordManager(personID: identity.personID, of: programme, by: identity.personID, on: transaction)
            }
            try await self.record(
                NewEvent(
                    .programmeCreated, organisationID: identity.organisationID, actor: identity.personID, subject: try programme.requireID(),
                    payload: [
                        "model": .string(programme.model.rawValue), "objectives": .int(objectives.count), "milestone_templates": .int(templates.count),
                    ]),
                on: transaction)
        }
        return try await self.programme(id: try programme.requireID(), of: identity)
    }

    /// Changes a programme's settings and objectives, and its milestone templates unless
    /// `milestoneTemplates` is nil (then they stay as they are).
    public func updateProgramme(
        id: UUID, _ draft: ProgrammeDraft, objectives: [ObjectiveDraft], milestoneTemplates: [MilestoneTemplateDraft]? = nil, by identity: Identity
    ) async throws -> ProgrammeDetail {
        try requireRole(.programmeManager, identity)
        let draft = try Self.validated(draft)
        let objectives = try Self.validated(objectives)
        let templates = try milestoneTemplates.map { try Self.validated($0) }
        let programme = try await managedProgramme(id: id, of: identity)
        Self.apply(draft, to: programme, now: clock.now)
        try await transaction { transaction in
            try await Self.requireUniqueName(draft.name, except: id, in: identity.organisationID, on: transaction)
            try await programme.save(on: transaction)
            try await Self.replaceObjectives(of: programme, with: objectives, on: transaction)
            if let templates { try await Self.replaceMilestoneTemplates(of: programme, with: templates, on: transaction) }
            let templateCount = try await ProgrammeMilestoneTemplate.query(on: transaction).filter(\.$programmeID == id).count()
            try await self.record(
                NewEvent(
                    .programmeChanged, organisationID: identity.organisationID, actor: identity.personID, subject: id,
                    payload: [
                        "model": .string(programme.model.rawValue), "objectives": .int(objectives.count), "milestone_templates": .int(templateCount),
                    ]),
                on: transaction)
        }
        return try await self.programme(id: id, of: identity)
    }

    /// The programmes the member may see: those they manage (all, for an admin), those they are
    /// in and those open for self-enrolment. Newest cycle first.
    public func programmes(of identity: Identity) async throws -> [ProgrammeSummary] {
        let database = try db()
        let programmes = try await Programme.query(on: database).filter(\.$organisationID == identity.organisationID).all()
        let counts = try await enrolmentCounts(in: identity.organisationID, on: database)
        let mine = Set(
            try await Enrolment.query(on: database).filter(\.$organisationID == identity.organisationID)
                .filter(\.$personID == identity.personID).all().map(\.programmeID))
        let today = isoDate(clock.now)
        let managed = try await managedProgrammes(of: identity)
        return try programmes.compactMap { programme -> ProgrammeSummary? in
            let id = try programme.requireID()
            let open = Self.isEnrolmentOpen(programme, today: today)
            guard managed.contains(id) || mine.contains(id) || open else { return nil }
            return ProgrammeSummary(
                id: id, name: programme.name, model: programme.model, cycleStart: programme.cycleStart, cycleEnd: programme.cycleEnd,
                enrolled: counts[id] ?? 0, viewerEnrolled: mine.contains(id), enrolmentOpen: open, viewerManages: managed.contains(id))
        }
        .sorted { ($1.cycleStart, $0.name.lowercased()) < ($0.cycleStart, $1.name.lowercased()) }
    }

    /// One programme with its objectives; "not found" for another organisation's programme, or
    /// for a member who neither manages it, nor is enrolled, nor is able to enrol.
    public func programme(id: UUID, of identity: Identity) async throws -> ProgrammeDetail {
        let database = try db()
        let programme = try await scopedProgramme(id: id, of: identity)
        // COUNT(*) over the unique (programme, person) index: Fluent's count() counts a column,
        // which SQLite answers by reading each row.
        let enrolled = try await self.database.sql().raw("SELECT COUNT(*) AS n FROM enrolments WHERE programme_id = \(bind: id)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let viewerEnrolled = try await Enrolment.query(on: database).filter(\.$programmeID == id)
            .filter(\.$personID == identity.personID).first() != nil
        let open = Self.isEnrolmentOpen(programme, today: isoDate(clock.now))
        let manages = try await self.manages(programmeID: id, identity)
        guard manages || viewerEnrolled || open else { throw StoreError.notFound(what: "programme") }
        let objectives = try await ProgrammeObjective.query(on: database).filter(\.$programmeID == id).sort(\.$position).all()
        return ProgrammeDetail(
            id: id, draft: Self.draft(of: programme),
            objectives: try objectives.map { ObjectiveDraft(goal: $0.goal, kpis: try JSONDecoder().decode([KPI].self, from: Data($0.kpisJSON.utf8))) },
            milestoneTemplates: try await milestoneTemplates(ofProgramme: id, on: database), enrolled: enrolled, viewerEnrolled: viewerEnrolled, enrolmentOpen: open,
            viewerManages: manages)
    }

    // MARK: Helpers

    func scopedProgramme(id: UUID, of identity: Identity) async throws -> Programme {
        guard let programme = try await Programme.query(on: try db())
            .filter(\.$id == id).filter(\.$organisationID == identity.organisationID).first()
        else { throw StoreError.notFound(what: "programme") }
        return programme
    }

    /// `YYYY-MM-DD` of an instant, in UTC.
    func isoDate(_ date: Date) -> String {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    static func isEnrolmentOpen(_ programme: Programme, today: String) -> Bool {
        guard programme.selfEnrolment else { return false }
        if !programme.enrolmentOpens.isEmpty, today < programme.enrolmentOpens { return false }
        if !programme.enrolmentCloses.isEmpty, today > programme.enrolmentCloses { return false }
        return true
    }

    private func enrolmentCounts(in organisationID: UUID, on database: any Database) async throws -> [UUID: Int] {
        guard let sql = database as? any SQLDatabase else { return [:] }
        let rows = try await sql.select().column("programme_id").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(Enrolment.schema).where("organisation_id", .equal, SQLBind(organisationID)).groupBy("programme_id").all()
        var counts: [UUID: Int] = [:]
        for row in rows { counts[try row.decode(column: "programme_id", as: UUID.self)] = try row.decode(column: "n", as: Int.self) }
        return counts
    }

    /// Refuses a name another programme of the organisation has (in any case). Call it inside
    /// the writing transaction: it locks the organisation's row first, so on PostgreSQL two
    /// transactions cannot both pass the check (SQLite writes one transaction at a time).
    private static func requireUniqueName(_ name: String, except id: UUID?, in organisationID: UUID, on database: any Database) async throws {
        try await lockRows(Organisation.schema, where: "id", equals: organisationID, on: database)
        let same = try await Programme.query(on: database).filter(\.$organisationID == organisationID).all()
            .filter { $0.name.lowercased() == name.lowercased() && $0.id != id }
        if !same.isEmpty {
            throw StoreError.conflict(field: "name", message: "There is already a programme called \(name). Choose another name, for example with the year.")
        }
    }

    static func apply(_ draft: ProgrammeDraft, to programme: Programme, now: Date) {
        programme.name = draft.name
        programme.description = draft.description
        programme.model = draft.model
        programme.structure = draft.structure
        programme.cadence = draft.cadence
        programme.agendaTemplate = draft.agendaTemplate
        programme.cycleStart = draft.cycleStart
        programme.cycleEnd = draft.cycleEnd
        programme.enrolmentOpens = draft.enrolmentOpens
        programme.enrolmentCloses = draft.enrolmentCloses
        programme.capacity = draft.capacity
        programme.selfEnrolment = draft.selfEnrolment
        programme.selfMatch = draft.selfMatch
        programme.requiredFields = draft.requiredFields.map(\.rawValue).joined(separator: ";")
        programme.questionsJSON = Self.encodeQuestions(draft.questions)
        programme.updatedAt = now
    }

    static func draft(of programme: Programme) -> ProgrammeDraft {
        ProgrammeDraft(
            name: programme.name, description: programme.description, model: programme.model, structure: programme.structure,
            cadence: programme.cadence, agendaTemplate: programme.agendaTemplate, cycleStart: programme.cycleStart,
            cycleEnd: programme.cycleEnd, enrolmentOpens: programme.enrolmentOpens, enrolmentCloses: programme.enrolmentCloses,
            capacity: programme.capacity, selfEnrolment: programme.selfEnrolment, selfMatch: programme.selfMatch,
            requiredFields: programme.requiredProfileFields, questions: Self.questions(of: programme))
    }

    private static func replaceObjectives(of programme: Programme, with objectives: [ObjectiveDraft], on database: any Database) async throws {
        let id = try programme.requireID()
        try await ProgrammeObjective.query(on: database).filter(\.$programmeID == id).delete()
        for (position, draft) in objectives.enumerated() {
            let objective = ProgrammeObjective()
            objective.organisationID = programme.organisationID
            objective.programmeID = id
            objective.position = position
            objective.goal = draft.goal
            objective.kpisJSON = String(decoding: try JSONEncoder().encode(draft.kpis), as: UTF8.self)
            try await objective.create(on: database)
        }
    }

    // MARK: Validation

    /// Checks and tidies a draft; every message says what to change.
    static func validated(_ draft: ProgrammeDraft) throws -> ProgrammeDraft {
        var draft = draft
        draft.name = try InputRules.requiredText(draft.name, field: "name", label: "the programme's name", maxLength: TextLimits.programmeName)
        draft.description = try InputRules.longText(draft.description, field: "description", label: "the description", maxLength: TextLimits.programmeText)
        draft.cadence = try InputRules.optionalText(draft.cadence, field: "cadence", label: "the cadence", maxLength: TextLimits.cadence)
        draft.agendaTemplate = try InputRules.longText(
            draft.agendaTemplate, field: "agenda_template", label: "the agenda template", maxLength: TextLimits.programmeText)
        if draft.structure == .formal, draft.cadence.isEmpty {
            throw StoreError.invalid(field: "cadence", message: "A formal programme needs a cadence, such as \"every two weeks\". Enter one, or make the programme informal.")
        }
        draft.cycleStart = try isoDate(draft.cycleStart, field: "cycle_start", label: "the cycle's start", required: true)
        draft.cycleEnd = try isoDate(draft.cycleEnd, field: "cycle_end", label: "the cycle's end", required: true)
        guard draft.cycleStart < draft.cycleEnd else {
            throw StoreError.invalid(field: "cycle_end", message: "The cycle ends (\(draft.cycleEnd)) before it starts (\(draft.cycleStart)). Put the end after the start.")
        }
        draft.enrolmentOpens = try isoDate(draft.enrolmentOpens, field: "enrolment_opens", label: "the day enrolment opens", required: false)
        draft.enrolmentCloses = try isoDate(draft.enrolmentCloses, field: "enrolment_closes", label: "the day enrolment closes", required: false)
        if !draft.enrolmentOpens.isEmpty, !draft.enrolmentCloses.isEmpty, draft.enrolmentCloses < draft.enrolmentOpens {
            throw StoreError.invalid(field: "enrolment_closes", message: "Enrolment closes before it opens. Put the closing day after the opening day.")
        }
        guard (1...20).contains(draft.capacity) else {
            throw StoreError.invalid(field: "capacity", message: "Capacity is how many partners one person may have at once: a whole number from 1 to 20.")
        }
        var seen = Set<ProfileField>()
        draft.requiredFields = draft.requiredFields.filter { seen.insert($0).inserted }
        draft.questions = draft.questions.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard draft.questions.count <= Self.questionLimit else {
            throw StoreError.invalid(field: "questions", message: "Ask at most \(Self.questionLimit) questions; there are \(draft.questions.count).")
        }
        draft.questions = try draft.questions.enumerated().map { index, question in
            try InputRules.optionalText(question, field: "questions[\(index)]", label: "question \(index + 1)", maxLength: TextLimits.question)
        }
        return draft
    }

    static func validated(_ objectives: [ObjectiveDraft]) throws -> [ObjectiveDraft] {
        guard objectives.count <= 20 else {
            throw StoreError.invalid(field: "objectives", message: "A programme can have at most 20 objectives; merge some.")
        }
        return try objectives.enumerated().map { index, objective in
            let goal = try InputRules.requiredText(
                objective.goal, field: "objectives[\(index)].goal", label: "the organisational goal objective \(index + 1) serves", maxLength: TextLimits.objectiveGoal)
            guard !objective.kpis.isEmpty else {
                throw StoreError.invalid(
                    field: "objectives[\(index)].kpis", message: "Objective \(index + 1) (\(goal)) needs at least one KPI with a target, such as \"retention of participants ≥ 85 %\".")
            }
            let kpis = try objective.kpis.enumerated().map { kpiIndex, kpi in
                var kpi = kpi
                kpi.name = try InputRules.requiredText(
                    kpi.name, field: "objectives[\(index)].kpis[\(kpiIndex)].name", label: "what KPI \(kpiIndex + 1) of objective \(index + 1) measures", maxLength: TextLimits.kpiText)
                kpi.unit = try InputRules.optionalText(
                    kpi.unit, field: "objectives[\(index)].kpis[\(kpiIndex)].unit", label: "the unit of KPI \(kpiIndex + 1)", maxLength: TextLimits.kpiText)
                guard kpi.target.isFinite, kpi.target >= 0, kpi.target <= 1_000_000_000 else {
                    throw StoreError.invalid(field: "objectives[\(index)].kpis[\(kpiIndex)].target", message: "The target of \(kpi.name) must be a number of 0 or more.")
                }
                if kpi.unit == "%", kpi.target > 100 {
                    throw StoreError.invalid(field: "objectives[\(index)].kpis[\(kpiIndex)].target", message: "\(kpi.name) is a percentage; its target must be at most 100.")
                }
                return kpi
            }
            return ObjectiveDraft(goal: goal, kpis: kpis)
        }
    }

    /// A `YYYY-MM-DD` date that exists on the calendar, or empty when allowed.
    public static func isoDate(_ text: String, field: String, label: String, required: Bool) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty {
            if required { throw StoreError.invalid(field: field, message: "Enter \(label) as a date like 2027-01-31.") }
            return ""
        }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (2000...2200).contains(year), (1...12).contains(month), (1...31).contains(day),
            let date = Calendar(identifier: .gregorian).date(from: DateComponents(timeZone: TimeZone(identifier: "UTC"), year: year, month: month, day: day)),
            Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date).day == day
        else {
            throw StoreError.invalid(field: field, message: "\"\(trimmed)\" is not a date; write \(label) as YYYY-MM-DD, like 2027-01-31.")
        }
        return trimmed
    }
}

/// A question of the programme's enrolment form and one person's answer.
public struct QuestionAnswer: Codable, Sendable, Equatable {
    public let question: String
    public let answer: String

    public init(question: String, answer: String) {
        self.question = question
        self.answer = answer
    }
}

extension Store {
    /// Most questions a programme's enrolment form may ask.
    public static let questionLimit = 10

    static func encodeQuestions(_ questions: [String]) -> String {
        questions.isEmpty ? "" : String(decoding: (try? JSONEncoder().encode(questions)) ?? Data("[]".utf8), as: UTF8.self)
    }

    static func questions(of programme: Programme) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(programme.questionsJSON.utf8))) ?? []
    }

    static func answers(of enrolment: Enrolment) -> [QuestionAnswer] {
        answers(json: enrolment.answersJSON)
    }

    /// The answers stored in an enrolment's `answers` column.
    static func answers(json: String) -> [QuestionAnswer] {
        json.isEmpty ? [] : (try? JSONDecoder().decode([QuestionAnswer].self, from: Data(json.utf8))) ?? []
    }
}
