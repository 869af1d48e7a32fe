import Foundation

/// A `multipart/form-data` body (RFC 7578) read as it arrives: feed it chunks and it reports
/// each part's start (name, filename, content type), the part's bytes in pieces and its end.
/// Between calls it holds at most one boundary's length of a part's bytes, so a file upload
/// of any size passes through in constant memory.
struct MultipartStreamParser {
    /// The headers of one part that the form needs.
    struct PartHeader: Sendable, Equatable {
        var name = ""
        /// Set for file inputs (possibly empty, when no file was chosen).
        var filename: String?
        var contentType: String?
    }

    enum Event: Equatable {
        case partStart(PartHeader)
        case data([UInt8])
        case partEnd
    }

    /// The body is not multipart with this boundary, or it stops before its closing delimiter.
    struct Malformed: Error, CustomStringConvertible {
        let description: String
    }

    private enum State { case preamble, afterDelimiter, headers, body, finished }

    /// A part's headers larger than this are not a browser's form.
    static let maxHeaderBytes = 16 * 1024

    private var state = State.preamble
    private var buffer: [UInt8] = []
    private let delimiter: [UInt8]
    private let separator: [UInt8]

    init(boundary: String) {
        delimiter = Array("--\(boundary)".utf8)
        separator = Array("\r\n--\(boundary)".utf8)
    }

    /// Bytes held back between calls (the tail that may begin a boundary); stays small.
    var bufferedByteCount: Int { buffer.count }

    /// Whether the closing delimiter has been read.
    var isFinished: Bool { state == .finished }

    /// The boundary of a `multipart/form-data; boundary=…` content type.
    static func boundary(fromContentType contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty || value.utf8.count > 200 ? nil : value
            }
        }
        return nil
    }

    /// The text fields of a whole (small) body, for forms the CSRF middleware collects.
    static func fields(of body: some Collection<UInt8>, boundary: String) throws -> FormFields {
        var parser = MultipartStreamParser(boundary: boundary)
        var values: [String: [String]] = [:]
        var current: PartHeader?
        var text: [UInt8] = []
        try parser.feed(body) { event in
            switch event {
            case .partStart(let header):
                current = header
                text = []
            case .data(let bytes):
                if current?.filename == nil { text += bytes }
            case .partEnd:
                if let header = current, header.filename == nil { values[header.name, default: []].append(String(decoding: text, as: UTF8.self)) }
                current = nil
            }
        }
        try parser.finish()
        return FormFields(values: values)
    }

    /// Consumes the next chunk of the body, reporting what it completes.
    mutating func feed(_ chunk: some Collection<UInt8>, _ emit: (Event) throws -> Void) throws {
        buffer.append(contentsOf: chunk)
        var position = 0
        defer { buffer.removeFirst(position) }
        while true {
            switch state {
            case .preamble:
                // Anything before the first delimiter is a preamble, which readers ignore.
                if let found = find(delimiter, from: position) {
                    position = found + delimiter.count
                    state = .afterDelimiter
                } else {
                    position = max(position, buffer.count - (delimiter.count - 1))
                    return
                }
            case .afterDelimiter:
                guard buffer.count - position >= 2 else { return }
                let next = (buffer[position], buffer[position + 1])
                if next == (0x2D, 0x2D) {
                    state = .finished
                } else if next == (0x0D, 0x0A) {
                    position += 2
                    state = .headers
                } else {
                    throw Malformed(description: "a part boundary is followed by neither a line break nor the closing dashes")
                }
            case .headers:
                guard let end = find([0x0D, 0x0A, 0x0D, 0x0A], from: position) else {
                    if buffer.count - position > Self.maxHeaderBytes { throw Malformed(description: "a part's headers are too long") }
                    return
                }
                try emit(.partStart(Self.header(String(decoding: buffer[position..<end], as: UTF8.self))))
                position = end + 4
                state = .body
            case .body:
                if let found = find(separator, from: position) {
                    if found > position { try emit(.data(Array(buffer[position..<found]))) }
                    try emit(.partEnd)
                    position = found + separator.count
                    state = .afterDelimiter
                } else {
                    // Keep the tail that may be the start of a separator split across chunks.
                    let safe = buffer.count - (separator.count - 1)
                    if safe > position {
                        try emit(.data(Array(buffer[position..<safe])))
                        position = safe
                    }
                    return
                }
            case .finished:
                position = buffer.count  // the epilogue, ignored
                return
            }
        }
    }

    /// Ends the body; throws unless the closing delimiter was read.
    func finish() throws {
        guard state == .finished else {
            throw Malformed(description: "the upload ended before its closing boundary (was it cut off?)")
        }
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard buffer.count - start >= needle.count else { return nil }
        return buffer.withUnsafeBufferPointer { bytes in
            let first = needle[0]
            var index = start
            let last = bytes.count - needle.count
            while index <= last {
                if bytes[index] == first {
                    var matched = 1
                    while matched < needle.count, bytes[index + matched] == needle[matched] { matched += 1 }
                    if matched == needle.count { return index }
                }
                index += 1
            }
            return nil
        }
    }

    private static func header(_ text: String) -> PartHeader {
        var header = PartHeader()
        for line in text.components(separatedBy: "\r\n") {
            let pieces = line.split(separator: ":", maxSplits: 1)
            guard pieces.count == 2 else { continue }
            let name = pieces[0].trimmingCharacters(in: .whitespaces).lowercased()
            let value = pieces[1].trimmingCharacters(in: .whitespaces)
            if name == "content-type" { header.contentType = value }
            if name == "content-disposition" {
                header.name = parameter("name", in: value) ?? ""
                header.filename = parameter("filename", in: value)
            }
        }
        return header
    }

    private static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.replacingOccurrences(of: "\\\"", with: "\"")
        }
        return nil
    }
}
