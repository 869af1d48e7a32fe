import Foundation
import MutualMatching
import Testing

@testable import MutualStore

@Suite("The RFC 5545 writer")
struct ICalendarWriterTests {
    static let ana = CalendarMeeting.Member(
        personID: UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!, name: "Ana Silva", email: "ana@example.org")
    static let bruno = CalendarMeeting.Member(
        personID: UUID(uuidString: "00000000-0000-0000-0000-00000000000B")!, name: "Bruno \"Bru\" Costa, Jr.", email: "bruno@example.org")

    /// 2026-12-08 09:00:00 UTC, 45 minutes, made on 2026-12-01 08:30 and changed on 2026-12-02 08:30.
    static func meeting(cancelled: Bool = false, place: String = "Room 4; 2nd floor", agenda: String = "Goals, then feedback\nBring notes")
        -> CalendarMeeting
    {
        CalendarMeeting(
            id: UUID(uuidString: "5D1A7C2E-0000-4000-8000-000000000001")!, relationshipID: UUID(), startsAt: Date(timeIntervalSince1970: 1_796_720_400),
            durationMinutes: 45, place: place, agenda: agenda, cancelled: cancelled, cancelNote: cancelled ? "Sick, sorry" : "", sequence: 1,
            createdAt: Date(timeIntervalSince1970: 1_796_113_800), updatedAt: Date(timeIntervalSince1970: 1_796_200_200),
            createdBy: ana.personID, members: [ana, bruno])
    }

    static let calendar = MeetingCalendar(baseURL: "https://mutual.example.org/")

    /// Lines after unfolding (RFC 5545 §3.1: a CRLF followed by one space is removed), done on
    /// the octets as a parser does: Swift's own string search works on whole characters, and a
    /// fold may fall inside one (between an emoji and its skin-tone modifier), never inside a
    /// UTF-8 sequence.
    static func unfoldedLines(_ text: String) -> [String] {
        var bytes: [UInt8] = []
        let octets = Array(text.utf8)
        var index = 0
        while index < octets.count {
            if octets[index] == 13, index + 2 < octets.count, octets[index + 1] == 10, octets[index + 2] == 32 {
                index += 3
                continue
            }
            bytes.append(octets[index])
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: true).map(String.init)
    }

    /// Every physical line: ends in CRLF (no bare CR or LF anywhere), at most 75 octets, valid
    /// UTF-8 on its own (a fold never splits a character's bytes).
    static func checkPhysicalLines(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(text.utf8)
        #expect(bytes.suffix(2) == [13, 10], "the object does not end with CRLF", sourceLocation: sourceLocation)
        var line: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 13 {
                #expect(index + 1 < bytes.count && bytes[index + 1] == 10, "bare CR at \(index)", sourceLocation: sourceLocation)
                #expect(line.count <= 75, "a line of \(line.count) octets", sourceLocation: sourceLocation)
                #expect(String(validating: line, as: UTF8.self) != nil, "a line split a UTF-8 sequence", sourceLocation: sourceLocation)
                line = []
                index += 2
                continue
            }
            #expect(byte != 10, "bare LF at \(index)", sourceLocation: sourceLocation)
            line.append(byte)
            index += 1
        }
        #expect(line.isEmpty, sourceLocation: sourceLocation)
    }

    @Test("Text values escape backslash, semicolon and comma, write every line break as \\n, and drop control characters")
    func textEscaping() {
        #expect(ICalendarText.escaped("a\\b;c,d") == "a\\\\b\\;c\\,d")
        #expect(ICalendarText.escaped("one\ntwo\r\nthree\rfour") == "one\\ntwo\\nthree\\nfour")
        #expect(ICalendarText.escaped("bell\u{07}\ttab\u{7F}") == "bell\ttab")
        #expect(ICalendarText.escaped("Olá — 🎉") == "Olá — 🎉")
    }

    @Test("Parameter values are quoted when they hold : ; or , and never hold a double quote")
    func parameterValues() {
        #expect(ICalendarText.parameterValue("Ana Silva") == "Ana Silva")
        #expect(ICalendarText.parameterValue("Silva, Ana") == "\"Silva, Ana\"")
        #expect(ICalendarText.parameterValue("Bru \"B\" Costa") == "Bru 'B' Costa")
        #expect(ICalendarText.parameterValue("a:b\nc") == "\"a:bc\"")
    }

    @Test("UTC date-times are YYYYMMDDTHHMMSSZ, the same as a Gregorian calendar in UTC says, leap days included")
    func utcDateTimes() {
        #expect(ICalendarText.utcDateTime(Date(timeIntervalSince1970: 0)) == "19700101T000000Z")
        #expect(ICalendarText.utcDateTime(Date(timeIntervalSince1970: 1_709_164_799)) == "20240228T235959Z")
        #expect(ICalendarText.utcDateTime(Date(timeIntervalSince1970: 1_709_164_800)) == "20240229T000000Z")
        #expect(ICalendarText.utcDateTime(Date(timeIntervalSince1970: -1)) == "19691231T235959Z")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        var generator = SeededGenerator(seed: 14)
        for _ in 0..<2_000 {
            let date = Date(timeIntervalSince1970: TimeInterval(Int64.random(in: -2_000_000_000...6_000_000_000, using: &generator)))
            #expect(ICalendarText.utcDateTime(date) == formatter.string(from: date))
        }
    }

    @Test("A long ASCII line folds at 75 octets, each continuation starting with one space, and unfolds to itself")
    func asciiFolding() {
        let line = "DESCRIPTION:" + String(repeating: "abcdefghij", count: 30)
        var output = ""
        ICalendarText.appendFolded(line, to: &output)
        Self.checkPhysicalLines(output)
        let physical = output.components(separatedBy: "\r\n").dropLast()
        #expect(physical.count == 5)
        #expect(physical.first?.utf8.count == 75)
        #expect(physical.dropFirst().allSatisfy { $0.hasPrefix(" ") && !$0.hasPrefix("  ") })
        #expect(Self.unfoldedLines(output) == [line])
        var short = ""
        ICalendarText.appendFolded("SUMMARY:" + String(repeating: "x", count: 67), to: &short)
        #expect(short == "SUMMARY:" + String(repeating: "x", count: 67) + "\r\n", "a line of exactly 75 octets is not folded")
    }

    @Test("Folding never splits a UTF-8 sequence: 2-, 3- and 4-byte characters at every offset")
    func utf8SafeFolding() {
        for padding in 0..<8 {
            for character in ["é", "—", "🎉", "👩🏽‍💻"] {
                let line = "SUMMARY:" + String(repeating: "x", count: padding) + String(repeating: character, count: 60)
                var output = ""
                ICalendarText.appendFolded(line, to: &output)
                Self.checkPhysicalLines(output)
                #expect(Self.unfoldedLines(output) == [line])
            }
        }
    }

    @Test("The feed: a VCALENDAR with PRODID, VERSION, CALSCALE, and a VEVENT with UID, SEQUENCE, DTSTAMP, UTC times and escaped text")
    func feedGolden() {
        let text = Self.calendar.feed([Self.meeting()]).rendered()
        Self.checkPhysicalLines(text)
        let expected = [
            "BEGIN:VCALENDAR",
            "PRODID:-//Mutual//Mutual meetings//EN",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "X-WR-CALNAME:Mutual meetings",
            "REFRESH-INTERVAL;VALUE=DURATION:PT60M",
            "X-PUBLISHED-TTL:PT60M",
            "BEGIN:VEVENT",
            "UID:5d1a7c2e-0000-4000-8000-000000000001@mutual.example.org",
            "SEQUENCE:1",
            "DTSTAMP:20261202T083000Z",
            "CREATED:20261201T083000Z",
            "LAST-MODIFIED:20261202T083000Z",
            "DTSTART:20261208T090000Z",
            "DTEND:20261208T094500Z",
            "SUMMARY:Mutual: Ana Silva & Bruno \"Bru\" Costa\\, Jr.",
            "LOCATION:Room 4\\; 2nd floor",
            "URL:https://mutual.example.org/meetings/5d1a7c2e-0000-4000-8000-000000000001",
            "DESCRIPTION:Goals\\, then feedback\\nBring notes\\n\\nIn Mutual: https://mutual.example.org/meetings/5d1a7c2e-0000-4000-8000-000000000001",
            "STATUS:CONFIRMED",
            "TRANSP:OPAQUE",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        #expect(Self.unfoldedLines(text) == expected)
        #expect(!text.contains("TZID"), "UTC times need no VTIMEZONE")
        #expect(!text.contains("mailto:"), "the feed holds no addresses")
    }

    @Test("A video link as the place is also the event's URL")
    func placeLink() {
        let text = Self.calendar.feed([Self.meeting(place: "https://meet.example.com/abc-defg-hij")]).rendered()
        let lines = Self.unfoldedLines(text)
        #expect(lines.contains("LOCATION:https://meet.example.com/abc-defg-hij"))
        #expect(lines.contains("URL:https://meet.example.com/abc-defg-hij"))
    }

    @Test("An invitation is METHOD:REQUEST with the organiser and attendees; a cancelled meeting's is METHOD:CANCEL and STATUS:CANCELLED")
    func invitations() {
        let stamp = Date(timeIntervalSince1970: 1_796_300_000)
        let request = Self.calendar.invitation(Self.meeting(), stamp: stamp).rendered()
        Self.checkPhysicalLines(request)
        let lines = Self.unfoldedLines(request)
        #expect(lines.contains("METHOD:REQUEST"))
        #expect(lines.contains("DTSTAMP:" + ICalendarText.utcDateTime(stamp)))
        #expect(lines.contains("ORGANIZER;CN=Ana Silva:mailto:ana@example.org"))
        #expect(lines.contains("ATTENDEE;CN=\"Bruno 'Bru' Costa, Jr.\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:bruno@example.org"))
        #expect(lines.filter { $0.hasPrefix("ATTENDEE") }.count == 2)
        #expect(lines.contains("STATUS:CONFIRMED"))

        let cancel = Self.calendar.invitation(Self.meeting(cancelled: true), stamp: stamp).rendered()
        let cancelLines = Self.unfoldedLines(cancel)
        #expect(cancelLines.contains("METHOD:CANCEL"))
        #expect(cancelLines.contains("STATUS:CANCELLED"))
        #expect(cancelLines.contains("UID:5d1a7c2e-0000-4000-8000-000000000001@mutual.example.org"))
        #expect(cancelLines.contains { $0.hasPrefix("DESCRIPTION:Cancelled: Sick\\, sorry") })
    }

    @Test("Line breaks and long non-ASCII agendas stay inside one property, folded safely")
    func longAgenda() {
        let agenda = String(repeating: "Revisão de objetivos — próximos passos 🎯;\r\n", count: 20)
        let text = Self.calendar.feed([Self.meeting(agenda: agenda)]).rendered()
        Self.checkPhysicalLines(text)
        let description = Self.unfoldedLines(text).first { $0.hasPrefix("DESCRIPTION:") }
        #expect(description?.hasPrefix("DESCRIPTION:Revisão de objetivos — próximos passos 🎯\\;\\nRevisão") == true)
        #expect(!(description ?? "").contains("\r") && !(description ?? "").contains("\n"))
    }
}
