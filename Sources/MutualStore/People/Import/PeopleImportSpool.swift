import Foundation
import MutualMatching

/// A temporary file holding the rows that passed the per-row checks, in the CSV contract.
///
/// Whether a row may be written is only known at the end of the file (its manager may come
/// later; a loop closes on the last row), yet the import must not hold the file in memory. So
/// the checked rows wait here, and the writing phase streams them back in batches.
final class PeopleImportSpool {
    private let url: URL
    private let handle: FileHandle
    private var pending: [MutualMatching.Person] = []
    private var wroteHeader = false

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-import-\(UUID().uuidString).csv")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw StoreError.invalidConfiguration("Could not create a temporary file in \(url.deletingLastPathComponent().path) for the import. Check that the temporary folder is writable (TMPDIR).")
        }
        handle = try FileHandle(forWritingTo: url)
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(at: url)
    }

    func append(_ person: MutualMatching.Person) throws {
        pending.append(person)
        if pending.count >= 1_000 { try flush() }
    }

    private func flush() throws {
        guard !pending.isEmpty || !wroteHeader else { return }
        var text = PeopleCSVWriter.write(pending)
        if wroteHeader, let newline = text.firstIndex(of: "\n") {
            text = String(text[text.index(after: newline)...])
        }
        wroteHeader = true
        pending.removeAll(keepingCapacity: true)
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// Reads the spooled people back in batches of `batchSize`, in file order.
    func forEachBatch(of batchSize: Int, _ body: ([MutualMatching.Person]) async throws -> Void) async throws {
        try flush()
        try handle.synchronize()
        let reader = try FileHandle(forReadingFrom: url)
        defer { try? reader.close() }
        var parser = PeopleCSVReader(timeZones: SystemTimeZones.standardOffsetMinutes)
        var batch: [MutualMatching.Person] = []
        func collect(_ row: PeopleCSVRow) {
            // Spooled rows were checked once already, so they read back as people.
            if case .person(let person, _) = row { batch.append(person) }
        }
        while let chunk = try reader.read(upToCount: 1 << 16), !chunk.isEmpty {
            try parser.feed(chunk, onRow: collect)
            while batch.count >= batchSize {
                let next = Array(batch.prefix(batchSize))
                batch.removeFirst(batchSize)
                try await body(next)
            }
        }
        _ = try parser.finish(onRow: collect)
        while !batch.isEmpty {
            let next = Array(batch.prefix(batchSize))
            batch.removeFirst(min(batchSize, batch.count))
            try await body(next)
        }
    }
}
