import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Logs what the caller taught and learned at a meeting, replacing their earlier log of it.
    /// Only members of the meeting's relationship log, and only a meeting that has started and
    /// was not cancelled. Skills must already be in the organisation's taxonomy (name, slug or
    /// alias); an unknown one is refused with its name, never created here.
    @discardableResult
    public func logMeeting(id meetingID: UUID, _ draft: MeetingLogDraft, by identity: Identity) async throws -> MeetingLogView {
        let (meeting, members) = try await scopedMeeting(id: meetingID, of: identity)
        guard members.contains(where: { $0.personID == identity.personID }) else {
            throw StoreError.forbidden(
                message: "Only the members of this relationship log what they taught and learned at its meetings. You can read the ledger on the relationship's page.")
        }
        try requireLoggable(meeting)
        let resolver = try await skillResolver(for: identity.organisationID)
        let taught = try checkedItems(draft.taught, field: "taught", resolver: resolver)
        let learned = try checkedItems(draft.learned, field: "learned", resolver: resolver)
        guard !taught.isEmpty || !learned.isEmpty else {
            throw StoreError.invalid(
                field: "taught", message: "Name at least one skill you taught or learned at this meeting (a skill's name, such as SQL).")
        }
        if let rating = draft.rating, !(1...5).contains(rating) {
            throw StoreError.invalid(field: "rating", message: "Rate how useful the meeting was from 1 (not useful) to 5 (very useful), not \(rating); or leave it out.")
        }
        let commitment = try InputRules.longText(
            draft.commitment, field: "commitment", label: "your commitment", maxLength: MeetingLogDraft.commitmentLimit)
        let now = clock.now
        let personID = identity.personID
        let organisationID = identity.organisationID
        let relationshipID = meeting.relationshipID
        try await transaction { database in
            // One writer per person: parallel submissions of the same log replace each other
            // one after the other, so exactly one log remains (PostgreSQL: the person's row
            // lock; SQLite: the single writer).
            try await Self.lockRows(Person.schema, where: "id", equals: personID, on: database)
            // The meeting may have been cancelled since it was read.
            guard let current = try await Meeting.find(meetingID, on: database) else { throw StoreError.notFound(what: "meeting") }
            try self.requireLoggable(current)
            let previous = try await MeetingLog.query(on: database).filter(\.$meetingID == meetingID).filter(\.$personID == personID).all()
            let previousIDs = try previous.map { try $0.requireID() }
            if !previousIDs.isEmpty {
                try await MeetingLogEntry.query(on: database).filter(\.$logID ~~ previousIDs).delete()
                try await MeetingLog.query(on: database).filter(\.$id ~~ previousIDs).delete()
            }
            let log = MeetingLog()
            log.id = UUID()
            log.organisationID = organisationID
            log.meetingID = meetingID
            log.relationshipID = relationshipID
            log.personID = personID
            log.rating = draft.rating
            log.commitment = commitment
            log.loggedAt = now
            try await log.create(on: database)
            let logID = try log.requireID()
            for (direction, items) in [(MeetingLogEntry.Direction.taught, taught), (.learned, learned)] {
                for (position, item) in items.enumerated() {
                    let entry = MeetingLogEntry()
                    entry.organisationID = organisationID
                    entry.logID = logID
                    entry.direction = direction
                    entry.skillID = item.skillID
                    entry.note = item.note
                    entry.position = position
                    try await entry.create(on: database)
                }
            }
            // Ids and counts only: the notes and the commitment are the member's own words.
            try await self.record(
                NewEvent(
                    .meetingLogged, organisationID: organisationID, actor: personID, subject: meetingID,
                    payload: [
                        "relationship_id": .id(relationshipID), "taught": .int(taught.count), "learned": .int(learned.count),
                        "replaced": .bool(!previous.isEmpty),
                    ]),
                on: database)
        }
        guard let view = try await meetingLog(meetingID: meetingID, personID: personID, of: identity) else {
            throw StoreError.unavailable
        }
        return view
    }

    /// `personID`'s log of a meeting the caller may see, or nil when they have not logged it.
    public func meetingLog(meetingID: UUID, personID: UUID, of identity: Identity) async throws -> MeetingLogView? {
        _ = try await scopedMeeting(id: meetingID, of: identity)
        let logs = try await MeetingLog.query(on: try db()).filter(\.$meetingID == meetingID).filter(\.$personID == personID).all()
        return try await logViews(logs, on: try db()).first
    }

    /// The commitments members made in their logs of the relationship's most recent logged
    /// meeting that started before `date` (cancelled meetings do not count), in member order.
    /// For the agenda of the next meeting ("review of each member's commitments"); empty when
    /// nothing was logged before `date` or nobody committed to anything.
    public func commitments(
        fromMeetingBefore date: Date, in relationshipID: UUID, on database: (any Database)? = nil
    ) async throws -> [MeetingCommitment] {
        let database = try database ?? db()
        let logs = try await MeetingLog.query(on: database).filter(\.$relationshipID == relationshipID).all()
        let meetingIDs = Array(Set(logs.map(\.meetingID)))
        guard !meetingIDs.isEmpty else { return [] }
        var candidates: [Meeting] = []
        for slice in meetingIDs.queryBatches() {
            candidates += try await Meeting.query(on: database).filter(\.$id ~~ Array(slice)).filter(\.$startsAt < date).all()
        }
        guard let last = candidates.filter({ $0.status != .cancelled }).max(by: { ($0.startsAt, $0.id?.uuidString ?? "") < ($1.startsAt, $1.id?.uuidString ?? "") }),
            let lastID = last.id
        else { return [] }
        let positions = Dictionary(
            (try await RelationshipMember.query(on: database).filter(\.$relationshipID == relationshipID).all()).map { ($0.personID, $0.position) },
            uniquingKeysWith: { first, _ in first })
        return logs.filter { $0.meetingID == lastID && !$0.commitment.isEmpty }
            .sorted { (positions[$0.personID] ?? .max) < (positions[$1.personID] ?? .max) }
            .map { MeetingCommitment(meetingID: lastID, personID: $0.personID, text: $0.commitment) }
    }

    /// Why the caller cannot log this meeting (not a member, cancelled, not started yet), or
    /// nil when they can; pages show it instead of the form.
    public func logRefusal(meetingID: UUID, of identity: Identity) async throws -> String? {
        let (meeting, members) = try await scopedMeeting(id: meetingID, of: identity)
        guard members.contains(where: { $0.personID == identity.personID }) else {
            return "Only the members of this relationship log what they taught and learned at its meetings."
        }
        do {
            try requireLoggable(meeting)
        } catch let error as StoreError {
            return error.errorDescription
        }
        return nil
    }

    // MARK: Helpers

    /// A log is for a meeting that took place: not cancelled, and started.
    func requireLoggable(_ meeting: Meeting) throws {
        guard meeting.status != .cancelled else {
            throw StoreError.conflict(
                field: nil, message: "This meeting was cancelled, so there is nothing to log. Log a meeting that took place, or schedule a new one.")
        }
        guard meeting.startsAt <= clock.now else {
            let start = ISO8601DateFormatter().string(from: meeting.startsAt)
            throw StoreError.conflict(
                field: nil, message: "This meeting has not started yet (it starts at \(start)). Log what you taught and learned once it has begun.")
        }
    }

    struct CheckedItem: Sendable {
        let skillID: UUID
        let note: String
    }

    /// Resolves each named skill through the taxonomy (slug, then alias) and checks the notes.
    func checkedItems(_ items: [MeetingLogDraft.Item], field: String, resolver: SkillResolver) throws -> [CheckedItem] {
        guard items.count <= MeetingLogDraft.maxItems else {
            throw StoreError.invalid(field: field, message: "List at most \(MeetingLogDraft.maxItems) skills you \(field); this has \(items.count).")
        }
        var seen: Set<UUID> = []
        var checked: [CheckedItem] = []
        for (index, item) in items.enumerated() {
            let skill = try InputRules.requiredText(
                item.skill, field: "\(field)[\(index)].skill", label: "the skill you \(field)", maxLength: TextLimits.skillName)
            guard let skillID = resolver.existingSkillID(for: skill) else {
                throw StoreError.invalid(
                    field: "\(field)[\(index)].skill",
                    message: "“\(skill)” is not a skill in your organisation's taxonomy. Use a skill's name, slug or alias as the profile editor accepts it (the list of skills shows them all), or ask an admin to add “\(skill)”.")
            }
            let note = try InputRules.longText(
                item.note, field: "\(field)[\(index)].note", label: "the note on \(skill)", maxLength: MeetingLogDraft.noteLimit)
            guard seen.insert(skillID).inserted else {
                throw StoreError.invalid(
                    field: "\(field)[\(index)].skill",
                    message: "\(resolver.name(of: skillID) ?? skill) is listed twice under what you \(field); list each skill once, with one note.")
            }
            checked.append(CheckedItem(skillID: skillID, note: note))
        }
        return checked
    }

    /// Views of logs with their entries, skill names and people's names.
    func logViews(_ logs: [MeetingLog], on database: any Database) async throws -> [MeetingLogView] {
        guard !logs.isEmpty else { return [] }
        let logIDs = try logs.map { try $0.requireID() }
        var entries: [MeetingLogEntry] = []
        for slice in logIDs.queryBatches() {
            entries += try await MeetingLogEntry.query(on: database).filter(\.$logID ~~ Array(slice)).all()
        }
        let skillNames = try await names(ofSkills: Set(entries.map(\.skillID)), on: database)
        let personNames = try await names(ofPeople: Set(logs.map(\.personID)), on: database)
        let byLog = Dictionary(grouping: entries, by: \.logID)
        return try logs.map { log in
            let own = (byLog[try log.requireID()] ?? []).sorted { $0.position < $1.position }
            func items(_ direction: MeetingLogEntry.Direction) -> [LedgerItem] {
                own.filter { $0.direction == direction }.map { LedgerItem(skillID: $0.skillID, skill: skillNames[$0.skillID] ?? "A removed skill", note: $0.note) }
            }
            return MeetingLogView(
                meetingID: log.meetingID, personID: log.personID, name: personNames[log.personID] ?? "Someone who left", taught: items(.taught),
                learned: items(.learned), rating: log.rating, commitment: log.commitment, loggedAt: log.loggedAt)
        }
    }

    func names(ofSkills ids: Set<UUID>, on database: any Database) async throws -> [UUID: String] {
        var names: [UUID: String] = [:]
        for slice in Array(ids).queryBatches() {
            for skill in try await Skill.query(on: database).filter(\.$id ~~ Array(slice)).all() { names[try skill.requireID()] = skill.name }
        }
        return names
    }

    func names(ofPeople ids: Set<UUID>, on database: any Database) async throws -> [UUID: String] {
        var names: [UUID: String] = [:]
        for slice in Array(ids).queryBatches() {
            for person in try await Person.query(on: database).filter(\.$id ~~ Array(slice)).all() { names[try person.requireID()] = person.name }
        }
        return names
    }
}
