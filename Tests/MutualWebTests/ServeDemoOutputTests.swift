import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `mutual serve --demo` run as a process, its output going to a pipe (as under systemd, in a
/// container or with `> log`): the sign-in details must arrive while the server runs.
@Suite("mutual serve --demo output")
struct ServeDemoOutputTests {
    @Test("The demo accounts reach a pipe while the server is running, not only when it stops")
    func demoAccountsArriveWhileRunning() async throws {
        let executable = try #require(
            Self.mutualExecutable(), "The mutual executable is not next to the test bundle; `swift build --build-tests` builds it.")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let process = Process()
        process.executableURL = executable
        // A free port: were it taken, the server would stop at once and its output would be
        // flushed on exit, hiding the bug.
        process.arguments = ["serve", "--demo", "--host", "127.0.0.1", "--port", String(try Self.freePort())]
        var environment = ProcessInfo.processInfo.environment
        environment["MUTUAL_DATABASE"] = directory.appendingPathComponent("demo.sqlite").path
        environment["MUTUAL_PASSWORD_COST"] = "4"
        process.environment = environment
        process.currentDirectoryURL = directory  // no stray .env from the working directory
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let output = OutputBuffer()
        pipe.fileHandleForReading.readabilityHandler = { handle in output.append(handle.availableData) }
        try process.run()
        defer {
            pipe.fileHandleForReading.readabilityHandler = nil
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }

        let deadline = ContinuousClock.now + .seconds(120)
        while !output.text.contains("demo-admin-password"), process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(process.isRunning, "the server stopped: \(output.text)")
        #expect(output.text.contains("admin@demo.mutual.example / demo-admin-password"), "nothing printed yet: \(output.text)")
        #expect(output.text.contains("ana.silva@demo.mutual.example / demo-participant-password"))
    }

    /// What the process wrote so far.
    final class OutputBuffer: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func append(_ more: Data) { lock.withLock { data.append(more) } }
        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }

    /// The `mutual` executable SwiftPM built next to the test bundle.
    static func mutualExecutable() -> URL? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("mutual")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// A TCP port on 127.0.0.1 that nothing listens on now.
    static func freePort() throws -> Int {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw PortError() }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw PortError() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct PortError: Error, CustomStringConvertible {
        var description: String { "Could not find a free TCP port on 127.0.0.1." }
    }
}
