import Foundation

/// Writes header fields that survive any relay: 7-bit ASCII, folded to short lines, with text that
/// is not plain ASCII as RFC 2047 encoded-words (`=?UTF-8?B?…?=`).
///
/// Every value first goes through ``sanitised(_:)``, so a line break in a subject or a name can
/// never start a header of its own (header injection).
enum MIMEHeaderEncoding {
    /// The line length RFC 5322 §2.1.1 asks for, and the one RFC 2047 §2 sets for lines that
    /// hold encoded-words (76).
    static let foldedLineLimit = 78
    static let encodedLineLimit = 76
    private static let wordPrefix = "=?UTF-8?B?"
    private static let wordSuffix = "?="

    /// Control characters (line breaks, tabs) become spaces; runs of white space become one;
    /// the ends are trimmed. Subjects and names mean the same after this, and fold cleanly.
    static func sanitised(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace || scalar.properties.generalCategory == .control {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// An unstructured field such as `Subject`, as one string with CRLF SP folds and no final CRLF.
    static func unstructured(_ name: String, _ value: String) -> String {
        let text = sanitised(value)
        let words = text.split(separator: " ")
        // Plain ASCII stays readable; text that merely looks like an encoded-word ("=?") would be
        // decoded by readers, so it is encoded too, as is any word too long to fold.
        let isPlain = text.utf8.allSatisfy { $0 >= 32 && $0 < 127 } && !text.contains("=?")
            && words.allSatisfy { $0.utf8.count <= foldedLineLimit - 2 }
        guard isPlain else {
            return "\(name): " + encodedWords(text, firstLineUsed: name.utf8.count + 2).joined(separator: "\r\n ")
        }
        var lines: [String] = []
        var line = "\(name):"
        for word in words {
            if line.utf8.count + 1 + word.utf8.count > foldedLineLimit, line != "\(name):" {
                lines.append(line)
                line = ""
            }
            line += " " + word
        }
        lines.append(line)
        return lines.joined(separator: "\r\n")
    }

    /// An address field such as `From` or `To`: `Name <address>`, or the bare address.
    static func mailbox(_ name: String, _ mailbox: MailAddress) -> String {
        let displayName = mailbox.displayName.map(sanitised) ?? ""
        guard !displayName.isEmpty else { return "\(name): \(mailbox.address)" }
        let angleAddress = "<\(mailbox.address)>"
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~ ")
        let isASCII = displayName.utf8.allSatisfy { $0 >= 32 && $0 < 127 }
        let shortEnough = name.utf8.count + displayName.utf8.count + angleAddress.utf8.count + 6 <= foldedLineLimit
        if isASCII, shortEnough, !displayName.contains("=?") {
            if displayName.allSatisfy(atext.contains) {
                return "\(name): \(displayName) \(angleAddress)"
            }
            // Commas, dots and the like are specials in a phrase: a quoted string keeps them
            // from being read as address syntax ("Silva, Ana" is not two mailboxes).
            let quoted = displayName.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"")
            return "\(name): \"\(quoted)\" \(angleAddress)"
        }
        let words = encodedWords(displayName, firstLineUsed: name.utf8.count + 2)
        let last = words[words.count - 1]
        let addressFits = last.utf8.count + 1 + angleAddress.utf8.count + (words.count == 1 ? name.utf8.count + 2 : 1)
            <= foldedLineLimit
        return "\(name): " + words.joined(separator: "\r\n ") + (addressFits ? " " : "\r\n ") + angleAddress
    }

    /// `text` as encoded-words of whole Unicode scalars (RFC 2047 §5 forbids splitting one), each
    /// sized so that its line stays within 76 characters; the first shares its line with the
    /// field name (`firstLineUsed` characters), the rest follow a folding space.
    static func encodedWords(_ text: String, firstLineUsed: Int) -> [String] {
        func capacity(lineRoom: Int) -> Int {
            // Base64 turns each 3 bytes into 4 characters; the prefix and suffix take 12.
            max(3, (lineRoom - wordPrefix.utf8.count - wordSuffix.utf8.count) / 4 * 3)
        }
        var words: [String] = []
        var current: [UInt8] = []
        var limit = capacity(lineRoom: encodedLineLimit - firstLineUsed)
        func flush() {
            words.append(wordPrefix + Data(current).base64EncodedString() + wordSuffix)
            current = []
            limit = capacity(lineRoom: encodedLineLimit - 1)
        }
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if !current.isEmpty, current.count + bytes.count > limit { flush() }
            current += bytes
        }
        if !current.isEmpty || words.isEmpty { flush() }
        return words
    }
}
