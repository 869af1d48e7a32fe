import Foundation
import MutualMatching
import MutualStore

/// File access for the file-to-file commands, with errors that name the file.
enum TextFiles {
    /// Streams a people CSV through the reader in 64 KiB chunks.
    static func readPeople(at path: String) throws -> PeopleTable {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CommandFailure("cannot open \(path): no such file or no permission to read it")
        }
        defer { try? handle.close() }
        var reader = PeopleCSVReader(timeZones: SystemTimeZones.standardOffsetMinutes)
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 65_536)
            } catch {
                throw CommandFailure("cannot read \(path): \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            try reader.feed(chunk)
        }
        return try reader.finish()
    }

    /// A whole (small) text file, such as rules or history.
    static func readText(at path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("cannot read \(path): no such file or no permission to read it")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandFailure("\(path) is not UTF-8 text")
        }
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure("cannot write \(path): \(error.localizedDescription)")
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// A failure with a message for the user; the command exits non-zero after printing it.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
