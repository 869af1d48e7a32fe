import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Imports people in the CSV contract into the signed-in admin's organisation. See
    /// ``importPeople(into:from:options:progress:)``.
    public func importPeople(
        from chunks: some AsyncSequence<[UInt8], any Error>, options: PeopleImportOptions, by identity: Identity,
        progress: (@Sendable (PeopleImportProgress) -> Void)? = nil
    ) async throws -> PeopleImportReport {
        guard identity.role >= .admin else {
            throw StoreError.forbidden(message: "Only admins can import people. Ask an admin to run the import.")
        }
        return try await importPeople(into: identity.organisationID, from: chunks, options: options, actor: identity.personID, progress: progress)
    }

    /// Imports people in the CSV contract (`id,name,email,department,company,level,manager_id,
    /// timezone,languages,strengths,wants,interests,exclude`) into an organisation, reading the
    /// file as a stream of byte chunks.
    ///
    /// People are upserted by `id`. Every rejected row is reported with its line, column and
    /// reason; `options.mode` says whether one rejected row stops the whole import or only
    /// itself, and a dry run writes nothing. Memory stays bounded by the number of rows (a small
    /// index per row), never the file: rows wait in a temporary file until the end of the input
    /// settles which are valid, then go to the database in multi-row batches.
    public func importPeople(
        into organisationID: UUID, from chunks: some AsyncSequence<[UInt8], any Error>, options: PeopleImportOptions, actor: UUID? = nil,
        progress: (@Sendable (PeopleImportProgress) -> Void)? = nil
    ) async throws -> PeopleImportReport {
        let database = try db()
        let resolver = try await skillResolver(for: organisationID, on: database)
        let importer = try PeopleImporter(
            organisationID: organisationID, options: options, resolver: resolver, now: clock.now, progress: progress)
        for try await chunk in chunks {
            try importer.read(chunk)
        }
        try importer.finishReading()
        if importer.report.fileProblems.isEmpty == false || options.dryRun {
            if importer.report.fileProblems.isEmpty { try await importer.settle(on: database) }
            return importer.finalReport()
        }
        try await transaction { transaction in
            // SQLite's default 2 MB page cache spills the indexes of a large import to the WAL
            // page by page (hundreds of thousands of writes); give this connection 128 MB, then
            // hand it back to the pool as it was. Multi-row upserts keep a statement journal;
            // in memory it costs no file writes.
            let sqlite = (transaction as? any SQLDatabase).flatMap { $0.dialect.name == "sqlite" ? $0 : nil }
            if let sqlite {
                try await sqlite.raw("PRAGMA cache_size = -131072").run()
                try await sqlite.raw("PRAGMA temp_store = MEMORY").run()
            }
            do {
                try await importer.settle(on: transaction)
            } catch {
                if let sqlite {
                    try? await sqlite.raw("PRAGMA cache_size = -2000").run()
                    try? await sqlite.raw("PRAGMA temp_store = DEFAULT").run()
                }
                throw error
            }
            if let sqlite {
                try await sqlite.raw("PRAGMA cache_size = -2000").run()
                try await sqlite.raw("PRAGMA temp_store = DEFAULT").run()
            }
            let report = importer.finalReport()
            if report.created + report.changed > 0 {
                try await self.record(
                    NewEvent(
                        .peopleImported, organisationID: organisationID, actor: actor, subject: UUID(),
                        payload: [
                            "created": .int(report.created), "updated": .int(report.changed), "rejected": .int(report.rejectedCount),
                            "mode": .string(options.mode.rawValue),
                        ]),
                    on: transaction)
            }
        }
        directoryFacetCache.forget(organisationID)
        return importer.finalReport()
    }

    /// Imports a whole text; convenient for tests and small files.
    public func importPeople(
        into organisationID: UUID, csv text: String, options: PeopleImportOptions
    ) async throws -> PeopleImportReport {
        try await importPeople(into: organisationID, from: ByteChunks(bytes: Array(text.utf8)), options: options)
    }
}

/// A byte array served as 64 KiB chunks, the way a file or request body arrives.
public struct ByteChunks: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let bytes: [UInt8]
    let chunkSize: Int

    public init(bytes: [UInt8], chunkSize: Int = 1 << 16) {
        self.bytes = bytes
        self.chunkSize = Swift.max(1, chunkSize)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let bytes: [UInt8]
        let chunkSize: Int
        var offset = 0

        public mutating func next() async throws -> [UInt8]? {
            guard offset < bytes.count else { return nil }
            let end = Swift.min(bytes.count, offset + chunkSize)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(bytes: bytes, chunkSize: chunkSize) }
}
