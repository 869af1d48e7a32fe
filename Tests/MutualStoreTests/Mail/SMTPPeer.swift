import Foundation
import Testing

/// A real SMTP server for a test: `Tests/support/smtp_peer.py` (aiosmtpd) in a subprocess, with
/// what it received read back from its directory. Use ``with(_:user:password:certificate:onlyLogin:_:)``,
/// which always ends the subprocess.
final class SMTPPeer {
    enum Mode: String {
        case plain, plainAuth = "plain-auth", startTLS = "starttls", smtps, silent
    }

    /// A message as the peer saved it, read by Python's `email` package.
    struct SavedMessage: Decodable {
        struct Part: Decodable {
            var contentType: String
            var charset: String?
            var transferEncoding: String?
            var content: String
            /// `attachment` or `inline` when the part says, and an attachment's file name and
            /// `method` parameter (a calendar file's).
            var disposition: String?
            var filename: String?
            var method: String?
        }
        var mailFrom: String
        var rcptTos: [String]
        var tls: Bool
        var login: String?
        var headers: [String: String]
        var fromName: String?
        var fromAddress: String?
        var toName: String?
        var toAddress: String?
        var parts: [Part]
        var defects: [String]
    }

    /// Why the peer could not start; says how to install what is missing.
    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("support/smtp_peer.py")

    let port: Int
    let directory: URL
    private let process: Process

    private init(port: Int, directory: URL, process: Process) {
        self.port = port
        self.directory = directory
        self.process = process
    }

    /// Runs `body` with a peer in `mode`, then ends the peer and removes its files, whatever
    /// `body` does.
    static func with<Result>(
        _ mode: Mode, user: String = "", password: String = "", certificate: TestCertificate? = nil,
        onlyLogin: Bool = false, _ body: (SMTPPeer) async throws -> Result
    ) async throws -> Result {
        let peer = try await start(
            mode, user: user, password: password, certificate: certificate, onlyLogin: onlyLogin)
        defer { peer.stop() }
        let started = ContinuousClock.now
        do {
            let result = try await body(peer)
            // An exchange this slow is worth a look even when it passed, and a test that
            // recorded an issue rather than throwing gets the server's side this way.
            if ContinuousClock.now - started > .seconds(5) {
                print("smtp_peer.py (\(mode.rawValue), port \(peer.port)) took \(ContinuousClock.now - started); its log:\n\(peer.log())")
            }
            return result
        } catch {
            // What the server saw is half of the story of a failed exchange.
            let log = peer.log()
            if !log.isEmpty { Issue.record("smtp_peer.py wrote to stderr:\n\(log)") }
            throw error
        }
    }

    private static func start(
        _ mode: Mode, user: String, password: String, certificate: TestCertificate?, onlyLogin: Bool
    ) async throws -> SMTPPeer
    {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-smtp-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stdout = directory.appendingPathComponent("peer.stdout"), stderr = directory.appendingPathComponent("peer.stderr")
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", script.path, "--mode", mode.rawValue, "--dir", directory.path]
        arguments += ["--user", user, "--password", password]
        if let certificate { arguments += ["--cert", certificate.certificate.path, "--key", certificate.key.path] }
        if onlyLogin { arguments.append("--only-login") }
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        try process.run()

        // Python and aiosmtpd start in well under a second; 20 s leaves room for a busy machine.
        for _ in 0..<400 {
            // The port file, written by the peer itself: with many tests starting children at
            // once, an inherited stdout handle has been seen to belong to another test's peer.
            let output = (try? String(contentsOf: directory.appendingPathComponent("port"), encoding: .utf8)) ?? ""
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("PORT ") }),
                let port = Int(line.dropFirst(5))
            {
                return SMTPPeer(port: port, directory: directory, process: process)
            }
            if !process.isRunning {
                let errors = (try? String(contentsOf: stderr, encoding: .utf8)) ?? ""
                try? FileManager.default.removeItem(at: directory)
                switch process.terminationStatus {
                case 3:
                    throw StartFailure(
                        description: "The SMTP tests need aiosmtpd for python3: pip install aiosmtpd==1.4.6 (\(errors))")
                case 127:
                    throw StartFailure(
                        description: "The SMTP tests need python3 with aiosmtpd: install python3, then"
                            + " pip install aiosmtpd==1.4.6")
                default:
                    throw StartFailure(
                        description: "smtp_peer.py exited with status \(process.terminationStatus): \(errors)."
                            + " It needs python3 with aiosmtpd: pip install aiosmtpd==1.4.6")
                }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
        throw StartFailure(description: "smtp_peer.py did not report its port within 20 seconds")
    }

    private func stop() {
        if process.isRunning { process.terminate() }
        // SIGTERM is enough for the helper, which unblocks it; SIGKILL after 5 s makes sure a
        // stuck one never outlives the test.
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// What the peer wrote to stderr (aiosmtpd's log of each exchange).
    func log() -> String {
        let log = (try? String(contentsOf: directory.appendingPathComponent("peer.log"), encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOf: directory.appendingPathComponent("peer.stderr"), encoding: .utf8)) ?? ""
        return stderr.isEmpty ? log : log + "\nstderr:\n" + stderr
    }

    /// The messages the peer accepted, in order.
    func messages() throws -> [SavedMessage] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var messages: [SavedMessage] = []
        for number in 1... {
            let file = directory.appendingPathComponent("message-\(number).json")
            guard FileManager.default.fileExists(atPath: file.path) else { break }
            messages.append(try decoder.decode(SavedMessage.self, from: Data(contentsOf: file)))
        }
        return messages
    }

    /// The bytes of the `number`th accepted message (from 1), after the server undid dot-stuffing.
    func rawMessage(_ number: Int) throws -> String {
        try String(contentsOf: directory.appendingPathComponent("message-\(number).eml"), encoding: .utf8)
    }

    /// One entry per AUTH command the client sent, e.g. `PLAIN tls=True`.
    func authAttempts() -> [String] {
        let log = (try? String(contentsOf: directory.appendingPathComponent("auth.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").map(String.init)
    }
}

/// A self-signed certificate for `localhost` only (no IP address in it), made with openssl.
struct TestCertificate {
    let certificate: URL
    let key: URL

    static func make() throws -> TestCertificate {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-cert-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let result = TestCertificate(
            certificate: directory.appendingPathComponent("cert.pem"), key: directory.appendingPathComponent("key.pem"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", result.key.path, "-out", result.certificate.path, "-days", "2", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SMTPPeer.StartFailure(
                description: "openssl could not make a test certificate (status \(process.terminationStatus));"
                    + " the SMTP tests need it: apt-get install openssl")
        }
        return result
    }

    func remove() {
        try? FileManager.default.removeItem(at: certificate.deletingLastPathComponent())
    }
}
