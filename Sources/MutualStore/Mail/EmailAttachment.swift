import Foundation

/// A file sent with an email (a meeting's `.ics`), as a MIME part of its own after the text.
public struct EmailAttachment: Sendable, Equatable, Codable {
    /// The file's name as mail programs show it: ASCII letters, digits, `.`, `-` and `_` only
    /// (anything else is replaced), so it needs no encoding in the header.
    public var filename: String
    /// The media type with its parameters, e.g. `text/calendar; method=REQUEST; charset=utf-8`.
    public var contentType: String
    public var content: Data

    public init(filename: String, contentType: String, content: Data) {
        self.filename = String(
            String.UnicodeScalarView(
                filename.unicodeScalars.map { scalar in
                    scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || ".-_".unicodeScalars.contains(scalar)) ? scalar : "_"
                }))
        self.contentType = contentType
        self.content = content
    }
}
