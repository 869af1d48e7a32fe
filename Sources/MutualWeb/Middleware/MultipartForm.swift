import Foundation
import NIOCore

/// A `multipart/form-data` body (RFC 7578), as a file-upload form sends it: text fields and
/// files, each a part with a name. Parsed from the whole body, which the CSRF middleware has
/// already collected (within the route's size limit).
struct MultipartForm: Sendable {
    struct Part: Sendable {
        var name: String
        var filename: String?
        var contentType: String?
        var body: ByteBuffer
    }

    var parts: [Part] = []

    /// The text fields, for the CSRF check and handlers that read `context.form`.
    var fields: FormFields {
        var values: [String: [String]] = [:]
        for part in parts where part.filename == nil {
            values[part.name, default: []].append(String(buffer: part.body))
        }
        return FormFields(values: values)
    }

    /// The first file part named `name`.
    func file(named name: String) -> Part? {
        parts.first { $0.name == name && $0.filename != nil }
    }

    /// The boundary of a `multipart/form-data; boundary=…` content type.
    static func boundary(fromContentType contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// Parses `body`; nil when it is not well-formed multipart with this boundary.
    init?(body: ByteBuffer, boundary: String) {
        let bytes = body.readableBytesView
        let delimiter = Array("--\(boundary)".utf8)
        let separator = Array("\r\n--\(boundary)".utf8)
        guard var position = Self.find(delimiter, in: bytes, from: bytes.startIndex), position == bytes.startIndex else { return nil }
        position += delimiter.count
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if bytes[position...].starts(with: [0x2D, 0x2D]) { return }
            guard bytes[position...].starts(with: [0x0D, 0x0A]) else { return nil }
            position += 2
            guard let headerEnd = Self.find([0x0D, 0x0A, 0x0D, 0x0A], in: bytes, from: position) else { return nil }
            let headerText = String(decoding: bytes[position..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = Self.find(separator, in: bytes, from: contentStart) else { return nil }
            var part = Part(name: "", body: body.getSlice(at: body.readerIndex + (contentStart - bytes.startIndex), length: next - contentStart) ?? ByteBuffer())
            for line in headerText.components(separatedBy: "\r\n") {
                let pieces = line.split(separator: ":", maxSplits: 1)
                guard pieces.count == 2 else { continue }
                let name = pieces[0].trimmingCharacters(in: .whitespaces).lowercased()
                let value = pieces[1].trimmingCharacters(in: .whitespaces)
                if name == "content-type" { part.contentType = value }
                if name == "content-disposition" {
                    part.name = Self.parameter("name", in: value) ?? ""
                    part.filename = Self.parameter("filename", in: value)
                }
            }
            parts.append(part)
            position = next + separator.count
        }
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

    private static func find(_ needle: [UInt8], in bytes: ByteBufferView, from start: Int) -> Int? {
        guard let first = needle.first, needle.count <= bytes.count else { return nil }
        var index = start
        let last = bytes.endIndex - needle.count
        while index <= last {
            if bytes[index] == first, bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
