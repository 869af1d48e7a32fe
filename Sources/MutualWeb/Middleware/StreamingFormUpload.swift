import Foundation
import Hummingbird
import MutualStore

/// A file-upload form received as it arrives: text fields are kept, the file part is written
/// to a temporary file as its bytes come in, so a 100,000-row CSV never sits in memory.
///
/// The whole body is read before anything acts on it, so the form's fields may come in any
/// order (a browser sends them in the form's order, which may put options after the file), and
/// the CSRF token is checked once they are all known. The CSRF middleware leaves such routes'
/// bodies alone for this reason.
struct StreamingFormUpload {
    /// The upload is larger than the route accepts.
    struct TooLarge: Error { let limit: Int }

    /// A text field larger than this is not one of our forms' fields.
    static let maxFieldBytes = 64 * 1024

    /// The form's text fields.
    let fields: FormFields
    /// The temporary file holding the file part, when the form had a non-empty one.
    let filePath: String?

    /// Reads a multipart form upload, checking its CSRF token; nil when the request is not
    /// multipart. The caller uses ``filePath`` and then calls ``remove()``.
    static func receive(
        _ request: Request, context: SignedInContext, fileField: String, limit: Int
    ) async throws -> StreamingFormUpload? {
        guard let boundary = MultipartStreamParser.boundary(fromContentType: request.headers[.contentType] ?? "") else { return nil }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-upload-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw StoreError.unavailable
        }
        var receiver = Receiver(fileField: fileField, file: handle)
        do {
            defer { try? handle.close() }
            var parser = MultipartStreamParser(boundary: boundary)
            var received = 0
            for try await buffer in request.body {
                received += buffer.readableBytes
                if received > limit { throw TooLarge(limit: limit) }
                try parser.feed(buffer.readableBytesView) { try receiver.handle($0) }
            }
            try parser.finish()
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        let fields = FormFields(values: receiver.values)
        guard let sent = fields[CSRFMiddleware.fieldName], CSRFMiddleware.constantTimeEquals(sent, context.csrfToken) else {
            try? FileManager.default.removeItem(atPath: path)
            throw CSRFRejected()
        }
        do {
            try TextInputGuard.check(fields)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        if receiver.fileBytes == 0 { try? FileManager.default.removeItem(atPath: path) }
        return StreamingFormUpload(fields: fields, filePath: receiver.fileBytes > 0 ? path : nil)
    }

    /// Deletes the temporary file.
    func remove() {
        if let filePath { try? FileManager.default.removeItem(atPath: filePath) }
    }

    /// Sorts the parser's events into fields and the file.
    private struct Receiver {
        let fileField: String
        let file: FileHandle
        var values: [String: [String]] = [:]
        var fileBytes = 0
        private var current: MultipartStreamParser.PartHeader?
        private var text: [UInt8] = []
        private var fileSeen = false
        private var inFile = false

        init(fileField: String, file: FileHandle) {
            self.fileField = fileField
            self.file = file
        }

        mutating func handle(_ event: MultipartStreamParser.Event) throws {
            switch event {
            case .partStart(let header):
                current = header
                text = []
                // Only the first file part of that name is the upload.
                inFile = header.filename != nil && header.name == fileField && !fileSeen
                if inFile { fileSeen = true }
            case .data(let bytes):
                guard let header = current else { return }
                if inFile {
                    try file.write(contentsOf: bytes)
                    fileBytes += bytes.count
                } else if header.filename == nil {
                    text += bytes
                    if text.count > StreamingFormUpload.maxFieldBytes {
                        throw MultipartStreamParser.Malformed(description: "the field \(header.name) is too long")
                    }
                }
            case .partEnd:
                if let header = current, header.filename == nil {
                    values[header.name, default: []].append(String(decoding: text, as: UTF8.self))
                }
                current = nil
                inFile = false
            }
        }
    }
}
