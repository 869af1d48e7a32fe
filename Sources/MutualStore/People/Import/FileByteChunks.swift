import Foundation

/// A file read as 64 KiB chunks, for ``Store/importPeople(into:from:options:progress:)``: the
/// file is never in memory whole.
public struct FileByteChunks: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    public let path: String
    public let chunkSize: Int

    public init(path: String, chunkSize: Int = 1 << 16) {
        self.path = path
        self.chunkSize = Swift.max(1, chunkSize)
    }

    /// The file's size in bytes, for progress bars.
    public var size: Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let path: String
        let chunkSize: Int
        var handle: FileHandle?
        var done = false

        public mutating func next() async throws -> [UInt8]? {
            guard !done else { return nil }
            if handle == nil {
                guard let opened = FileHandle(forReadingAtPath: path) else {
                    throw StoreError.invalid(field: "file", message: "Could not open \(path). Check the path and that the file is readable.")
                }
                handle = opened
            }
            guard let data = try handle?.read(upToCount: chunkSize), !data.isEmpty else {
                try? handle?.close()
                done = true
                return nil
            }
            return [UInt8](data)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(path: path, chunkSize: chunkSize) }
}
