import FluentKit
import Foundation

extension Store {
    /// The shortest and longest meeting, in minutes.
    public static let meetingDurations = 15...480
    /// The most meetings one series schedules at once (a year of weekly meetings is too many
    /// to take back by hand if the cadence was wrong).
    public static let seriesLengths = 1...26
    /// How far back a meeting may be recorded (one that took place and was not in Mutual yet)
    /// and how far ahead one may be scheduled.
    public static let meetingPast: TimeInterval = 90 * 86_400
    public static let meetingFuture: TimeInterval = 2 * 366 * 86_400

    /// Schedules a meeting, or a series of `repeats` meetings on the relationship's cadence
    /// (each at the same local time in the scheduler's time zone). Only members of an active
    /// relationship schedule; an empty agenda is filled from `suggestedAgenda`.
    public func scheduleMeetings(
        in relationshipID: UUID, _ draft: MeetingDraft, repeats: Int = 1, by identity: Identity
    ) async throws -> [MeetingView] {
        let (relationship, members) = try await scopedRelationship(id: relationshipID, of: identity)
        try requireMember(members, identity, doing: "schedule its meetings")
        guard Self.seriesLengths.contains(repeats) else {
            throw StoreError.invalid(
                field: "repeats", message: "A series is 1 to \(Self.seriesLengths.upperBound) meetings; you asked for \(repeats).")
        }
        let place = try InputRules.optionalText(draft.place, field: "place", label: "the place or link", maxLength: TextLimits.meetingPlace)
        let agenda = try InputRules.longText(draft.agenda, field: "agenda", label: "the agenda", maxLength: TextLimits.meetingAgenda)
        try checkMeetingTime(draft.startsAt, durationMinutes: draft.durationMinutes)
        let cadence = MeetingCadence(stored: relationship.cadenceInterval, days: relationship.cadenceDays)
        if repeats > 1, cadence == nil {
            throw StoreError.invalid(
                field: "repeats",
                message: "Choose how often you meet in the agreement first (weekly, fortnightly, …); a series follows that cadence.")
        }
        let zone = try await timeZone(ofPerson: identity.personID)
        let starts = (0..<repeats).map { cadence?.start(of: $0, after: draft.startsAt, in: zone) ?? draft.startsAt }
        if let last = starts.last { try checkMeetingTime(last, durationMinutes: draft.durationMinutes) }
        let programme = try await Programme.find(relationship.programmeID, on: try db())
        let now = clock.now
        let seriesID = repeats > 1 ? UUID() : nil
        return try await transaction { database in
            try await Self.lockRows(Relationship.schema, where: "id", equals: relationshipID, on: database)
            guard let current = try await Relationship.find(relationshipID, on: database) else { throw StoreError.notFound(what: "relationship") }
            guard current.status == .active else { throw Self.notActive(current.status) }
            // Read once what the suggested agendas need; each occurrence then takes its turn in memory.
            var planner =
                agenda.isEmpty
                ? try await AgendaPlanner.load(programme: programme, members: members, relationshipID: relationshipID, on: database) : .empty
            var made: [MeetingView] = []
            for (index, start) in starts.enumerated() {
                let meeting = Meeting()
                meeting.organisationID = identity.organisationID
                meeting.relationshipID = relationshipID
                meeting.startsAt = start
                meeting.durationMinutes = draft.durationMinutes
                meeting.place = place
                meeting.agenda = agenda.isEmpty ? planner.agenda(startsAt: start) : agenda
                meeting.status = .scheduled
                meeting.cancelNote = ""
                meeting.sequence = 0
                meeting.seriesID = seriesID
                meeting.createdBy = identity.personID
                meeting.createdAt = now
                meeting.updatedAt = now
                try await meeting.create(on: database)
                planner.add(scheduledAt: start)
                var payload: [String: EventValue] = ["relationship_id": .id(relationshipID), "sequence": .int(0)]
                if let seriesID {
                    payload["series_id"] = .id(seriesID)
                    payload["series_index"] = .int(index)
                    payload["series"] = .int(repeats)
                }
                try await self.record(
                    NewEvent(.meetingScheduled, organisationID: identity.organisationID, actor: identity.personID, subject: try meeting.requireID(), payload: payload),
                    on: database)
                made.append(try MeetingView(meeting))
            }
            return made
        }
    }

    /// Reschedules or edits a meeting; every change raises its `sequence`.
    public func changeMeeting(id: UUID, _ change: MeetingChange, by identity: Identity) async throws -> MeetingView {
        let (meeting, members) = try await scopedMeeting(id: id, of: identity)
        try requireMember(members, identity, doing: "change its meetings")
        let place = try change.place.map { try InputRules.optionalText($0, field: "place", label: "the place or link", maxLength: TextLimits.meetingPlace) }
        let agenda = try change.agenda.map { try InputRules.longText($0, field: "agenda", label: "the agenda", maxLength: TextLimits.meetingAgenda) }
        if change.startsAt != nil || change.durationMinutes != nil {
            try checkMeetingTime(change.startsAt ?? meeting.startsAt, durationMinutes: change.durationMinutes ?? meeting.durationMinutes)
        }
        return try await transaction { database in
            try await Self.lockRows(Meeting.schema, where: "id", equals: id, on: database)
            guard let meeting = try await Meeting.find(id, on: database),
                let relationship = try await Relationship.find(meeting.relationshipID, on: database)
            else { throw StoreError.notFound(what: "meeting") }
            guard relationship.status.isOpen else { throw Self.notActive(relationship.status) }
            guard meeting.status == .scheduled else {
                throw StoreError.conflict(field: nil, message: "This meeting was cancelled, so it cannot change. Schedule a new one instead.")
            }
            var changed: [String] = []
            if let startsAt = change.startsAt, startsAt != meeting.startsAt { meeting.startsAt = startsAt; changed.append("starts_at") }
            if let minutes = change.durationMinutes, minutes != meeting.durationMinutes { meeting.durationMinutes = minutes; changed.append("duration_minutes") }
            if let place, place != meeting.place { meeting.place = place; changed.append("place") }
            if let agenda, agenda != meeting.agenda { meeting.agenda = agenda; changed.append("agenda") }
            guard !changed.isEmpty else { return try MeetingView(meeting) }
            meeting.sequence += 1
            meeting.updatedAt = self.clock.now
            try await meeting.save(on: database)
            try await self.record(
                NewEvent(
                    .meetingChanged, organisationID: identity.organisationID, actor: identity.personID, subject: id,
                    payload: [
                        "relationship_id": .id(meeting.relationshipID), "sequence": .int(meeting.sequence),
                        "changed": .string(changed.joined(separator: ",")),
                    ]),
                on: database)
            return try MeetingView(meeting)
        }
    }

    /// Cancels a meeting with an optional note to the others. The meeting is kept, marked
    /// cancelled, so subscribed calendars show the cancellation.
    public func cancelMeeting(id: UUID, note rawNote: String, by identity: Identity) async throws -> MeetingView {
        let (_, members) = try await scopedMeeting(id: id, of: identity)
        try requireMember(members, identity, doing: "cancel its meetings")
        let note = try InputRules.longText(rawNote, field: "note", label: "the note", maxLength: TextLimits.message)
        return try await transaction { database in
            try await Self.lockRows(Meeting.schema, where: "id", equals: id, on: database)
            guard let meeting = try await Meeting.find(id, on: database) else { throw StoreError.notFound(what: "meeting") }
            guard meeting.status == .scheduled else {
                throw StoreError.conflict(field: nil, message: "This meeting is already cancelled.")
            }
            meeting.status = .cancelled
            meeting.cancelNote = note
            meeting.sequence += 1
            meeting.updatedAt = self.clock.now
            try await meeting.save(on: database)
            try await self.record(
                NewEvent(
                    .meetingCancelled, organisationID: identity.organisationID, actor: identity.personID, subject: id,
                    payload: ["relationship_id": .id(meeting.relationshipID), "sequence": .int(meeting.sequence)]),
                on: database)
            return try MeetingView(meeting)
        }
    }

    /// A relationship's meetings, earliest first (cancelled ones included, marked).
    public func meetings(inRelationship id: UUID, of identity: Identity) async throws -> [MeetingView] {
        _ = try await scopedRelationship(id: id, of: identity)
        return try await Meeting.query(on: try db()).filter(\.$relationshipID == id).sort(\.$startsAt).all().map(MeetingView.init)
    }

    /// One meeting with its relationship, for a member or a programme manager.
    public func meeting(id: UUID, of identity: Identity) async throws -> (MeetingView, RelationshipView) {
        let (meeting, _) = try await scopedMeeting(id: id, of: identity)
        return (try MeetingView(meeting), try await relationship(id: meeting.relationshipID, of: identity))
    }

    /// What a new meeting's agenda starts as: the programme's template for a formal programme;
    /// for a mastermind group, whose turn it is in the hot seat and to facilitate (the group's
    /// order, one step per meeting before this one), and the review of last time's commitments.
    public func suggestedAgenda(for relationshipID: UUID, startsAt: Date, of identity: Identity) async throws -> String {
        try await suggestedAgendas(for: relationshipID, startsAt: [startsAt], of: identity)[0]
    }

    /// ``suggestedAgenda(for:startsAt:of:)`` for several starts (each on its own, as if it were
    /// the only new meeting), reading the relationship once: the Find a time page's slots.
    public func suggestedAgendas(for relationshipID: UUID, startsAt starts: [Date], of identity: Identity) async throws -> [String] {
        let (relationship, members) = try await scopedRelationship(id: relationshipID, of: identity)
        let programme = try await Programme.find(relationship.programmeID, on: try db())
        let planner = try await AgendaPlanner.load(programme: programme, members: members, relationshipID: relationshipID, on: try db())
        return starts.map { planner.agenda(startsAt: $0) }
    }

    /// Scheduled (not cancelled) meetings that overlap `[from, to)` in any relationship one of
    /// `personIDs` belongs to: the busy times for finding a slot, and the calendar feed.
    func scheduledMeetings(ofPeople personIDs: [UUID], organisationID: UUID, from: Date, to: Date, on database: any Database) async throws -> [Meeting] {
        guard !personIDs.isEmpty else { return [] }
        var relationshipIDs = Set<UUID>()
        for slice in personIDs.queryBatches() {
            for member in try await RelationshipMember.query(on: database).filter(\.$organisationID == organisationID)
                .filter(\.$personID ~~ Array(slice)).all()
            {
                relationshipIDs.insert(member.relationshipID)
            }
        }
        var meetings: [Meeting] = []
        // A meeting overlaps when it starts before `to` and ends after `from`; none lasts longer
        // than the longest duration, which bounds the start from below for the index.
        let earliestStart = from.addingTimeInterval(-TimeInterval(Self.meetingDurations.upperBound * 60))
        for slice in Array(relationshipIDs).queryBatches() {
            meetings += try await Meeting.query(on: database).filter(\.$relationshipID ~~ Array(slice))
                .filter(\.$status == .scheduled).filter(\.$startsAt < to).filter(\.$startsAt > earliestStart).all()
                .filter { $0.endsAt > from }
        }
        return meetings.sorted { $0.startsAt < $1.startsAt }
    }

    // MARK: Helpers

    /// The signed-in person's time zone, in which pages show them every time.
    public func timeZone(of identity: Identity) async throws -> TimeZone {
        try await timeZone(ofPerson: identity.personID)
    }

    /// A person's time zone from their profile, read by ``timeZone(named:)``.
    func timeZone(ofPerson personID: UUID) async throws -> TimeZone {
        Self.timeZone(named: try await Person.find(personID, on: try db())?.timeZone ?? "UTC")
    }

    private func requireMember(_ members: [RelationshipMember], _ identity: Identity, doing what: String) throws {
        guard members.contains(where: { $0.personID == identity.personID }) else {
            throw StoreError.forbidden(message: "Only the members of a relationship \(what). As the programme manager you can read them.")
        }
    }

    private func checkMeetingTime(_ start: Date, durationMinutes: Int) throws {
        guard Self.meetingDurations.contains(durationMinutes) else {
            throw StoreError.invalid(
                field: "duration_minutes",
                message: "A meeting lasts \(Self.meetingDurations.lowerBound) to \(Self.meetingDurations.upperBound) minutes; \(durationMinutes) is outside that.")
        }
        let now = clock.now
        guard start >= now.addingTimeInterval(-Self.meetingPast) else {
            throw StoreError.invalid(field: "starts_at", message: "That start is more than 90 days ago. Check the date (and the year).")
        }
        guard start <= now.addingTimeInterval(Self.meetingFuture) else {
            throw StoreError.invalid(field: "starts_at", message: "That start is more than two years ahead. Check the date (and the year).")
        }
    }

    private static func notActive(_ status: Relationship.Status) -> StoreError {
        status == .paused
            ? .conflict(field: nil, message: "This relationship is paused. Resume it to schedule or change meetings.")
            : .conflict(field: nil, message: "This relationship is \(status.rawValue), so its meetings can no longer change.")
    }

    /// The meeting and its relationship's members, when the caller is a member or a programme
    /// manager of the same organisation; "not found" for anyone else.
    func scopedMeeting(id: UUID, of identity: Identity) async throws -> (Meeting, [RelationshipMember]) {
        guard let meeting = try await Meeting.query(on: try db()).filter(\.$id == id).filter(\.$organisationID == identity.organisationID).first() else {
            throw StoreError.notFound(what: "meeting")
        }
        do {
            let (_, members) = try await scopedRelationship(id: meeting.relationshipID, of: identity)
            return (meeting, members)
        } catch StoreError.notFound {
            throw StoreError.notFound(what: "meeting")
        }
    }
}
