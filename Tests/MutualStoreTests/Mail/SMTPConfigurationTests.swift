import Foundation
import Testing

@testable import MutualStore

@Suite("SMTP configuration")
struct SMTPConfigurationTests {
    static let from = "Mutual <mentoring@example.org>"

    static func parse(_ url: String, from: String = Self.from, caFile: String? = nil) throws -> SMTPConfiguration {
        try SMTPConfiguration(smtpURL: url, mailFrom: from, caFile: caFile)
    }

    /// The error a value gives, or a failed expectation when it parses.
    static func error(_ url: String, from: String = Self.from, caFile: String? = nil) -> SMTPConfigurationError? {
        do {
            let configuration = try SMTPConfiguration(smtpURL: url, mailFrom: from, caFile: caFile)
            Issue.record("\(url) / \(from) parsed as \(configuration)")
            return nil
        } catch {
            return error
        }
    }

    @Test("An smtp URL gives the host, the port, STARTTLS and the percent-decoded user and password")
    func smtpURLWithCredentials() throws {
        let configuration = try Self.parse("smtp://mentor%40example.org:p%40ss%3Aw%C3%B6rd@Mail.Example.org:2525")
        #expect(configuration.host == "mail.example.org")
        #expect(configuration.port == 2525)
        #expect(configuration.security == .startTLSWhenOffered)
        #expect(configuration.credentials == .init(user: "mentor@example.org", password: "p@ss:wörd"))
        #expect(configuration.server == "mail.example.org:2525")
    }

    @Test("smtp:// defaults to port 587 and smtps:// to 465 with implicit TLS; no user means no login")
    func defaultPorts() throws {
        let plain = try Self.parse("smtp://relay.internal/")
        #expect(plain.port == 587)
        #expect(plain.security == .startTLSWhenOffered)
        #expect(plain.credentials == nil)
        let implicit = try Self.parse("SMTPS://user:secret@mail.example.org")
        #expect(implicit.port == 465)
        #expect(implicit.security == .implicitTLS)
        #expect(implicit.credentials?.password == "secret")
    }

    @Test("A password with a raw @, / or ? still parses: the host starts after the last @")
    func rawSpecialCharactersInPassword() throws {
        let configuration = try Self.parse("smtp://user:p@ss/w?rd@mail.example.org:25")
        #expect(configuration.credentials == .init(user: "user", password: "p@ss/w?rd"))
        #expect(configuration.host == "mail.example.org")
        #expect(configuration.port == 25)
    }

    @Test("An IPv6 server is written in brackets and kept without them")
    func ipv6Host() throws {
        let configuration = try Self.parse("smtp://[2001:db8::1]:25")
        #expect(configuration.host == "2001:db8::1")
        #expect(configuration.server == "[2001:db8::1]:25")
    }

    @Test(
        "A wrong MUTUAL_SMTP_URL gives an error that names the problem and shows a working value",
        arguments: [
            ("mail.example.org:587", SMTPConfigurationError.unsupportedScheme(nil), "must start with smtp:// or smtps://, e.g. smtp://user:password@mail.example.org:587"),
            ("http://mail.example.org", .unsupportedScheme("http"), "(it starts with \"http://\")"),
            ("smtp://", .missingHost, "has no server name"),
            ("smtp://user:secret@", .missingHost, "has no server name"),
            ("smtp://mail.example.org:0", .invalidPort("0"), "a number from 1 to 65535"),
            ("smtp://mail.example.org:70000", .invalidPort("70000"), "\"70000\""),
            ("smtp://mail.example.org:+25", .invalidPort(nil), "a port that is not a number"),
            ("smtp://mail.example.org/mail", .unexpectedPathOrQuery, "MUTUAL_SMTP_CA_FILE"),
            ("smtp://mail.example.org?ca_file=/ca.pem", .unexpectedPathOrQuery, "no path or query"),
            ("smtp://user@mail.example.org", .incompleteCredentials(missing: "password"), "has a user but no password"),
            ("smtp://:secret@mail.example.org", .incompleteCredentials(missing: "user"), "has a password but no user"),
            ("smtp://user:100%@mail.example.org", .invalidPercentEncoding(field: "password"), "write % itself as %25"),
            ("smtp://us%zzer:pw@mail.example.org", .invalidPercentEncoding(field: "user"), "The user in"),
            ("smtp://user:pw%0D%0AMAIL@mail.example.org", .controlCharacterInCredentials(field: "password"), "control character"),
            ("smtp://mail example.org", .invalidHost("mail example.org"), "not a host name or IP address"),
        ])
    func badURLs(url: String, expected: SMTPConfigurationError, fragment: String) {
        let error = Self.error(url)
        #expect(error == expected)
        #expect(error?.localizedDescription.contains(fragment) == true, "\(error?.localizedDescription ?? "")")
        #expect(error?.localizedDescription.contains("MUTUAL_SMTP_URL") == true)
    }

    @Test("No error about a URL repeats its password, even when the @ or the host is missing")
    func errorsNeverShowThePassword() {
        let urls = [
            "smtp://user:hunter2secret", "smtp://user:hunter2secret:mail.example.org", "smtp://user:hunter2secret@",
            "smtp://user:hunter2secret@mail.example.org:x", "smtp://user:hunter2secret@bad host",
            "smtp://user:hunter2secret@mail.example.org/path", "hunter2secret://mail.example.org",
            "smtp://user:hunter2secret%@mail.example.org",
        ]
        for url in urls {
            guard let error = Self.error(url) else { continue }
            #expect(!error.localizedDescription.contains("hunter2secret"), "\(url): \(error.localizedDescription)")
            #expect(!String(describing: error).contains("hunter2secret"), "\(url): \(error)")
        }
    }

    @Test("The configuration's description, debug description and dump hide the password")
    func redactedDescriptions() throws {
        let configuration = try Self.parse("smtps://mentor%40example.org:hunter2secret@mail.example.org")
        var dumped = ""
        dump(configuration, to: &dumped)
        var dumpedCredentials = ""
        dump(configuration.credentials, to: &dumpedCredentials)
        for text in [
            configuration.description, String(reflecting: configuration), "\(configuration)", dumped,
            dumpedCredentials, "\(configuration.credentials!)", String(reflecting: configuration.credentials!),
        ] {
            #expect(!text.contains("hunter2secret"), "\(text)")
        }
        #expect(
            configuration.description
                == "smtps://mentor%40example.org:•••@mail.example.org:465, from Mutual <mentoring@example.org>")
    }

    @Test(
        "MUTUAL_MAIL_FROM takes a display name with an address, a quoted name, or a bare address",
        arguments: [
            ("Mutual <mentoring@example.org>", "Mutual", "mentoring@example.org"),
            ("  mentoring@example.org ", nil, "mentoring@example.org"),
            ("<mentoring@example.org>", nil, "mentoring@example.org"),
            ("\"Mentoring, Acme \\\"HQ\\\"\" <mentoring@acme.example>", "Mentoring, Acme \"HQ\"", "mentoring@acme.example"),
            ("Equipa de Mentoria Ação <mentoria@exemplo.pt>", "Equipa de Mentoria Ação", "mentoria@exemplo.pt"),
            ("no-reply+mutual@mail.example.org", nil, "no-reply+mutual@mail.example.org"),
        ] as [(String, String?, String)])
    func goodMailFrom(value: String, name: String?, address: String) throws {
        let configuration = try Self.parse("smtp://relay.internal:25", from: value)
        #expect(configuration.from.displayName == name)
        #expect(configuration.from.address == address)
    }

    @Test(
        "A wrong MUTUAL_MAIL_FROM says what is wrong and how to write it",
        arguments: [
            ("", "it is empty"),
            ("mentoring", "has no @"),
            ("Mutual <mentoring@example.org", "has a < without a closing >"),
            ("Mutual mentoring@example.org>", "ends with > but has no <"),
            ("mentoring@", "has no domain after the @"),
            ("@example.org", "has nothing before the @"),
            ("ana silva@example.org", "not allowed before the @"),
            ("ana..silva@example.org", "not allowed before the @"),
            ("ana@exämple.org", "non-ASCII"),
            ("ana@example..org", "not a valid host name"),
            ("ana@-example.org", "not a valid host name"),
            ("Mutual <mentoring@example.org>\r\nBcc: all@example.org", "control character"),
        ])
    func badMailFrom(value: String, reason: String) {
        guard case .invalidMailFrom(let reported, _)? = Self.error("smtp://relay.internal", from: value) else {
            Issue.record("\(value) was not reported as a bad MUTUAL_MAIL_FROM")
            return
        }
        let message = Self.error("smtp://relay.internal", from: value)?.localizedDescription ?? ""
        #expect(reported == value)
        #expect(message.contains(reason), "\(message)")
        #expect(message.contains("MUTUAL_MAIL_FROM"))
        #expect(message.contains("Mutual <mentoring@example.org> or just mentoring@example.org"))
    }

    @Test("A CA file that is missing or holds no certificate is refused with the path and the reason")
    func badCAFile() throws {
        let missing = Self.error("smtp://relay.internal", caFile: "/nonexistent/ca.pem")
        guard case .invalidCAFile(let path, let reason)? = missing else {
            Issue.record("a missing CA file was accepted or gave \(String(describing: missing))")
            return
        }
        #expect(path == "/nonexistent/ca.pem")
        #expect(reason.contains("cannot be read"))
        #expect(missing?.localizedDescription.contains("MUTUAL_SMTP_CA_FILE") == true)

        let garbage = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-ca-\(UUID()).pem")
        try Data("hello".utf8).write(to: garbage)
        defer { try? FileManager.default.removeItem(at: garbage) }
        guard case .invalidCAFile(_, let garbageReason)? = Self.error("smtp://relay.internal", caFile: garbage.path)
        else {
            Issue.record("a CA file without certificates was accepted")
            return
        }
        #expect(garbageReason.contains("holds no PEM certificate"))

        // An empty value means "not set", as an empty environment variable would.
        #expect(try Self.parse("smtp://relay.internal", caFile: " ").additionalTrustRoots.isEmpty)
    }
}
