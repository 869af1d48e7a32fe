import Foundation

/// CSV as spreadsheets read it: RFC 4180 quoting, CRLF line ends, and formula-looking text made
/// harmless.
enum CSVText {
    /// A field, quoted when it needs to be; a leading `=`, `+`, `-` or `@` is prefixed with an
    /// apostrophe so a spreadsheet does not run it as a formula.
    static func field(_ value: String) -> String {
        var value = value
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A whole document: the header line, then one line per row.
    static func document(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }
}
