import Foundation

/// A wrong `MUTUAL_SMTP_URL`, `MUTUAL_MAIL_FROM` or `MUTUAL_SMTP_CA_FILE`, found when Mutual starts.
///
/// Each message names the setting, says what is wrong with it and shows a value that works. None of
/// them repeats the whole URL, so a password in it never reaches a log.
public enum SMTPConfigurationError: Error, LocalizedError, Equatable, Sendable {
    /// The URL does not start with `smtp://` or `smtps://`; carries the scheme found, if any.
    case unsupportedScheme(String?)
    /// There is no host after the scheme (and the credentials).
    case missingHost
    /// The host has characters a host name or IP address cannot have. The text is `nil` when it
    /// has a colon: then it may well be a user and password whose `@` was forgotten.
    case invalidHost(String?)
    /// The port is not a number from 1 to 65535. The text is `nil` unless it is all digits, for
    /// the same reason as in ``invalidHost(_:)``.
    case invalidPort(String?)
    /// The URL has a path, query or fragment; Mutual reads nothing from them.
    case unexpectedPathOrQuery
    /// A user is given without a password, or a password without a user.
    case incompleteCredentials(missing: String)
    /// The user or password has a `%` that is not followed by two hex digits, or decodes to
    /// something that is not UTF-8; `field` is `"user"` or `"password"`.
    case invalidPercentEncoding(field: String)
    /// The user or password contains a control character (a line break, say) after decoding.
    case controlCharacterInCredentials(field: String)
    /// `MUTUAL_MAIL_FROM` cannot be used as the sender; `reason` says why.
    case invalidMailFrom(value: String, reason: String)
    /// `MUTUAL_SMTP_CA_FILE` cannot be read or holds no PEM certificate.
    case invalidCAFile(path: String, reason: String)

    static let urlExample = "smtp://user:password@mail.example.org:587"
    static let fromExample = "Mutual <mentoring@example.org>"

    public var errorDescription: String? {
        switch self {
        case .unsupportedScheme(let scheme):
            let found = scheme.map { " (it starts with \"\($0)://\")" } ?? ""
            return "MUTUAL_SMTP_URL must start with smtp:// or smtps://\(found), e.g. \(Self.urlExample)"
                + " (STARTTLS) or smtps://user:password@mail.example.org:465 (implicit TLS)."
        case .missingHost:
            return "MUTUAL_SMTP_URL has no server name after the scheme; write it as \(Self.urlExample)."
        case .invalidHost(let host):
            let named = host.map { "names the server \"\($0)\", which" } ?? "has a server name that"
            return "MUTUAL_SMTP_URL \(named) is not a host name or IP address;"
                + " write it as \(Self.urlExample) (IPv6 addresses in brackets: smtp://[2001:db8::1]:587)."
        case .invalidPort(let port):
            let named = port.map { "has the port \"\($0)\"" } ?? "has a port that is not a number"
            return "MUTUAL_SMTP_URL \(named); a port is a number from 1 to 65535, e.g. 587"
                + " for smtp:// or 465 for smtps://. Leave it out to use those defaults."
        case .unexpectedPathOrQuery:
            return "MUTUAL_SMTP_URL must end after the host and port (\(Self.urlExample)): Mutual reads no path"
                + " or query from it. Put a CA file in MUTUAL_SMTP_CA_FILE; if the password contains / ? or #,"
                + " write them as %2F %3F %23."
        case .incompleteCredentials(let missing):
            return "MUTUAL_SMTP_URL has a \(missing == "password" ? "user" : "password") but no \(missing);"
                + " give both (\(Self.urlExample)) or neither (smtp://mail.example.org:25)."
        case .invalidPercentEncoding(let field):
            return "The \(field) in MUTUAL_SMTP_URL has a % that does not start a valid escape; write % itself"
                + " as %25 (and @ as %40, : as %3A)."
        case .controlCharacterInCredentials(let field):
            return "The \(field) in MUTUAL_SMTP_URL contains a control character such as a line break once"
                + " decoded; SMTP cannot carry it. Check the value for a stray %0A or %0D."
        case .invalidMailFrom(let value, let reason):
            return "MUTUAL_MAIL_FROM \"\(value)\" is not a usable sender: \(reason). Write it as"
                + " \(Self.fromExample) or just mentoring@example.org."
        case .invalidCAFile(let path, let reason):
            return "MUTUAL_SMTP_CA_FILE \"\(path)\" cannot be used: \(reason). Point it at a PEM file of the"
                + " CA certificates that signed the SMTP server's certificate, or unset it to trust the"
                + " system's roots."
        }
    }
}
