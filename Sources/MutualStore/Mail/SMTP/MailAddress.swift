import Foundation

/// A mailbox: an address and, optionally, the name shown beside it (`Mutual <mentoring@example.org>`).
public struct MailAddress: Sendable, Equatable, CustomStringConvertible {
    /// The name mail programs show, e.g. `Mutual`; `nil` for a bare address.
    public var displayName: String?
    /// The address itself, e.g. `mentoring@example.org`; ASCII, checked by ``problem(with:)``.
    public var address: String

    /// The part after the `@`, which Mutual also uses for its `Message-ID`s.
    public var domain: String {
        address.lastIndex(of: "@").map { String(address[address.index(after: $0)...]) } ?? address
    }

    public var description: String {
        displayName.map { "\($0) <\(address)>" } ?? address
    }

    /// Parses a `MUTUAL_MAIL_FROM` value: `Mutual <mentoring@example.org>`,
    /// `"Mentoring, Acme" <mentoring@example.org>` or a bare `mentoring@example.org`.
    public init(mailFrom text: String) throws(SMTPConfigurationError) {
        func fail(_ reason: String) -> SMTPConfigurationError {
            .invalidMailFrom(value: text, reason: reason)
        }
        let value = text.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { throw fail("it is empty") }
        guard !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw fail("it contains a line break or another control character")
        }
        var name: String?
        var address = value
        if value.hasSuffix(">") {
            guard let open = value.lastIndex(of: "<") else { throw fail("it ends with > but has no <") }
            address = String(value[value.index(after: open)..<value.index(before: value.endIndex)])
            var phrase = value[..<open].trimmingCharacters(in: .whitespaces)
            if phrase.hasPrefix("\""), phrase.hasSuffix("\""), phrase.count >= 2 {
                phrase = String(phrase.dropFirst().dropLast())
                    .replacingOccurrences(of: "\\\"", with: "\"")
                    .replacingOccurrences(of: "\\\\", with: "\\")
            }
            name = phrase.isEmpty ? nil : phrase
        } else if value.contains("<") {
            throw fail("it has a < without a closing >")
        }
        if let problem = Self.problem(with: address) { throw fail("the address \(problem)") }
        self.displayName = name
        self.address = address
    }

    /// An address known to be valid (or a test's); no checks.
    init(displayName: String?, address: String) {
        self.displayName = displayName
        self.address = address
    }

    /// What is wrong with `address` as an SMTP envelope address, or `nil` when it is fine.
    ///
    /// Deliberately narrower than RFC 5321: a dot-atom local part and a host name, in ASCII. Quoted
    /// local parts, address literals and internationalised addresses (which need the SMTPUTF8
    /// extension) are refused with a reason, rather than sent and bounced somewhere later.
    public static func problem(with address: String) -> String? {
        guard !address.isEmpty else { return "is empty" }
        guard address.unicodeScalars.allSatisfy(\.isASCII) else {
            return "has non-ASCII characters, which Mutual cannot send to (write the domain in its xn-- form)"
        }
        guard let at = address.lastIndex(of: "@") else { return "has no @" }
        let local = address[..<at], domain = address[address.index(after: at)...]
        guard !local.isEmpty else { return "has nothing before the @" }
        guard !domain.isEmpty else { return "has no domain after the @" }
        guard local.utf8.count <= 64 else { return "has more than 64 characters before the @" }
        guard address.utf8.count <= 254 else { return "is longer than 254 characters" }
        if local.hasPrefix("\"") { return "has a quoted part before the @, which Mutual does not support" }
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~")
        let localAtoms = local.split(separator: ".", omittingEmptySubsequences: false)
        guard localAtoms.allSatisfy({ !$0.isEmpty && $0.allSatisfy(atext.contains) }) else {
            return "has a space, a second @, a misplaced dot or another character not allowed before the @"
        }
        if domain.hasPrefix("[") { return "uses an address literal after the @; use a host name" }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let labelCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        guard
            labels.allSatisfy({
                (1...63).contains($0.count) && $0.allSatisfy(labelCharacters.contains)
                    && !$0.hasPrefix("-") && !$0.hasSuffix("-")
            })
        else { return "has a domain (\(domain)) that is not a valid host name" }
        return nil
    }
}
