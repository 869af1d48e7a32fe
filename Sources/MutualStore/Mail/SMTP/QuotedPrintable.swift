/// Quoted-printable (RFC 2045 §6.7), the body encoding Mutual uses: mostly readable text that
/// survives any relay, because every line is short 7-bit ASCII.
enum QuotedPrintable {
    /// The longest encoded line, soft line break (`=`) included; RFC 2045 §6.7 rule 5.
    static let lineLimit = 76

    /// Encodes `text` as UTF-8. Line breaks of any kind (`\r\n`, `\n`, `\r`) become CRLF hard
    /// breaks; longer lines are split with soft breaks that decoders remove.
    static func encode(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        let lines = Self.lines(of: Array(text.utf8))
        for (index, line) in lines.enumerated() {
            if index > 0 { output += [13, 10] }
            var column = 0
            for (position, byte) in line.enumerated() {
                let isLast = position == line.count - 1
                // Trailing space or tab would be stripped by some relays, so it is encoded; `=`
                // must be, and so must everything outside printable ASCII.
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || ((byte == 32 || byte == 9) && !isLast)
                let width = literal ? 1 : 3
                // Leave room for the `=` of a soft break unless this is the line's last token.
                if column + width > (isLast ? lineLimit : lineLimit - 1) {
                    output += [UInt8(ascii: "="), 13, 10]
                    column = 0
                }
                if literal {
                    output.append(byte)
                } else {
                    output += [UInt8(ascii: "="), hexDigit(byte >> 4), hexDigit(byte & 0x0F)]
                }
                column += width
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func lines(of bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0, index = 0
        while index < bytes.count {
            switch bytes[index] {
            case 13:
                lines.append(bytes[start..<index])
                index += index + 1 < bytes.count && bytes[index + 1] == 10 ? 2 : 1
                start = index
            case 10:
                lines.append(bytes[start..<index])
                index += 1
                start = index
            default:
                index += 1
            }
        }
        lines.append(bytes[start..<bytes.count])
        return lines
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }
}
