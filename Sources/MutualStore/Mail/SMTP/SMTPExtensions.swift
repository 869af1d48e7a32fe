/// What a server said it supports in its EHLO reply (RFC 5321 §4.1.1.1): one keyword per line
/// after the first, with parameters, e.g. `STARTTLS` or `AUTH PLAIN LOGIN`.
struct SMTPExtensions: Sendable, Equatable {
    /// Upper-cased keyword → its upper-cased parameters.
    private(set) var keywords: [String: [String]] = [:]

    /// A server that only answered HELO supports nothing.
    static let none = SMTPExtensions()

    private init() {}

    init(ehloReply reply: SMTPReply) {
        for line in reply.lines.dropFirst() {
            var parts = line.uppercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !parts.isEmpty else { continue }
            var keyword = parts.removeFirst()
            // Some old servers wrote "AUTH=PLAIN LOGIN" (from a draft of RFC 2554).
            if let equals = keyword.firstIndex(of: "=") {
                parts.insert(String(keyword[keyword.index(after: equals)...]), at: 0)
                keyword = String(keyword[..<equals])
            }
            keywords[keyword, default: []] += parts.filter { !$0.isEmpty }
        }
    }

    var offersStartTLS: Bool { keywords["STARTTLS"] != nil }

    /// The SASL mechanisms after `AUTH`, e.g. `["PLAIN", "LOGIN"]`.
    var authenticationMechanisms: [String] { keywords["AUTH"] ?? [] }
}
