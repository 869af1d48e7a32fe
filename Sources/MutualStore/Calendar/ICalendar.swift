import Foundation

/// An iCalendar object (RFC 5545): a VCALENDAR of VEVENTs in UTC times, so it needs no
/// VTIMEZONE (no `TZID` is ever written). Rendered with CRLF line endings and lines folded at
/// 75 octets.
///
/// With a ``Method`` it is an iTIP message (RFC 5546) for one event, as an invitation email
/// carries; without one it is a published calendar, as a subscribed feed is.
public struct ICalendar: Sendable, Equatable {
    /// The iTIP method (RFC 5546 §1.4): an invitation or update, or a cancellation.
    public enum Method: String, Sendable {
        case request = "REQUEST"
        case cancel = "CANCEL"
    }

    /// `PRODID` (§3.7.3): who made the object.
    public static let productID = "-//Mutual//Mutual meetings//EN"

    public var method: Method?
    /// A display name for a subscribed calendar (`X-WR-CALNAME`, read by Apple, Google and Outlook).
    public var name: String?
    /// How often a subscriber should look again (`REFRESH-INTERVAL`, RFC 7986, and Outlook's
    /// `X-PUBLISHED-TTL`), in minutes; clients may refresh less often.
    public var refreshMinutes: Int?
    public var events: [ICalendarEvent]

    public init(method: Method? = nil, name: String? = nil, refreshMinutes: Int? = nil, events: [ICalendarEvent]) {
        self.method = method
        self.name = name
        self.refreshMinutes = refreshMinutes
        self.events = events
    }

    /// The object as text: CRLF after every line, lines folded at 75 octets.
    public func rendered() -> String {
        var lines = ICalendarLines(capacity: 512 + events.count * 1_024)
        lines.raw("BEGIN:VCALENDAR")
        lines.raw("PRODID:" + Self.productID)
        lines.raw("VERSION:2.0")
        lines.raw("CALSCALE:GREGORIAN")
        if let method { lines.raw("METHOD:" + method.rawValue) }
        if let name { lines.text("X-WR-CALNAME", name) }
        if let refreshMinutes {
            lines.raw("REFRESH-INTERVAL;VALUE=DURATION:PT\(refreshMinutes)M")
            lines.raw("X-PUBLISHED-TTL:PT\(refreshMinutes)M")
        }
        for event in events { event.write(to: &lines) }
        lines.raw("END:VCALENDAR")
        return lines.string
    }
}
