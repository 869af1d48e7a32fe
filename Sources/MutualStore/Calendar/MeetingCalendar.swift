import Foundation

/// Turns meetings into iCalendar: the private feed (every meeting, no addresses) and the
/// invitation a member is emailed on each change (one meeting, `METHOD:REQUEST` or `CANCEL`,
/// with the members as organiser and attendees).
///
/// Every time is UTC, so no VTIMEZONE is needed. A meeting's `UID` is `<meeting id>@<host>` for
/// its whole life and its `SEQUENCE` is the meeting's, raised on every change, so a calendar
/// that already holds the meeting replaces it.
public struct MeetingCalendar: Sendable {
    /// The server's public address (`MUTUAL_BASE_URL`): links, and the host in every `UID`.
    public let baseURL: String
    let host: String

    public init(baseURL: String) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.host = URL(string: baseURL)?.host.map { $0.isEmpty ? "mutual" : $0 } ?? "mutual"
    }

    /// The feed's refresh hint, in minutes. Clients decide (Google refreshes every few hours
    /// whatever it says), which is why every change is also emailed.
    public static let feedRefreshMinutes = 60

    /// A person's subscribed calendar: every meeting given, scheduled and cancelled.
    ///
    /// The feed names people but holds no email addresses (no `ORGANIZER` or `ATTENDEE`): a
    /// feed URL is a bearer secret that may end up in places a mailbox should not, and a
    /// subscribed calendar has nobody to reply to anyway.
    public func feed(_ meetings: [CalendarMeeting]) -> ICalendar {
        ICalendar(
            name: "Mutual meetings", refreshMinutes: Self.feedRefreshMinutes,
            events: meetings.map { event(for: $0, stamp: $0.updatedAt, withPeople: false) })
    }

    /// The invitation for one meeting: `METHOD:CANCEL` for a cancelled meeting, otherwise
    /// `METHOD:REQUEST` (new or changed). `stamp` is when the change happened.
    public func invitation(_ meeting: CalendarMeeting, stamp: Date) -> ICalendar {
        ICalendar(method: meeting.cancelled ? .cancel : .request, events: [event(for: meeting, stamp: stamp, withPeople: true)])
    }

    /// `<meeting id>@<host>`, the same in the feed and every invitation.
    public func uid(of meetingID: UUID) -> String {
        meetingID.uuidString.lowercased() + "@" + host
    }

    /// The meeting's page.
    public func link(to meetingID: UUID) -> String {
        "\(baseURL)/meetings/\(meetingID.uuidString.lowercased())"
    }

    /// "Mutual: Ana Silva & Bruno Costa" (or "Ana, Bruno & Carla" for a group).
    public static func summary(_ members: [CalendarMeeting.Member]) -> String {
        let names = members.map(\.name)
        guard names.count > 1 else { return "Mutual: " + (names.first ?? "meeting") }
        return "Mutual: " + names.dropLast().joined(separator: ", ") + " & " + names.last!
    }

    func event(for meeting: CalendarMeeting, stamp: Date, withPeople: Bool) -> ICalendarEvent {
        let link = link(to: meeting.id)
        let place = meeting.place.trimmingCharacters(in: .whitespacesAndNewlines)
        let placeIsLink = (place.hasPrefix("https://") || place.hasPrefix("http://")) && ICalendarText.isURIValue(place)
        var description = meeting.agenda.trimmingCharacters(in: .whitespacesAndNewlines)
        if meeting.cancelled {
            let note = meeting.cancelNote.trimmingCharacters(in: .whitespacesAndNewlines)
            description = (note.isEmpty ? "Cancelled." : "Cancelled: \(note)") + (description.isEmpty ? "" : "\n\n" + description)
        }
        description += (description.isEmpty ? "" : "\n\n") + "In Mutual: \(link)"
        var organizer: ICalendarEvent.Person?
        var attendees: [ICalendarEvent.Person] = []
        if withPeople {
            let people = meeting.members.compactMap { member in member.email.map { ICalendarEvent.Person(name: member.name, email: $0) } }
            let creator = meeting.members.first { $0.personID == meeting.createdBy && $0.email != nil } ?? meeting.members.first { $0.email != nil }
            organizer = creator.flatMap { member in member.email.map { ICalendarEvent.Person(name: member.name, email: $0) } }
            attendees = people
        }
        return ICalendarEvent(
            uid: uid(of: meeting.id), sequence: meeting.sequence, stamp: stamp, start: meeting.startsAt, end: meeting.endsAt,
            summary: Self.summary(meeting.members), location: place.isEmpty ? nil : place, url: placeIsLink ? place : link,
            description: description, status: meeting.cancelled ? .cancelled : .confirmed, created: meeting.createdAt,
            lastModified: meeting.updatedAt, organizer: organizer, attendees: attendees)
    }
}
