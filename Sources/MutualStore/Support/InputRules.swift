import Foundation

/// Small validators shared by every form and API body, so messages read the same everywhere.
public enum InputRules {
    /// A trimmed, non-empty, single-line text of at most `maxLength` characters.
    public static func requiredText(_ value: String?, field: String, label: String, maxLength: Int = TextLimits.name) throws -> String {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw StoreError.invalid(field: field, message: "Enter \(label).")
        }
        return try checkedText(trimmed, field: field, label: label, maxLength: maxLength, allowingLineBreaks: false)
    }

    /// A trimmed, single-line text of at most `maxLength` characters; empty is allowed.
    public static func optionalText(_ value: String?, field: String, label: String, maxLength: Int) throws -> String {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return try checkedText(trimmed, field: field, label: label, maxLength: maxLength, allowingLineBreaks: false)
    }

    /// A trimmed text that may run over several lines (tabs and line breaks allowed), of at most
    /// `maxLength` characters; empty is allowed.
    public static func longText(_ value: String?, field: String, label: String, maxLength: Int) throws -> String {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return try checkedText(trimmed, field: field, label: label, maxLength: maxLength, allowingLineBreaks: true)
    }

    /// Each item of a list (languages, interests, boundaries) as a single-line text of at most
    /// `maxItemLength` characters, and at most `maxItems` of them.
    public static func listItems(_ items: [String], field: String, label: String, maxItems: Int = TextLimits.listItems, maxItemLength: Int = TextLimits.listItem) throws -> [String] {
        guard items.count <= maxItems else {
            throw StoreError.invalid(field: field, message: "List at most \(maxItems) \(label); this has \(items.count).")
        }
        return try items.enumerated().map { index, item in
            try optionalText(item, field: "\(field)[\(index)]", label: "each of the \(label)", maxLength: maxItemLength)
        }
    }

    /// Refuses a control character (and, unless `allowingLineBreaks`, a tab or line break) and
    /// more than `maxLength` characters. PostgreSQL refuses a NUL byte in text and an index key
    /// over about 2,700 bytes with an error; checked here, both are a message naming the field.
    public static func checkedText(_ text: String, field: String, label: String, maxLength: Int, allowingLineBreaks: Bool) throws -> String {
        if let scalar = forbiddenScalar(in: text, allowingLineBreaks: allowingLineBreaks) {
            let what = isLineBreakOrTab(scalar) ? "a line break or tab" : "an invisible control character (\(codePoint(scalar)))"
            throw StoreError.invalid(field: field, message: "\(capitalised(label)) contains \(what). Remove it and try again.")
        }
        guard text.count <= maxLength else {
            throw StoreError.invalid(field: field, message: "Shorten \(label) to at most \(maxLength.formatted()) characters; it has \(text.count.formatted()).")
        }
        return text
    }

    /// The first character no text field may hold: C0 and C1 control characters and DEL, with
    /// tab, line feed and carriage return allowed only when `allowingLineBreaks`.
    public static func forbiddenScalar(in text: String, allowingLineBreaks: Bool) -> Unicode.Scalar? {
        for scalar in text.unicodeScalars {
            let value = scalar.value
            guard value < 0x20 || (0x7F...0x9F).contains(value) else { continue }
            if allowingLineBreaks && isLineBreakOrTab(scalar) { continue }
            return scalar
        }
        return nil
    }

    /// `U+0000` style, as people look a character up.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    private static func isLineBreakOrTab(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    private static func capitalised(_ label: String) -> String {
        label.prefix(1).uppercased() + label.dropFirst()
    }

    /// A lower-cased email address with one `@` and a dot in the domain.
    public static func email(_ value: String?, field: String = "email") throws -> String {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !trimmed.isEmpty else {
            throw StoreError.invalid(field: field, message: "Enter an email address.")
        }
        if let scalar = forbiddenScalar(in: trimmed, allowingLineBreaks: false) {
            throw StoreError.invalid(field: field, message: "The email address contains an invisible control character (\(codePoint(scalar))). Type it again, like name@example.org.")
        }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), trimmed.count <= 254, !trimmed.contains(where: { $0.isWhitespace })
        else {
            throw StoreError.invalid(field: field, message: "Enter an email address like name@example.org.")
        }
        // The sender's own rule, so an address accepted here is one Mutual can send to.
        if let problem = MailAddress.problem(with: trimmed) {
            throw StoreError.invalid(field: field, message: "This address \(problem), so Mutual could not email it. Enter an address like name@example.org.")
        }
        return trimmed
    }

    /// A URL-safe slug from a display name.
    public static func slug(_ text: String) -> String {
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var slug = ""
        var lastWasDash = false
        for scalar in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII {
                slug.unicodeScalars.append(scalar)
                lastWasDash = false
            } else if !lastWasDash && !slug.isEmpty {
                slug.append("-")
                lastWasDash = true
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "organisation" : slug
    }
}
