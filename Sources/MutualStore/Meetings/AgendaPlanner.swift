import FluentKit
import Foundation

/// Everything a relationship's suggested agendas depend on, read once: the programme's model
/// and template, the members in the group's order with their names, the start of every
/// scheduled (not cancelled) meeting, and the commitments logged at each of them.
///
/// A series asks for one agenda per occurrence; with this read once, each occurrence is worked
/// out in memory (``agenda(startsAt:)``) and the series' own new meetings are counted in with
/// ``add(scheduledAt:)``, so the rotation moves on exactly as it would if each occurrence were
/// read from the database after the one before was written.
struct AgendaPlanner: Sendable {
    /// A logged, not cancelled meeting and the commitments made in its logs, in member order.
    struct LoggedMeeting: Sendable {
        let id: UUID
        let startsAt: Date
        let commitments: [(personID: UUID, text: String)]
    }

    let model: ProgrammeModel?
    let formalTemplate: String
    /// Person ids in the group's order (member position).
    let order: [UUID]
    let names: [UUID: String]
    /// Starts of the relationship's scheduled meetings, sorted.
    private(set) var scheduledStarts: [Date]
    let logged: [LoggedMeeting]

    /// An agenda planner that suggests nothing (no programme).
    static let empty = AgendaPlanner(model: nil, formalTemplate: "", order: [], names: [:], scheduledStarts: [], logged: [])

    /// Reads what the agendas need in three queries (none unless the programme is a mastermind
    /// group): on the caller's transaction when scheduling, so the counts are the ones it locks.
    static func load(
        programme: Programme?, members: [RelationshipMember], relationshipID: UUID, on database: any Database
    ) async throws -> AgendaPlanner {
        guard let programme else { return .empty }
        let template = programme.structure == .formal ? programme.agendaTemplate : ""
        guard programme.model == .groups, !members.isEmpty else {
            return AgendaPlanner(model: programme.model, formalTemplate: template, order: [], names: [:], scheduledStarts: [], logged: [])
        }
        let ordered = members.sorted { $0.position < $1.position }
        let order = ordered.map(\.personID)
        var names: [UUID: String] = [:]
        for person in try await Person.query(on: database).filter(\.$id ~~ order).all() { names[try person.requireID()] = person.name }
        let scheduled = try await Meeting.query(on: database).filter(\.$relationshipID == relationshipID).filter(\.$status == .scheduled).all()
        let logs = try await MeetingLog.query(on: database).filter(\.$relationshipID == relationshipID).all()
        let positions = Dictionary(ordered.map { ($0.personID, $0.position) }, uniquingKeysWith: { first, _ in first })
        let logsByMeeting = Dictionary(grouping: logs, by: \.meetingID)
        let logged = try scheduled.compactMap { meeting -> LoggedMeeting? in
            let id = try meeting.requireID()
            guard let logs = logsByMeeting[id] else { return nil }
            let commitments = logs.filter { !$0.commitment.isEmpty }
                .sorted { (positions[$0.personID] ?? .max) < (positions[$1.personID] ?? .max) }
                .map { (personID: $0.personID, text: $0.commitment) }
            return LoggedMeeting(id: id, startsAt: meeting.startsAt, commitments: commitments)
        }
        return AgendaPlanner(
            model: programme.model, formalTemplate: template, order: order, names: names,
            scheduledStarts: scheduled.map(\.startsAt).sorted(), logged: logged)
    }

    /// Counts a meeting this transaction has just scheduled, so later occurrences take their turn after it.
    mutating func add(scheduledAt start: Date) {
        guard model == .groups else { return }
        let index = scheduledStarts.firstIndex { $0 > start } ?? scheduledStarts.endIndex
        scheduledStarts.insert(start, at: index)
    }

    /// The agenda a meeting starting at `startsAt` gets when its own is left empty: a mastermind
    /// group's hot seat and facilitator (one step along the group's order for every scheduled
    /// meeting before it), the review of the last logged meeting's commitments, then a formal
    /// programme's template.
    func agenda(startsAt: Date) -> String {
        var lines: [String] = []
        if model == .groups, !order.isEmpty {
            let before = scheduledStarts.prefix { $0 < startsAt }.count
            let hotSeat = name(order[before % order.count])
            let facilitator = name(order[(before + 1) % order.count])
            lines.append("Hot seat: \(hotSeat)")
            lines.append("Facilitator: \(facilitator)")
            lines.append("1. Check-in: one line each.")
            lines.append("2. Review of last meeting's commitments: each member says what they did.")
            // What each member committed to in their log of the last logged meeting (the ledger);
            // ties on the start go to the larger id, as `Store.commitments(fromMeetingBefore:)` does.
            let last = logged.filter { $0.startsAt < startsAt }.max { ($0.startsAt, $0.id.uuidString) < ($1.startsAt, $1.id.uuidString) }
            for commitment in last?.commitments ?? [] {
                lines.append("   – \(name(commitment.personID)): \(commitment.text)")
            }
            lines.append("3. Hot seat: \(hotSeat) brings a challenge; the group asks questions, then offers ideas.")
            lines.append("4. Commitments: each member names one thing to do before next time.")
        }
        if !formalTemplate.isEmpty {
            if !lines.isEmpty { lines.append("") }
            lines.append(formalTemplate)
        }
        return lines.joined(separator: "\n")
    }

    private func name(_ personID: UUID) -> String { names[personID] ?? "A former member" }
}
