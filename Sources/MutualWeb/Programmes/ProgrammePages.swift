import Foundation
import Hummingbird
import MutualStore

/// Programmes: the list, the form a programme manager fills in (settings, objectives and
/// KPIs), and the programme page with enrolment and the readiness check.
struct ProgrammePages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/programmes", role: .participant, list)
        routes.member(.get, "/programmes/new", role: .programmeManager, newForm)
        routes.member(.post, "/programmes", role: .programmeManager, create)
        routes.member(.get, "/programmes/:id", role: .participant, show)
        routes.member(.get, "/programmes/:id/edit", role: .programmeManager, editForm)
        routes.member(.post, "/programmes/:id", role: .programmeManager, update)
        routes.member(.post, "/programmes/:id/enrolments", role: .programmeManager, enrolFile)
        routes.member(.post, "/programmes/:id/enrolments/remove", role: .programmeManager, removeEnrolment)
        routes.member(.post, "/programmes/:id/enrol", role: .participant, enrolSelf)
        routes.member(.post, "/programmes/:id/withdraw", role: .participant, withdrawSelf)
    }

    // MARK: List

    struct ListRow { let id: String, name: String, model: String, cycle: String, enrolled: Int, status: String }
    struct ListModel { let page: PageChrome, rows: [ListRow], hasRows: Bool, canCreate: Bool }

    @Sendable func list(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let rows = try await store.programmes(of: context.identity).map {
            ListRow(
                id: $0.id.uuidString, name: $0.name, model: $0.model.label, cycle: "\($0.cycleStart) to \($0.cycleEnd)", enrolled: $0.enrolled,
                status: $0.viewerEnrolled
                    ? "You are enrolled"
                    : ($0.viewerManages && context.identity.role == .programmeManager ? "You manage it" : ($0.enrolmentOpen ? "Open for enrolment" : "")))
        }
        return try pages.render(
            "programmes",
            ListModel(
                page: pages.chrome(title: "Programmes", context: context, current: "programmes"), rows: rows, hasRows: !rows.isEmpty,
                canCreate: context.identity.role >= .programmeManager))
    }

    // MARK: The form

    struct Option { let value: String, label: String, selected: Bool }
    struct FieldOption { let value: String, label: String, checked: Bool }
    struct MeasureOption { let name: String, unit: String, explanation: String }
    struct FormModel {
        let page: PageChrome
        let action: String
        let heading: String
        let name: String, description: String, cadence: String, agendaTemplate: String
        let cycleStart: String, cycleEnd: String, enrolmentOpens: String, enrolmentCloses: String, capacity: String
        let selfEnrolment: Bool, selfMatch: Bool
        let models: [Option], structures: [Option], fields: [FieldOption]
        let objectives: String, questions: String
        let milestoneTemplates: String
        /// What the objective editor offers: the measures Mutual computes.
        let measures: [MeasureOption] = Measure.allCases.map { MeasureOption(name: $0.name, unit: $0.unit, explanation: $0.explanation) }
        var error = "", errorField = ""
    }

    /// The form's values: what was typed (after an error) or what is stored.
    struct FormValues {
        var name = "", description = "", model = ProgrammeModel.pairs.rawValue, structure = ProgrammeStructure.informal.rawValue
        var cadence = "", agendaTemplate = "", cycleStart = "", cycleEnd = "", enrolmentOpens = "", enrolmentCloses = ""
        var capacity = "1", selfEnrolment = false, selfMatch = false
        var requiredFields: Set<String> = [ProfileField.strengths.rawValue, ProfileField.wants.rawValue]
        var objectives = "", questions = ""
        /// Milestone templates, one per line (`14d First meeting`; MilestoneTemplateLines).
        var milestoneTemplates = ""

        init() {}

        init(form: FormFields) {
            name = form["name"] ?? ""
            description = form["description"] ?? ""
            model = form["model"] ?? ""
            structure = form["structure"] ?? ""
            cadence = form["cadence"] ?? ""
            agendaTemplate = form["agenda_template"] ?? ""
            cycleStart = form["cycle_start"] ?? ""
            cycleEnd = form["cycle_end"] ?? ""
            enrolmentOpens = form["enrolment_opens"] ?? ""
            enrolmentCloses = form["enrolment_closes"] ?? ""
            capacity = form["capacity"] ?? ""
            selfEnrolment = form["self_enrolment"] == "on"
            selfMatch = form["self_match"] == "on"
            requiredFields = Set(form.all("required_fields"))
            objectives = form["objectives"] ?? ""
            questions = form["questions"] ?? ""
            milestoneTemplates = form[MilestoneTemplateLines.field] ?? ""
        }

        init(_ detail: ProgrammeDetail) {
            let d = detail.draft
            name = d.name; description = d.description; model = d.model.rawValue; structure = d.structure.rawValue
            cadence = d.cadence; agendaTemplate = d.agendaTemplate; cycleStart = d.cycleStart; cycleEnd = d.cycleEnd
            enrolmentOpens = d.enrolmentOpens; enrolmentCloses = d.enrolmentCloses; capacity = String(d.capacity)
            selfEnrolment = d.selfEnrolment; selfMatch = d.selfMatch; requiredFields = Set(d.requiredFields.map(\.rawValue))
            objectives = ObjectivesText.write(detail.objectives)
            questions = d.questions.joined(separator: "\n")
            milestoneTemplates = MilestoneTemplateLines.write(detail.milestoneTemplates)
        }

        /// The draft, objectives and milestone templates, or the first problem with the field it concerns.
        func parsed() throws -> (ProgrammeDraft, [ObjectiveDraft], [MilestoneTemplateDraft]) {
            guard let model = ProgrammeModel(rawValue: model) else {
                throw StoreError.invalid(field: "model", message: "Choose how the programme matches people.")
            }
            guard let structure = ProgrammeStructure(rawValue: structure) else {
                throw StoreError.invalid(field: "structure", message: "Choose formal or informal.")
            }
            guard let capacity = Int(capacity.trimmingCharacters(in: .whitespaces)) else {
                throw StoreError.invalid(field: "capacity", message: "Capacity is how many partners one person may have at once: a whole number from 1 to 20.")
            }
            let draft = ProgrammeDraft(
                name: name, description: description, model: model, structure: structure, cadence: cadence, agendaTemplate: agendaTemplate,
                cycleStart: cycleStart, cycleEnd: cycleEnd, enrolmentOpens: enrolmentOpens, enrolmentCloses: enrolmentCloses,
                capacity: capacity, selfEnrolment: selfEnrolment, selfMatch: selfMatch,
                requiredFields: ProfileField.allCases.filter { requiredFields.contains($0.rawValue) },
                questions: questions.split(whereSeparator: \.isNewline).map(String.init))
            return (draft, try ObjectivesText.parse(objectives), try MilestoneTemplateLines.parse(milestoneTemplates))
        }
    }

    private func form(_ context: SignedInContext, _ values: FormValues, action: String, heading: String, error: StoreError? = nil) -> FormModel {
        var model = FormModel(
            page: pages.chrome(title: heading, context: context, current: "programmes"), action: action, heading: heading,
            name: values.name, description: values.description, cadence: values.cadence, agendaTemplate: values.agendaTemplate,
            cycleStart: values.cycleStart, cycleEnd: values.cycleEnd, enrolmentOpens: values.enrolmentOpens,
            enrolmentCloses: values.enrolmentCloses, capacity: values.capacity, selfEnrolment: values.selfEnrolment, selfMatch: values.selfMatch,
            models: ProgrammeModel.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values.model) },
            structures: ProgrammeStructure.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values.structure) },
            fields: ProfileField.allCases.map { FieldOption(value: $0.rawValue, label: $0.label, checked: values.requiredFields.contains($0.rawValue)) },
            objectives: values.objectives, questions: values.questions, milestoneTemplates: values.milestoneTemplates)
        if let error {
            model.error = error.errorDescription ?? ""
            model.errorField = error.field ?? ""
        }
        return model
    }

    @Sendable func newForm(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("programme-form", form(context, FormValues(), action: "/programmes", heading: "New programme"))
    }

    @Sendable func create(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let values = FormValues(form: context.form)
        do {
            let (draft, objectives, templates) = try values.parsed()
            let detail = try await store.createProgramme(draft, objectives: objectives, milestoneTemplates: templates, by: context.identity)
            return .redirect(to: "/programmes/\(detail.id.uuidString)", type: .normal)
        } catch let error as StoreError where error.isInputProblem {
            return try pages.render(
                "programme-form", form(context, values, action: "/programmes", heading: "New programme", error: error), status: APIProblem(error).status)
        }
    }

    @Sendable func editForm(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let detail = try await store.programme(id: id, of: context.identity)
        return try pages.render(
            "programme-form", form(context, FormValues(detail), action: "/programmes/\(id.uuidString)", heading: "Edit \(detail.draft.name)"))
    }

    @Sendable func update(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let current = try await store.programme(id: id, of: context.identity)
        let values = FormValues(form: context.form)
        do {
            let (draft, objectives, templates) = try values.parsed()
            _ = try await store.updateProgramme(id: id, draft, objectives: objectives, milestoneTemplates: templates, by: context.identity)
            return .redirect(to: "/programmes/\(id.uuidString)", type: .normal)
        } catch let error as StoreError where error.isInputProblem {
            return try pages.render(
                "programme-form", form(context, values, action: "/programmes/\(id.uuidString)", heading: "Edit \(current.draft.name)", error: error),
                status: APIProblem(error).status)
        }
    }

    // MARK: The programme page

    struct ObjectiveRow { let goal: String, kpis: [String] }
    struct EnrolmentRow {
        let personID: String, name: String, externalID: String, department: String, role: String, goals: String, answers: [String], source: String, ready: Bool, missing: String
    }
    struct QuestionField { let index: Int, question: String }
    struct RoleOption { let value: String, label: String }
    struct RunRow { let id: String, started: String, status: String }
    struct RelationshipRow { let id: String, members: String, status: String, signed: Bool }
    struct ManagerRow { let personID: String, name: String, email: String }
    struct ShowModel {
        let page: PageChrome
        let id: String, name: String, description: String, model: String, structure: String, cadence: String, agendaTemplate: String
        let cycle: String, enrolmentWindow: String, capacity: Int, selfMatch: Bool
        let objectives: [ObjectiveRow], hasObjectives: Bool
        let enrolled: Int
        let isManager: Bool
        let viewerEnrolled: Bool, canEnrol: Bool
        let roles: [RoleOption], hasRoles: Bool
        let questions: [QuestionField], hasQuestions: Bool
        let enrolments: [EnrolmentRow], readyCount: Int, notReadyCount: Int, requiredFields: String
        /// The enrolment list's search and pages: `q`, the count it matches, the next page's link.
        let enrolmentSearch: String, enrolmentMatches: Int, hasEnrolments: Bool
        let enrolmentNextLink: String, enrolmentFirstLink: String, isLaterEnrolmentPage: Bool
        let runs: [RunRow], hasRuns: Bool, canRun: Bool
        let hasPublished: Bool, pendingCount: Int, acceptedCount: Int, declinedCount: Int, declineReasons: [String], hasDeclineReasons: Bool
        let relationships: [RelationshipRow], hasRelationships: Bool
        /// Goals/: the milestone templates (everyone) and the milestones' totals (managers).
        let milestoneTemplates: [String], hasMilestoneTemplates: Bool
        let milestoneTotals: String
        /// Said when the programme has more relationships than the page lists.
        var relationshipsMore = ""
        /// Ethics: who reads concerns (everyone sees the name), and the managers' choice of them.
        var supportContact = "", supportOptions: [Option] = []
        /// Roles/: who manages the programme; admins add and remove them.
        var managers: [ManagerRow] = [], hasManagers = false, canChangeManagers = false, managerOptions: [Option] = [], hasManagerOptions = false
        var status = "", error = "", enrolmentText = ""
        var problems: [String] = []
    }

    /// Which part of the enrolment list the page shows: names containing `text`, after `after`.
    struct EnrolmentListQuery {
        var text = ""
        var after: String?

        init(text: String = "", after: String? = nil) {
            self.text = text
            self.after = after
        }

        init(_ request: Request) {
            let parameters = request.uri.queryParameters
            text = String((parameters.get("q") ?? "").prefix(200))
            after = parameters.get("after").flatMap { $0.isEmpty ? nil : $0 }
        }

        /// The programme page's address with this search, from `after` when given.
        func link(programme id: UUID, after: String? = nil) -> String {
            var items: [URLQueryItem] = []
            if !text.isEmpty { items.append(URLQueryItem(name: "q", value: text)) }
            if let after { items.append(URLQueryItem(name: "after", value: after)) }
            var components = URLComponents()
            components.path = "/programmes/\(id.uuidString)"
            components.queryItems = items.isEmpty ? nil : items
            return (components.string ?? components.path) + "#enrolment-heading"
        }
    }

    /// People per page of the enrolment list.
    static let enrolmentsPerPage = 50

    func showModel(_ context: SignedInContext, id: UUID, enrolmentQuery: EnrolmentListQuery = EnrolmentListQuery()) async throws -> ShowModel {
        var model = try await baseShowModel(context, id: id, enrolmentQuery: enrolmentQuery)
        let contact = try await store.supportContact(programmeID: id, of: context.identity)
        model.supportContact = contact?.name ?? ""
        if model.isManager {
            model.managers = try await store.programmeManagers(ofProgramme: id, by: context.identity).map {
                ManagerRow(personID: $0.personID.uuidString, name: $0.name, email: $0.email ?? "")
            }
            model.hasManagers = !model.managers.isEmpty
            model.canChangeManagers = context.identity.role >= .admin
        }
        if model.canChangeManagers {
            model.managerOptions = try await store.programmeManagerCandidates(ofProgramme: id, by: context.identity).map {
                Option(value: $0.personID.uuidString, label: $0.name, selected: false)
            }
            model.hasManagerOptions = !model.managerOptions.isEmpty
        }
        if model.isManager {
            model.supportOptions = [Option(value: "", label: "Nobody named: the organisation's admins read concerns", selected: contact == nil)]
                + (try await store.supportContactCandidates(of: context.identity)).map {
                    Option(value: $0.personID.uuidString, label: $0.name, selected: $0.personID == contact?.personID)
                }
        }
        return model
    }

    private func baseShowModel(_ context: SignedInContext, id: UUID, enrolmentQuery: EnrolmentListQuery) async throws -> ShowModel {
        let detail = try await store.programme(id: id, of: context.identity)
        let d = detail.draft
        let isManager = detail.viewerManages
        let enrolmentPage =
            isManager
            ? try await store.enrolmentPage(
                in: id, text: enrolmentQuery.text, after: enrolmentQuery.after, limit: Self.enrolmentsPerPage, by: context.identity)
            : EnrolmentPage.empty
        let lines = enrolmentPage.lines
        let runs = isManager ? try await store.matchRuns(of: id, by: context.identity) : []
        let published = isManager ? try await store.publishedMatches(in: id, by: context.identity) : PublishedMatchesSummary()
        // The first 100; the API pages through the rest (`GET /api/v1/programmes/{id}/relationships`).
        let relationshipPage = isManager ? try await store.relationshipPage(in: id, limit: 100, by: context.identity) : nil
        let relationships = relationshipPage?.relationships ?? []
        let totals = isManager ? try await store.milestoneTotals(inProgramme: id, by: context.identity) : nil
        let window: String
        switch (d.selfEnrolment, d.enrolmentOpens.isEmpty, d.enrolmentCloses.isEmpty) {
        case (false, _, _): window = "By invitation: a programme manager enrols people."
        case (true, true, true): window = "Anyone in the organisation can enrol."
        case (true, false, true): window = "Self-enrolment from \(d.enrolmentOpens)."
        case (true, true, false): window = "Self-enrolment until \(d.enrolmentCloses)."
        case (true, false, false): window = "Self-enrolment from \(d.enrolmentOpens) to \(d.enrolmentCloses)."
        }
        return ShowModel(
            page: pages.chrome(title: d.name, context: context, current: "programmes"), id: id.uuidString, name: d.name,
            description: d.description, model: d.model.label, structure: d.structure.label, cadence: d.cadence, agendaTemplate: d.agendaTemplate,
            cycle: "\(d.cycleStart) to \(d.cycleEnd)", enrolmentWindow: window, capacity: d.capacity, selfMatch: d.selfMatch,
            objectives: detail.objectives.map { ObjectiveRow(goal: $0.goal, kpis: $0.kpis.map(\.sentence)) }, hasObjectives: !detail.objectives.isEmpty,
            enrolled: detail.enrolled, isManager: isManager, viewerEnrolled: detail.viewerEnrolled,
            canEnrol: detail.enrolmentOpen && !detail.viewerEnrolled,
            roles: d.model.roles.map { RoleOption(value: $0.rawValue, label: $0.label) }, hasRoles: !d.model.roles.isEmpty,
            questions: d.questions.enumerated().map { QuestionField(index: $0.offset, question: $0.element) }, hasQuestions: !d.questions.isEmpty,
            enrolments: lines.map {
                EnrolmentRow(
                    personID: $0.personID.uuidString, name: $0.name, externalID: $0.externalID, department: $0.department, role: $0.role.label, goals: $0.goals,
                    answers: $0.answers.filter { !$0.answer.isEmpty }.map { "\($0.question) \($0.answer)" },
                    source: $0.source == .own ? "Self" : "Manager", ready: $0.isReady, missing: $0.missing.map(\.label).joined(separator: ", "))
            },
            readyCount: enrolmentPage.ready, notReadyCount: enrolmentPage.notReady,
            requiredFields: d.requiredFields.isEmpty ? "nothing" : d.requiredFields.map(\.label).joined(separator: ", "),
            enrolmentSearch: enrolmentQuery.text, enrolmentMatches: enrolmentPage.total, hasEnrolments: !lines.isEmpty,
            enrolmentNextLink: enrolmentPage.next.map { enrolmentQuery.link(programme: id, after: $0) } ?? "",
            enrolmentFirstLink: enrolmentQuery.link(programme: id), isLaterEnrolmentPage: enrolmentQuery.after != nil,
            runs: runs.map { run in
                let status: String
                switch run.status {
                case .running: status = "Running"
                case .failed: status = "Failed"
                case .done:
                    let quality: String
                    switch run.optimality {
                    case .optimal?: quality = "proven best"
                    case .gap?: quality = String(format: "within %.3f %% of the best", run.gapPercent)
                    case .heuristic?: quality = "groups found by search"
                    case .edited?, nil: quality = "edited by hand"
                    }
                    status = "\(run.matched) of \(run.participants) matched, " + quality
                }
                return RunRow(id: run.id.uuidString, started: MemberPages.dateFormatter.string(from: run.createdAt), status: status)
            },
            hasRuns: !runs.isEmpty, canRun: isManager,
            hasPublished: published.total > 0, pendingCount: published.pending, acceptedCount: published.accepted,
            declinedCount: published.declined, declineReasons: published.declineReasons,
            hasDeclineReasons: !published.declineReasons.isEmpty,
            relationships: relationships.map {
                RelationshipRow(
                    id: $0.id.uuidString, members: $0.memberNames.joined(separator: ", "), status: RelationshipPages.statusLabel($0.status), signed: $0.isSigned)
            },
            hasRelationships: !relationships.isEmpty,
            milestoneTemplates: detail.milestoneTemplates.map(\.sentence), hasMilestoneTemplates: !detail.milestoneTemplates.isEmpty,
            milestoneTotals: totals.map(Self.totalsText) ?? "",
            relationshipsMore: relationshipPage.flatMap { page in
                page.total > page.relationships.count
                    ? "Showing the first \(page.relationships.count) of \(page.total.formatted()) relationships; `GET /api/v1/programmes/\(id)/relationships` lists them all, page by page."
                    : nil
            } ?? "")
    }

    /// "12 of 40 milestones completed, 3 overdue" (or that there are none yet).
    static func totalsText(_ totals: MilestoneTotals) -> String {
        guard totals.total > 0 else { return "No milestones yet in this programme's relationships." }
        return "\(totals.completed) of \(totals.total) milestones completed" + (totals.overdue > 0 ? ", \(totals.overdue) overdue." : ".")
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        return try pages.render("programme", try await showModel(context, id: id, enrolmentQuery: EnrolmentListQuery(request)))
    }

    /// A programme manager takes one person out of the programme (the store's `withdraw`: one
    /// transaction, an `enrolment.withdrawn` event in the audit log).
    @Sendable func removeEnrolment(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        guard let personText = context.form["person_id"], let personID = UUID(uuidString: personText) else {
            var model = try await showModel(context, id: id)
            model.error = "Choose whom to remove with the Remove button on their row of the enrolment list."
            return try pages.render("programme", model, status: .unprocessableContent)
        }
        let query = EnrolmentListQuery(text: String((context.form["q"] ?? "").prefix(200)))
        do {
            try await store.withdraw(personID: personID, from: id, by: context.identity)
        } catch StoreError.notFound(what: "enrolment") {
            var model = try await showModel(context, id: id, enrolmentQuery: query)
            model.error = "That person is not enrolled in this programme (any more); nothing was removed."
            return try pages.render("programme", model, status: .notFound)
        }
        var model = try await showModel(context, id: id, enrolmentQuery: query)
        model.status = "Removed one person from this programme. They are left out of its next match runs; enrol them again to bring them back."
        return try pages.render("programme", model)
    }

    @Sendable func enrolFile(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let text = context.form["people"] ?? ""
        let report = try await store.enrol(pasted: text, in: id, by: context.identity)
        var model = try await showModel(context, id: id)
        if report.problems.isEmpty {
            model.status = "Enrolled \(report.added) \(report.added == 1 ? "person" : "people")"
                + (report.alreadyEnrolled > 0 ? "; \(report.alreadyEnrolled) already enrolled." : ".")
            return try pages.render("programme", model)
        }
        model.error = "Nobody was enrolled. Fix these lines and enrol again:"
        model.problems = report.problems.map { "Line \($0.line): \($0.reason)" }
        model.enrolmentText = text
        return try pages.render("programme", model, status: .unprocessableContent)
    }

    @Sendable func enrolSelf(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        let roleText = context.form["role"] ?? ""
        do {
            try await store.enrolSelf(
                in: id, role: roleText.isEmpty ? nil : EnrolmentRole(rawValue: roleText) ?? .peer, goals: context.form["goals"] ?? "",
                answers: (0..<Store.questionLimit).map { context.form["answer_\($0)"] ?? "" }.reversed().drop(while: \.isEmpty).reversed(),
                by: context.identity)
        } catch let error as StoreError where error.isInputProblem {
            var model = try await showModel(context, id: id)
            model.error = error.errorDescription ?? ""
            return try pages.render("programme", model, status: APIProblem(error).status)
        }
        var model = try await showModel(context, id: id)
        model.status = "You are enrolled. The programme manager will tell you when matches are published."
        return try pages.render("programme", model)
    }

    @Sendable func withdrawSelf(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        try await store.withdraw(personID: context.identity.personID, from: id, by: context.identity)
        return .redirect(to: "/programmes", type: .normal)
    }
}

extension StoreError {
    /// Problems with what was typed, shown on the form rather than as an error page.
    var isInputProblem: Bool {
        switch self {
        case .invalid, .conflict: true
        default: false
        }
    }
}
