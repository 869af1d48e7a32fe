import Foundation

/// The low-level rules of RFC 5545 content lines: text escaping (§3.3.11), parameter values
/// (§3.2), UTC date-times (§3.3.5) and line folding (§3.1).
///
/// They work on UTF-8 bytes: every character they treat specially is ASCII, and no byte of a
/// multi-byte UTF-8 sequence is below 0x80, so a sequence is never touched, only copied. A feed
/// of hundreds of meetings is rendered on every calendar refresh, so this stays cheap.
public enum ICalendarText {
    /// The line break every content line ends with (RFC 5545 §3.1: CRLF, never a bare LF).
    public static let lineBreak = "\r\n"
    /// A content line is at most this many octets long, line break excluded (§3.1).
    public static let maximumLineOctets = 75

    /// A TEXT value: backslash, semicolon and comma escaped with a backslash, every line break
    /// (CRLF, CR or LF) written as `\n`, and other control characters (which TEXT may not hold)
    /// dropped; a tab is kept.
    public static func escaped(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendEscaped(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``escaped(_:)`` into a byte buffer.
    static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + text.utf8.count + 8)
        var previousWasCR = false
        for byte in text.utf8 {
            defer { previousWasCR = byte == 13 }
            switch byte {
            case 92, 59, 44:  // \ ; ,
                bytes.append(92)
                bytes.append(byte)
            case 13:
                bytes.append(92)
                bytes.append(110)  // \n
            case 10:
                // A CRLF pair is one line break, already written at the CR.
                if !previousWasCR {
                    bytes.append(92)
                    bytes.append(110)
                }
            case 9:
                bytes.append(byte)
            case 0..<32, 127:
                continue
            default:
                bytes.append(byte)
            }
        }
    }

    /// A parameter value (such as `CN`): quoted when it holds `:`, `;` or `,`; a double quote,
    /// which a parameter value cannot hold at all, becomes a single one; control characters go.
    public static func parameterValue(_ text: String) -> String {
        var needsQuotes = false
        var bytes: [UInt8] = [34]
        for byte in text.utf8 {
            switch byte {
            case 34: bytes.append(39)
            case 58, 59, 44:
                needsQuotes = true
                bytes.append(byte)
            case 0..<32, 127: continue
            default: bytes.append(byte)
            }
        }
        if needsQuotes {
            bytes.append(34)
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(decoding: bytes.dropFirst(), as: UTF8.self)
    }

    /// Whether `text` can be written as a URI value (`URL`, `mailto:`) as it is: printable
    /// ASCII without spaces, quotes or angle brackets.
    public static func isURIValue(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
    }

    /// `20261208T090000Z`: a DATE-TIME in UTC (§3.3.5, form #2), to the second.
    public static func utcDateTime(_ date: Date) -> String {
        var bytes: [UInt8] = []
        appendUTCDateTime(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``utcDateTime(_:)`` into a byte buffer.
    static func appendUTCDateTime(_ date: Date, to bytes: inout [UInt8]) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm): no Calendar, no
        // locale, and fast enough for every date of a large feed.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        appendDigits(year, width: 4, to: &bytes)
        appendDigits(month, width: 2, to: &bytes)
        appendDigits(day, width: 2, to: &bytes)
        bytes.append(84)  // T
        appendDigits(secondOfDay / 3_600, width: 2, to: &bytes)
        appendDigits(secondOfDay % 3_600 / 60, width: 2, to: &bytes)
        appendDigits(secondOfDay % 60, width: 2, to: &bytes)
        bytes.append(90)  // Z
    }

    /// `value` in decimal, zero-padded to `width` digits (a negative year keeps its sign).
    private static func appendDigits(_ value: Int64, width: Int, to bytes: inout [UInt8]) {
        if value < 0 {
            bytes.append(45)
            appendDigits(-value, width: width, to: &bytes)
            return
        }
        // Written in place, most significant digit first, so no buffer is allocated per number.
        var count = 1
        var power: Int64 = 1
        while value / 10 >= power {  // (not power * 10 <= value, which could overflow)
            power *= 10
            count += 1
        }
        if count < width { bytes.append(contentsOf: repeatElement(48, count: width - count)) }
        while power > 0 {
            bytes.append(48 + UInt8(value / power % 10))
            power /= 10
        }
    }

    /// Appends one content line to `output`, folded so that no line is longer than 75 octets
    /// (§3.1): each continuation line starts with a single space, and a fold never falls inside
    /// a UTF-8 sequence (it falls between Unicode scalars), so unfolding (removing every CRLF
    /// followed by a space) gives back exactly `line`.
    public static func appendFolded(_ line: String, to output: inout String) {
        var bytes: [UInt8] = []
        appendFolded(Array(line.utf8), to: &bytes)
        output += String(decoding: bytes, as: UTF8.self)
    }

    /// ``appendFolded(_:to:)-(String,_)`` for a line already in bytes.
    static func appendFolded(_ line: [UInt8], to output: inout [UInt8]) {
        var start = 0
        var limit = maximumLineOctets
        while line.count - start > limit {
            var end = start + limit
            // Back up to the start of the scalar the limit falls in: a continuation byte is 10xxxxxx.
            while end > start, line[end] & 0xC0 == 0x80 { end -= 1 }
            output.append(contentsOf: line[start..<end])
            output.append(contentsOf: [13, 10, 32])
            start = end
            // The leading space counts towards the next line's 75 octets.
            limit = maximumLineOctets - 1
        }
        output.append(contentsOf: line[start...])
        output.append(contentsOf: [13, 10])
    }
}

/// Builds an iCalendar object as bytes, one content line at a time, each folded as it is ended.
struct ICalendarLines {
    private(set) var output: [UInt8] = []
    /// The line being written; reused, so a long feed does not allocate a buffer a line.
    private var line: [UInt8] = []

    init(capacity: Int) {
        output.reserveCapacity(capacity)
        line.reserveCapacity(256)
    }

    /// A line written as it is: a name and a value that needs no escaping.
    mutating func raw(_ text: String) {
        line.append(contentsOf: text.utf8)
        end()
    }

    /// `NAME:` followed by `value` as escaped TEXT.
    mutating func text(_ name: String, _ value: String) {
        line.append(contentsOf: name.utf8)
        line.append(58)
        ICalendarText.appendEscaped(value, to: &line)
        end()
    }

    /// `NAME:` followed by a UTC date-time.
    mutating func dateTime(_ name: String, _ date: Date) {
        line.append(contentsOf: name.utf8)
        line.append(58)
        ICalendarText.appendUTCDateTime(date, to: &line)
        end()
    }

    private mutating func end() {
        ICalendarText.appendFolded(line, to: &output)
        line.removeAll(keepingCapacity: true)
    }

    var string: String { String(decoding: output, as: UTF8.self) }
}
