import Foundation
import Hummingbird
import MutualStore

/// A relationship's home page: who is in it, what each can teach the others, the agreement
/// they write together and sign, and its status (pause, complete, or unwind).
struct RelationshipPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/relationships/:id", role: .participant, show)
        routes.member(.post, "/relationships/:id/agreement", role: .participant, saveAgreement)
        routes.member(.post, "/relationships/:id/sign", role: .participant, sign)
        routes.member(.post, "/relationships/:id/status", role: .participant, changeStatus)
    }

    /// A member's tracked goal as the agreement lists it: its title, linking to its card in the Goals section.
    struct GoalLink { let id: String, title: String }
    struct MemberRow {
        let name: String, department: String, email: String, goals: String
        /// The agreement's words when the member has no tracked goals; the placeholder when neither.
        let goalsShown: String
        /// The member's tracked goals (the `goals` rows, migration 020): what the agreement lists when there are any.
        let goalLinks: [GoalLink], hasGoalLinks: Bool
        let signed: Bool, isViewer: Bool
    }
    struct StructureOption { let value: String, label: String, selected: Bool }
    struct StatusAction { let value: String, label: String, explanation: String }
    struct MeetingRow { let id: String, when: String, place: String, cancelled: Bool }
    struct CadenceOption { let value: String, label: String, selected: Bool }
    struct RelationshipModel {
        let page: PageChrome
        let id: String, programmeID: String, programme: String, status: String, open: Bool, endReason: String
        let members: [MemberRow], teaching: [String], hasTeaching: Bool, reasons: [String], hasReasons: Bool
        let vision: String, boundaries: String, confidentiality: String, cadence: String, structure: String
        let structureOptions: [StructureOption], myGoals: String
        /// What the agreement shows (a placeholder where nothing is written yet).
        let visionShown: String, boundariesShown: String, confidentialityShown: String, cadenceShown: String, hasVision: Bool
        let version: Int, isMember: Bool, isSigned: Bool, viewerSigned: Bool, canSign: Bool
        let actions: [StatusAction]
        /// The meetings section (`relationship-meetings` partial): upcoming and past, in the viewer's zone.
        let upcoming: [MeetingRow], past: [MeetingRow], hasUpcoming: Bool, hasPast: Bool, canSchedule: Bool
        let cadenceOptions: [CadenceOption], cadenceDays: String, cadenceChoice: String
        var notice = "", error = ""
        /// The "Messages" section (`relationship-messages.mustache`).
        var thread = MessageThreadSection.none
        /// The Goals section (Goals/GoalsSection.swift, `relationship-goals.mustache`).
        var goals: GoalsSection?
        /// The learning ledger's section (`relationship-ledger.mustache`).
        var ledger: LedgerSection?
    }

    static func statusLabel(_ status: Relationship.Status) -> String {
        switch status {
        case .active: "Active"
        case .paused: "Paused"
        case .completed: "Completed"
        case .dissolved: "Ended early (unwound)"
        }
    }

    func model(_ context: SignedInContext, id: UUID) async throws -> RelationshipModel {
        let view = try await store.relationship(id: id, of: context.identity)
        let zone = try await store.timeZone(of: context.identity)
        let now = store.clock.now
        let meetings = try await store.meetings(inRelationship: id, of: context.identity)
        func row(_ meeting: MeetingView) -> MeetingRow {
            MeetingRow(
                id: meeting.id.uuidString, when: MeetingTimeText.describe(meeting.startsAt, durationMinutes: meeting.durationMinutes, in: zone),
                place: meeting.place, cancelled: meeting.status == .cancelled)
        }
        let upcoming = meetings.filter { $0.endsAt > now }.map(row)
        let past = meetings.filter { $0.endsAt <= now }.reversed().map(row)
        // Read once: the Goals section shows them, and the agreement lists each member's titles.
        let tracked = try await store.goals(inRelationship: id, of: context.identity)
        let thread = try await MessageThreadSection.load(store: store, identity: context.identity, relationship: view)
        var actions: [StatusAction] = []
        if view.status == .active { actions.append(.init(value: "paused", label: "Pause", explanation: "Take a break; you keep each other.")) }
        if view.status == .paused { actions.append(.init(value: "active", label: "Resume", explanation: "Pick up where you left off.")) }
        if view.status.isOpen {
            actions.append(.init(value: "completed", label: "Mark completed", explanation: "The cycle ended as planned."))
            actions.append(
                .init(
                    value: "dissolved", label: "Unwind this relationship",
                    explanation: "It is not working: you both return to the pool for the next match, and will not be matched together again."))
        }
        var model = RelationshipModel(
            page: pages.chrome(title: "Relationship", context: context, current: "matches"), id: id.uuidString,
            programmeID: view.programmeID.uuidString, programme: view.programmeName, status: Self.statusLabel(view.status), open: view.status.isOpen,
            endReason: view.endReason,
            members: view.members.map { member in
                let links = tracked.goals.filter { $0.personID == member.personID }.map { GoalLink(id: $0.id.uuidString, title: $0.title) }
                return MemberRow(
                    name: member.name, department: member.department, email: member.email ?? "", goals: member.goals,
                    goalsShown: member.goals.isEmpty ? "None written yet." : member.goals, goalLinks: links, hasGoalLinks: !links.isEmpty,
                    signed: member.signed, isViewer: member.isViewer)
            },
            teaching: view.teaching, hasTeaching: !view.teaching.isEmpty, reasons: view.reasons, hasReasons: !view.reasons.isEmpty,
            vision: view.vision, boundaries: view.boundaries, confidentiality: view.confidentiality, cadence: view.cadence,
            structure: view.structure.rawValue,
            structureOptions: ProgrammeStructure.allCases.map {
                StructureOption(value: $0.rawValue, label: $0 == .formal ? "Formal (set agenda, regular cadence)" : "Informal (as it suits you)", selected: $0 == view.structure)
            },
            myGoals: view.members.first(where: \.isViewer)?.goals ?? "",
            visionShown: view.vision.isEmpty ? "Not written yet." : view.vision,
            boundariesShown: view.boundaries.isEmpty ? "None." : view.boundaries,
            confidentialityShown: view.confidentiality.isEmpty ? "Not agreed yet." : view.confidentiality,
            cadenceShown: view.cadence.isEmpty ? "Not agreed yet." : view.cadence, hasVision: !view.vision.isEmpty, version: view.agreementVersion, isMember: view.viewerIsMember,
            isSigned: view.isSigned, viewerSigned: view.viewerSigned, canSign: view.viewerIsMember && view.status.isOpen && !view.viewerSigned,
            actions: actions, upcoming: upcoming, past: past, hasUpcoming: !upcoming.isEmpty, hasPast: !past.isEmpty,
            canSchedule: view.viewerIsMember && view.status == .active,
            cadenceOptions: [CadenceOption(value: "", label: "Not chosen yet", selected: view.meetingCadence == nil)]
                + MeetingCadence.Interval.allCases.map {
                    CadenceOption(value: $0.rawValue, label: $0.label, selected: view.meetingCadence?.interval == $0)
                },
            cadenceDays: view.meetingCadence.map { $0.days > 0 ? String($0.days) : "" } ?? "",
            cadenceChoice: view.meetingCadence?.description ?? "Not chosen yet", thread: thread)
        model.goals = GoalsSection.make(tracked)
        model.ledger = try await LedgerSection.load(store: store, relationshipID: id, context: context)
        return model
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        return try pages.render("relationship", try await model(context, id: id))
    }

    /// Runs a change, then shows the page again with what happened or what to fix.
    private func perform(_ context: SignedInContext, done: String, _ change: (UUID) async throws -> Void) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        do {
            try await change(id)
        } catch let error as StoreError where error.isInputProblem {
            var model = try await model(context, id: id)
            model.error = error.errorDescription ?? ""
            return try pages.render("relationship", model, status: APIProblem(error).status)
        }
        var model = try await model(context, id: id)
        model.notice = done
        return try pages.render("relationship", model)
    }

    /// Another organisation's or someone else's relationship is "not found" before any field is read.
    private func requireVisible(_ context: SignedInContext) async throws {
        _ = try await store.relationship(id: try MemberPages.uuid(context.parameters.get("id"), what: "relationship"), of: context.identity)
    }

    @Sendable func saveAgreement(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await requireVisible(context)
        let form = context.form
        guard let structure = ProgrammeStructure(rawValue: form["structure"] ?? "") else {
            throw StoreError.invalid(field: "structure", message: "Choose formal or informal.")
        }
        let draft = AgreementDraft(
            vision: form["vision"] ?? "", goals: form["goals"] ?? "", boundaries: form["boundaries"] ?? "",
            confidentiality: form["confidentiality"] ?? "", cadence: form["cadence"] ?? "", structure: structure,
            meetingCadence: try Self.cadence(interval: form["cadence_interval"], days: form["cadence_days"]))
        return try await perform(context, done: "Agreement saved. Everyone signs the new version.") { id in
            try await store.updateAgreement(relationshipID: id, draft, by: context.identity)
        }
    }

    /// The agreement form's cadence choice; `nil` when none is chosen (or the field is absent).
    static func cadence(interval: String?, days: String?) throws -> MeetingCadence? {
        guard let interval, !interval.isEmpty else { return nil }
        guard let known = MeetingCadence.Interval(rawValue: interval) else {
            throw StoreError.invalid(field: "cadence_interval", message: "Choose weekly, fortnightly, every three weeks, monthly or custom.")
        }
        guard known == .custom else { return MeetingCadence(known) }
        guard let count = Int((days ?? "").trimmingCharacters(in: .whitespaces)), MeetingCadence.customDays.contains(count) else {
            throw StoreError.invalid(
                field: "cadence_days",
                message: "For a custom cadence, give the number of days between meetings, from \(MeetingCadence.customDays.lowerBound) to \(MeetingCadence.customDays.upperBound).")
        }
        return MeetingCadence(.custom, days: count)
    }

    @Sendable func sign(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await requireVisible(context)
        guard let version = Int(context.form["version"] ?? "") else {
            throw StoreError.invalid(field: "version", message: "Reload the page and sign the agreement you see.")
        }
        return try await perform(context, done: "You signed the agreement.") { id in
            try await store.signAgreement(relationshipID: id, version: version, by: context.identity)
        }
    }

    @Sendable func changeStatus(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await requireVisible(context)
        guard let status = Relationship.Status(rawValue: context.form["status"] ?? "") else {
            throw StoreError.invalid(field: "status", message: "Choose pause, resume, complete or unwind.")
        }
        let reason = context.form["reason"] ?? ""
        return try await perform(context, done: "The relationship is now \(Self.statusLabel(status).lowercased()).") { id in
            try await store.changeRelationship(id: id, to: status, reason: reason, by: context.identity)
        }
    }
}
