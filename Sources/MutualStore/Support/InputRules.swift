import Foundation

/// Small validators shared by every form and API body, so messages read the same everywhere.
public enum InputRules {
    /// A trimmed, non-empty text of at most `maxLength` characters.
    public static func requiredText(_ value: String?, field: String, label: String, maxLength: Int = 200) throws -> String {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw StoreError.invalid(field: field, message: "Enter \(label).")
        }
        guard trimmed.count <= maxLength else {
            throw StoreError.invalid(field: field, message: "Shorten \(label) to at most \(maxLength) characters.")
        }
        return trimmed
    }

    /// A lower-cased email address with one `@` and a dot in the domain.
    public static func email(_ value: String?, field: String = "email") throws -> String {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !trimmed.isEmpty else {
            throw StoreError.invalid(field: field, message: "Enter an email address.")
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
