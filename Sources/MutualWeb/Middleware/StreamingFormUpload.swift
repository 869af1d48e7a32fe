import Hummingbird

/// A file-upload form read while it arrives: the text fields that come before the file (a
/// browser sends parts in the form's order, so the CSRF token, options and then the file),
/// then the file's bytes as an async sequence, so a 100,000-row CSV goes straight to the
/// importer instead of into memory.
///
/// The CSRF middleware leaves such routes' bodies alone; ``open(_:context:fileField:limit:)``
/// checks the token before the first byte of the file is handed on.
final class StreamingFormUpload {
    /// The upload is larger than the route accepts.
    struct TooLarge: Error { let limit: Int }

    /// A text field larger than this is not one of our forms' fields.
    static let maxFieldBytes = 64 * 1024

    private var body: RequestBody.AsyncIterator
    private var parser: MultipartStreamParser
    private let fileField: String
    private let limit: Int
    private var received = 0
    private var bodyEnded = false
    private var current: MultipartStreamParser.PartHeader?
    private var text: [UInt8] = []
    private var fileChunks: [[UInt8]] = []
    private var fileState = FileState.notYet
    private var values: [String: [String]] = [:]

    private enum FileState { case notYet, reading, ended }

    /// The text fields read so far.
    var fields: FormFields { FormFields(values: values) }

    private init(request: Request, boundary: String, fileField: String, limit: Int) {
        body = request.body.makeAsyncIterator()
        parser = MultipartStreamParser(boundary: boundary)
        self.fileField = fileField
        self.limit = limit
    }

    /// Reads the form up to the start of the file part named `fileField` (or to its end when
    /// there is none) and checks the CSRF token among the fields read. Nil when the request is
    /// not a multipart form.
    static func open(_ request: Request, context: SignedInContext, fileField: String, limit: Int) async throws -> StreamingFormUpload? {
        guard let boundary = MultipartStreamParser.boundary(fromContentType: request.headers[.contentType] ?? "") else { return nil }
        let upload = StreamingFormUpload(request: request, boundary: boundary, fileField: fileField, limit: limit)
        while upload.fileState == .notYet, !upload.bodyEnded { try await upload.pull() }
        guard let sent = upload.fields[CSRFMiddleware.fieldName], CSRFMiddleware.constantTimeEquals(sent, context.csrfToken) else {
            throw CSRFRejected()
        }
        return upload
    }

    /// Whether the form has the file part and it holds at least one byte (a browser sends an
    /// empty part with an empty filename when no file was chosen). Reads its first bytes.
    func hasFile() async throws -> Bool {
        guard fileState != .notYet else { return false }
        while fileChunks.isEmpty, fileState == .reading, !bodyEnded { try await pull() }
        return !fileChunks.isEmpty
    }

    /// The file's bytes, in the pieces they arrive in.
    var file: FileBytes { FileBytes(upload: self) }

    /// Reads (and ignores) the rest of the body, so the connection can serve the next request.
    func drain() async throws {
        while !bodyEnded { try await pull() }
    }

    struct FileBytes: AsyncSequence {
        typealias Element = [UInt8]
        let upload: StreamingFormUpload

        struct AsyncIterator: AsyncIteratorProtocol {
            let upload: StreamingFormUpload
            mutating func next() async throws -> [UInt8]? { try await upload.nextFileChunk() }
        }

        func makeAsyncIterator() -> AsyncIterator { AsyncIterator(upload: upload) }
    }

    private func nextFileChunk() async throws -> [UInt8]? {
        while fileChunks.isEmpty, fileState == .reading, !bodyEnded { try await pull() }
        return fileChunks.isEmpty ? nil : fileChunks.removeFirst()
    }

    private func pull() async throws {
        guard let buffer = try await body.next() else {
            bodyEnded = true
            try parser.finish()
            return
        }
        received += buffer.readableBytes
        if received > limit { throw TooLarge(limit: limit) }
        try parser.feed(buffer.readableBytesView) { try handle($0) }
    }

    private func handle(_ event: MultipartStreamParser.Event) throws {
        switch event {
        case .partStart(let header):
            current = header
            text = []
            if header.filename != nil, header.name == fileField, fileState == .notYet { fileState = .reading }
        case .data(let bytes):
            guard let header = current else { return }
            if header.filename == nil {
                text += bytes
                if text.count > Self.maxFieldBytes { throw MultipartStreamParser.Malformed(description: "the field \(header.name) is too long") }
            } else if header.name == fileField, fileState == .reading {
                fileChunks.append(bytes)
            }
        case .partEnd:
            if let header = current {
                if header.filename == nil {
                    values[header.name, default: []].append(String(decoding: text, as: UTF8.self))
                } else if header.name == fileField, fileState == .reading {
                    fileState = .ended
                }
            }
            current = nil
        }
    }
}
