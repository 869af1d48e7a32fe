import Foundation

/// The low-level rules of RFC 5545 content lines: text escaping (§3.3.11), parameter values
/// (§3.2), UTC date-times (§3.3.5) and line folding (§3.1). Pure and allocation-light, because
/// a feed of hundreds of meetings is rendered on every calendar refresh.
public enum ICalendarText {
    /// The line break every content line ends with (RFC 5545 §3.1: CRLF, never a bare LF).
    public static let lineBreak = "\r\n"
    /// A content line is at most this many octets long, line break excluded (§3.1).
    public static let maximumLineOctets = 75

    /// A TEXT value: backslash, semicolon and comma escaped with a backslash, every line break
    /// (CRLF, CR or LF) written as `\n`, and other control characters (which TEXT may not hold)
    /// dropped; a tab is kept.
    public static func escaped(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": result.append("\\"); result.append("\\")
            case ";": result.append("\\"); result.append(";")
            case ",": result.append("\\"); result.append(",")
            case "\r": result.append("\\"); result.append("n")
            case "\n":
                // A CRLF pair is one line break, already written at the CR.
                if !previousWasCR { result.append("\\"); result.append("n") }
            case "\t": result.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// A parameter value (such as `CN`): quoted when it holds `:`, `;` or `,`; a double quote,
    /// which a parameter value cannot hold at all, becomes a single one; control characters go.
    public static func parameterValue(_ text: String) -> String {
        var needsQuotes = false
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result.append("'")
            case ":", ";", ",": needsQuotes = true; result.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                result.append(scalar)
            }
        }
        return needsQuotes ? "\"" + String(result) + "\"" : String(result)
    }

    /// Whether `text` can be written as a URI value (`URL`, `mailto:`) as it is: printable
    /// ASCII without spaces, quotes or angle brackets.
    public static func isURIValue(_ text: String) -> Bool {
        !text.isEmpty
            && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }
    }

    /// `20261208T090000Z`: a DATE-TIME in UTC (§3.3.5, form #2), to the second.
    public static func utcDateTime(_ date: Date) -> String {
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
        var text = ""
        text.reserveCapacity(16)
        append(year, width: 4, to: &text)
        append(month, width: 2, to: &text)
        append(day, width: 2, to: &text)
        text += "T"
        append(secondOfDay / 3_600, width: 2, to: &text)
        append(secondOfDay % 3_600 / 60, width: 2, to: &text)
        append(secondOfDay % 60, width: 2, to: &text)
        text += "Z"
        return text
    }

    private static func append(_ value: Int64, width: Int, to text: inout String) {
        let digits = String(value)
        if digits.count < width { text += String(repeating: "0", count: width - digits.count) }
        text += digits
    }

    /// Appends one content line to `output`, folded so that no line is longer than 75 octets
    /// (§3.1): each continuation line starts with a single space, and a fold never falls inside
    /// a UTF-8 sequence (it falls between Unicode scalars), so unfolding (removing every CRLF
    /// followed by a space) gives back exactly `line`.
    public static func appendFolded(_ line: String, to output: inout String) {
        if line.utf8.count <= maximumLineOctets {
            output += line
            output += lineBreak
            return
        }
        var octets = 0
        var limit = maximumLineOctets
        var segment = String.UnicodeScalarView()
        for scalar in line.unicodeScalars {
            let width = UTF8.width(scalar)
            if octets + width > limit {
                output += String(segment)
                output += lineBreak
                output += " "
                segment.removeAll(keepingCapacity: true)
                octets = 0
                // The leading space counts towards the next line's 75 octets.
                limit = maximumLineOctets - 1
            }
            segment.append(scalar)
            octets += width
        }
        output += String(segment)
        output += lineBreak
    }
}
