/// One reply from an SMTP server: a three-digit code and one or more lines of text
/// (`250-first`, `250-second`, `250 last` is one reply with three lines).
struct SMTPReply: Sendable, Equatable {
    var code: Int
    /// The text of each line, without the code and separator.
    var lines: [String]

    /// 2xx and 3xx: the server took the command.
    var isPositive: Bool { (200..<400).contains(code) }
    /// 5xx: the server will refuse the same command again.
    var isPermanentFailure: Bool { (500..<600).contains(code) }

    /// The reply as one line for an error message, e.g. `550 5.1.1 No such user`; capped, since
    /// it comes from the server.
    var summary: String {
        let text = "\(code) " + lines.joined(separator: " ")
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}

/// Cuts the bytes a server sends into ``SMTPReply`` values (RFC 5321 §4.2).
///
/// Bytes are kept until a whole reply is there, so a reply split across reads, or two replies in
/// one read, come out the same. Bounds on line length and line count stop a broken or hostile
/// server from making Mutual buffer without end.
struct SMTPReplyParser {
    /// RFC 5321 allows 512 octets a reply line; real servers stay well below this.
    static let maximumLineLength = 4096
    static let maximumLines = 500

    /// A reply that is not SMTP, described for ``SMTPError/protocolViolation(server:detail:)``.
    struct Malformed: Error, Equatable {
        var detail: String
    }

    private var buffer: [UInt8] = []
    private var start = 0
    private var lines: [String] = []
    private var code: Int?

    /// Whether bytes beyond the replies returned so far have arrived.
    var hasUnreadBytes: Bool { start < buffer.count || !lines.isEmpty }

    mutating func append(_ bytes: some Sequence<UInt8>) {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete reply, or `nil` until more bytes arrive.
    mutating func nextReply() throws(Malformed) -> SMTPReply? {
        while let newline = buffer[start...].firstIndex(of: 10) {
            var end = newline
            if end > start, buffer[end - 1] == 13 { end -= 1 }
            let line = buffer[start..<end]
            start = newline + 1
            guard line.count <= Self.maximumLineLength else {
                throw Malformed(detail: "a reply line of \(line.count) bytes")
            }
            let digits = line.prefix(3)
            guard digits.count == 3, digits.allSatisfy({ (48...57).contains($0) }),
                (2...5).contains(digits[digits.startIndex] - 48)
            else {
                throw Malformed(detail: "\"\(Self.printable(line))\" where a reply code was expected")
            }
            let lineCode = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
            if let code, code != lineCode {
                throw Malformed(detail: "a reply whose lines have different codes (\(code) and \(lineCode))")
            }
            let separator = line.dropFirst(3).first
            guard separator == nil || separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
                throw Malformed(detail: "\"\(Self.printable(line))\" where a reply code was expected")
            }
            code = lineCode
            lines.append(String(decoding: line.dropFirst(4), as: UTF8.self))
            if lines.count > Self.maximumLines {
                throw Malformed(detail: "a reply of more than \(Self.maximumLines) lines")
            }
            if separator != UInt8(ascii: "-") {
                let reply = SMTPReply(code: lineCode, lines: lines)
                lines = []
                code = nil
                return reply
            }
        }
        if buffer.count - start > Self.maximumLineLength {
            throw Malformed(detail: "more than \(Self.maximumLineLength) bytes without a line break")
        }
        return nil
    }

    /// A server's line, safe to put in an error message.
    private static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: bytes.prefix(60), as: UTF8.self)
        return String(text.unicodeScalars.map { $0.isASCII && $0.value >= 32 ? Character($0) : "?" })
            + (bytes.count > 60 ? "…" : "")
    }
}
