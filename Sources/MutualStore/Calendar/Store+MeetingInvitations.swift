import FluentKit
import Foundation

extension Store {
    /// The invitation emails a meeting event causes: one to each member with an address (the
    /// one who made the change too, whose calendar needs it as much), each with the meeting's
    /// `.ics` attached: `METHOD:REQUEST` for a new or changed meeting, `METHOD:CANCEL` for a
    /// cancelled one. Each states the time in the recipient's own time zone.
    ///
    /// The message is made from the meeting as it is now. When a later change has already
    /// raised the meeting's sequence past the event's, this event sends nothing: the later
    /// change's own event sends the newer state.
    ///
    /// A series scheduled in one step records one `meeting.scheduled` per meeting; its members get
    /// one email, made from the first event, with a calendar file for each meeting of the series
    /// still scheduled, rather than one email per meeting.
    func meetingInvitations(for event: DomainEvent) async throws -> [Notification] {
        guard let meetingID = UUID(uuidString: event.subjectID),
            let meeting = try await calendarMeeting(id: meetingID, on: try db())
        else { return [] }
        if let sequence = Self.payloadInt("sequence", of: event), meeting.sequence > sequence { return [] }
        var series: [CalendarMeeting] = []
        if event.type == EventType.meetingScheduled.rawValue, let index = Self.payloadInt("series_index", of: event) {
            guard index == 0 else { return [] }
            series = try await calendarMeetings(inSeriesOf: meetingID, on: try db()).filter { !$0.cancelled }
        }
        let calendar = MeetingCalendar(baseURL: mailSettings.baseURL)
        let method: ICalendar.Method = meeting.cancelled ? .cancel : .request
        let files = series.count > 1 ? series : [meeting]
        let attachments = files.enumerated().map { index, file in
            EmailAttachment(
                filename: meeting.cancelled ? "cancelled-meeting.ics" : files.count > 1 ? "meeting-\(index + 1).ics" : "meeting.ics",
                contentType: "text/calendar; method=\(method.rawValue); charset=utf-8",
                content: Data(calendar.invitation(file, stamp: event.occurredAt).rendered().utf8))
        }
        let attachment = attachments[0]
        var actorName = meeting.members.first { $0.personID == event.actorPersonID }?.name
        if actorName == nil, let actorID = event.actorPersonID {
            actorName = try await Person.find(actorID, on: try db())?.name
        }
        return meeting.members.compactMap { member in
            guard let email = member.email else { return nil }
            let others = meeting.members.filter { $0.personID != member.personID }.map(\.name)
            return Notification(
                template: "meeting-invitation", category: .meetings,
                recipient: EmailRecipient(personID: member.personID, email: email, name: member.name),
                values: [
                    "name": member.name, "others": Self.namesText(others), "actor": member.personID == event.actorPersonID ? "You" : actorName ?? "Mutual",
                    "when": MeetingTimeWords.describe(meeting.startsAt, durationMinutes: meeting.durationMinutes, timeZoneName: member.timeZone),
                    "place": meeting.place, "agenda": meeting.agenda, "note": meeting.cancelNote, "cancelled": meeting.cancelled,
                    "changed": meeting.sequence > 0, "filename": attachment.filename, "link": calendar.link(to: meeting.id),
                    "action": "Open the meeting", "seriesCount": files.count > 1 ? String(files.count) : "",
                ],
                attachments: attachments)
        }
    }

    /// An integer from an event's JSON payload.
    static func payloadInt(_ key: String, of event: DomainEvent) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(event.payload.utf8)) as? [String: Any] else { return nil }
        return (object[key] as? NSNumber)?.intValue
    }

    /// "Ana", "Ana and Bruno", "Ana, Bruno and Carla".
    static func namesText(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + names.last!
    }
}
