import Foundation

/// One VEVENT of an iCalendar object (RFC 5545 §3.6.1), in UTC times.
public struct ICalendarEvent: Sendable, Equatable {
    /// RFC 5545 §3.8.1.11: a scheduled event, or one called off (`STATUS:CANCELLED`).
    public enum Status: String, Sendable {
        case confirmed = "CONFIRMED"
        case cancelled = "CANCELLED"
    }

    /// A person named in `ORGANIZER` or `ATTENDEE` (a `mailto:` address and a display name).
    public struct Person: Sendable, Equatable {
        public var name: String
        public var email: String

        public init(name: String, email: String) {
            self.name = name
            self.email = email
        }
    }

    /// Stable for the life of the event, so a calendar replaces its copy rather than adding one.
    public var uid: String
    /// Raised on every change (RFC 5545 §3.8.7.4), so a calendar takes the newer copy.
    public var sequence: Int
    /// `DTSTAMP`: when the object was made (with a METHOD) or the event last revised (a feed).
    public var stamp: Date
    public var start: Date
    public var end: Date
    public var summary: String
    public var location: String?
    /// A link for the event (`URL`); written only when it is a URI as it stands.
    public var url: String?
    public var description: String?
    public var status: Status
    public var created: Date?
    public var lastModified: Date?
    public var organizer: Person?
    public var attendees: [Person]

    public init(
        uid: String, sequence: Int, stamp: Date, start: Date, end: Date, summary: String, location: String? = nil, url: String? = nil,
        description: String? = nil, status: Status = .confirmed, created: Date? = nil, lastModified: Date? = nil, organizer: Person? = nil,
        attendees: [Person] = []
    ) {
        self.uid = uid
        self.sequence = sequence
        self.stamp = stamp
        self.start = start
        self.end = end
        self.summary = summary
        self.location = location
        self.url = url
        self.description = description
        self.status = status
        self.created = created
        self.lastModified = lastModified
        self.organizer = organizer
        self.attendees = attendees
    }

    /// Appends this event's content lines, folded.
    func write(to lines: inout ICalendarLines) {
        lines.raw("BEGIN:VEVENT")
        lines.text("UID", uid)
        lines.raw("SEQUENCE:\(max(0, sequence))")
        lines.dateTime("DTSTAMP", stamp)
        if let created { lines.dateTime("CREATED", created) }
        if let lastModified { lines.dateTime("LAST-MODIFIED", lastModified) }
        lines.dateTime("DTSTART", start)
        // DTEND must come after DTSTART (§3.8.2.2); a zero-length meeting still lasts a second.
        lines.dateTime("DTEND", end > start ? end : start.addingTimeInterval(1))
        lines.text("SUMMARY", summary)
        if let location, !location.isEmpty { lines.text("LOCATION", location) }
        if let url, ICalendarText.isURIValue(url) { lines.raw("URL:" + url) }
        if let description, !description.isEmpty { lines.text("DESCRIPTION", description) }
        lines.raw("STATUS:" + status.rawValue)
        lines.raw("TRANSP:OPAQUE")
        if let organizer, ICalendarText.isURIValue(organizer.email) {
            lines.raw("ORGANIZER;CN=" + ICalendarText.parameterValue(organizer.name) + ":mailto:" + organizer.email)
        }
        for attendee in attendees where ICalendarText.isURIValue(attendee.email) {
            // Mutual does not read replies, so nobody is asked for one (RSVP=FALSE).
            lines.raw(
                "ATTENDEE;CN=" + ICalendarText.parameterValue(attendee.name)
                    + ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:" + attendee.email)
        }
        lines.raw("END:VEVENT")
    }
}
