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

    /// Appends this event's content lines, folded, to `output`.
    func write(to output: inout String) {
        func line(_ text: String) { ICalendarText.appendFolded(text, to: &output) }
        line("BEGIN:VEVENT")
        line("UID:" + ICalendarText.escaped(uid))
        line("SEQUENCE:\(max(0, sequence))")
        line("DTSTAMP:" + ICalendarText.utcDateTime(stamp))
        if let created { line("CREATED:" + ICalendarText.utcDateTime(created)) }
        if let lastModified { line("LAST-MODIFIED:" + ICalendarText.utcDateTime(lastModified)) }
        line("DTSTART:" + ICalendarText.utcDateTime(start))
        // DTEND must come after DTSTART (§3.8.2.2); a zero-length meeting still lasts a second.
        line("DTEND:" + ICalendarText.utcDateTime(end > start ? end : start.addingTimeInterval(1)))
        line("SUMMARY:" + ICalendarText.escaped(summary))
        if let location, !location.isEmpty { line("LOCATION:" + ICalendarText.escaped(location)) }
        if let url, ICalendarText.isURIValue(url) { line("URL:" + url) }
        if let description, !description.isEmpty { line("DESCRIPTION:" + ICalendarText.escaped(description)) }
        line("STATUS:" + status.rawValue)
        line("TRANSP:OPAQUE")
        if let organizer, ICalendarText.isURIValue(organizer.email) {
            line("ORGANIZER;CN=" + ICalendarText.parameterValue(organizer.name) + ":mailto:" + organizer.email)
        }
        for attendee in attendees where ICalendarText.isURIValue(attendee.email) {
            // Mutual does not read replies, so nobody is asked for one (RSVP=FALSE).
            line(
                "ATTENDEE;CN=" + ICalendarText.parameterValue(attendee.name)
                    + ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:" + attendee.email)
        }
        line("END:VEVENT")
    }
}
