import Foundation
import NIOSSL

/// Where and how Mutual sends email over SMTP, read from three settings:
///
/// - `MUTUAL_SMTP_URL`: `smtp://user:password@host:587` (port 587 by default; upgraded with
///   STARTTLS when the server offers it) or `smtps://user:password@host:465` (TLS from the first
///   byte; port 465 by default). User and password are optional together and percent-decoded, so
///   `@` and `:` in them are written `%40` and `%3A`.
/// - `MUTUAL_MAIL_FROM`: the sender, `Mutual <mentoring@example.org>` or a bare address.
/// - `MUTUAL_SMTP_CA_FILE` (optional): a PEM file of extra trusted root certificates, for servers
///   whose certificate an internal CA signed. The system's roots are always trusted too, and the
///   host name is always verified.
///
/// The password never appears in ``description``, `debugDescription` or `dump` output.
public struct SMTPConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// How the connection is protected.
    public enum Security: Sendable, Equatable {
        /// `smtp://`: plain TCP, upgraded with STARTTLS whenever the server offers it. Credentials
        /// are only ever sent after the upgrade.
        case startTLSWhenOffered
        /// `smtps://`: TLS from the first byte (RFC 8314).
        case implicitTLS
    }

    /// A user name and password for SMTP AUTH.
    public struct Credentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
        CustomReflectable
    {
        public var user: String
        public var password: String

        public init(user: String, password: String) {
            self.user = user
            self.password = password
        }

        public var description: String { "\(user):•••" }
        public var debugDescription: String { description }
        // Without this `dump(credentials)` would print the password field by field.
        public var customMirror: Mirror { Mirror(self, children: ["user": user, "password": "•••"]) }
    }

    /// The server's host name or IP address (without brackets).
    public var host: String
    public var port: Int
    public var security: Security
    public var credentials: Credentials?
    /// The `From` of every message and the envelope sender (`MAIL FROM`).
    public var from: MailAddress
    /// The path `MUTUAL_SMTP_CA_FILE` named, if any (kept for ``description``).
    public var caFile: String?
    /// Roots trusted in addition to the system's, loaded from ``caFile``.
    public var additionalTrustRoots: [NIOSSLCertificate]
    /// How long to wait for the TCP connection.
    public var connectTimeout: Duration = .seconds(30)
    /// How long to wait for each reply (and for each write to be taken).
    public var commandTimeout: Duration = .seconds(30)
    /// How long to wait for the reply to the end of the message. Longer than ``commandTimeout``
    /// because the server checks the message at this point, and giving up after it has taken the
    /// message means a retry sends it twice (RFC 5321 suggests 10 minutes; this bounds the job).
    public var messageTimeout: Duration = .seconds(120)
    /// The name sent in `EHLO`; `nil` sends the connection's own address as an address literal
    /// (`[192.0.2.10]`), which is always well-formed, unlike a container's random host name.
    /// Not public: it goes into a command as it is, so only this module, never a setting, sets it.
    var heloName: String?

    /// Reads the settings, or throws an error that says which one is wrong and how to fix it.
    ///
    /// - Parameters:
    ///   - smtpURL: the value of `MUTUAL_SMTP_URL`.
    ///   - mailFrom: the value of `MUTUAL_MAIL_FROM`.
    ///   - caFile: the value of `MUTUAL_SMTP_CA_FILE`, or `nil`/empty when it is not set.
    public init(smtpURL: String, mailFrom: String, caFile: String? = nil) throws(SMTPConfigurationError) {
        let url = smtpURL.trimmingCharacters(in: .whitespaces)
        guard let schemeEnd = url.range(of: "://") else { throw .unsupportedScheme(nil) }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        switch scheme {
        case "smtp": security = .startTLSWhenOffered
        case "smtps": security = .implicitTLS
        default:
            // Echo the scheme only when it looks like one: text before "://" could be anything.
            let looksLikeScheme = scheme.count <= 10 && scheme.allSatisfy { $0.isASCII && $0.isLetter }
            throw .unsupportedScheme(looksLikeScheme ? String(scheme) : nil)
        }
        var rest = url[schemeEnd.upperBound...]

        // The credentials end at the *last* @, so a password with a raw @ (or / ? #, which would
        // otherwise start a path) still parses; only the host and port follow it.
        credentials = nil
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let (rawUser, rawPassword) =
                userInfo.firstIndex(of: ":").map {
                    (userInfo[..<$0], userInfo[userInfo.index(after: $0)...])
                } ?? (userInfo, "")
            let user = try Self.decode(rawUser, field: "user")
            let password = try Self.decode(rawPassword, field: "password")
            switch (user.isEmpty, password.isEmpty) {
            case (true, true): break
            case (false, true): throw .incompleteCredentials(missing: "password")
            case (true, false): throw .incompleteCredentials(missing: "user")
            case (false, false): credentials = Credentials(user: user, password: password)
            }
        }

        let hostAndPort = rest.prefix { !"/?#".contains($0) }
        guard rest[hostAndPort.endIndex...].allSatisfy({ $0 == "/" }) else { throw .unexpectedPathOrQuery }
        var portText: Substring?
        let hostText: Substring
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else { throw .invalidHost(String(hostAndPort)) }
            hostText = hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close]
            let after = hostAndPort[hostAndPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidHost(String(hostAndPort)) }
                portText = after.dropFirst()
            }
            guard !hostText.isEmpty, hostText.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw .invalidHost(String(hostText))
            }
        } else {
            if let colon = hostAndPort.lastIndex(of: ":") {
                hostText = hostAndPort[..<colon]
                portText = hostAndPort[hostAndPort.index(after: colon)...]
            } else {
                hostText = hostAndPort
            }
            guard !hostText.isEmpty else { throw .missingHost }
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")
            guard hostText.allSatisfy(allowed.contains), !hostText.hasPrefix("."), !hostText.contains("..")
            else { throw .invalidHost(hostText.contains(":") ? nil : String(hostText)) }
        }
        host = hostText.lowercased()
        if let portText {
            let isDigits = portText.allSatisfy { $0.isASCII && $0.isNumber }
            guard isDigits, let port = Int(portText), (1...65535).contains(port) else {
                throw .invalidPort(isDigits ? String(portText) : nil)
            }
            self.port = port
        } else {
            port = security == .implicitTLS ? 465 : 587
        }

        from = try MailAddress(mailFrom: mailFrom)

        let caPath = caFile?.trimmingCharacters(in: .whitespaces)
        if let caPath, !caPath.isEmpty {
            self.caFile = caPath
            additionalTrustRoots = try Self.loadCertificates(caPath)
        } else {
            self.caFile = nil
            additionalTrustRoots = []
        }
    }

    /// `host:port` as people write it, with brackets round an IPv6 address.
    public var server: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public var description: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let user = credentials.map {
            ($0.user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? "") + ":•••@"
        }
        var text = "\(scheme)://\(user ?? "")\(server), from \(from)"
        if let caFile { text += ", extra CA file \(caFile)" }
        return text
    }

    public var debugDescription: String { "SMTPConfiguration(\(description))" }

    // Without this `dump(configuration)` would print the credentials field by field.
    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }

    private static func decode(_ text: Substring, field: String) throws(SMTPConfigurationError) -> String {
        guard let decoded = String(text).removingPercentEncoding else { throw .invalidPercentEncoding(field: field) }
        guard !decoded.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .controlCharacterInCredentials(field: field)
        }
        return decoded
    }

    private static func loadCertificates(_ path: String) throws(SMTPConfigurationError) -> [NIOSSLCertificate] {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .invalidCAFile(path: path, reason: "it cannot be read (\(error.localizedDescription))")
        }
        let certificates = (try? NIOSSLCertificate.fromPEMBytes(bytes)) ?? []
        guard !certificates.isEmpty else {
            throw .invalidCAFile(path: path, reason: "it holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
        return certificates
    }
}
