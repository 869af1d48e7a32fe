import Testing

@testable import MutualWeb

@Suite("Streaming multipart parser")
struct MultipartStreamParserTests {
    static let boundary = "----Boundary7MA4YWxkTrZu0gW"

    /// A form as a browser sends it: a token, a field and a file whose bytes contain almost-boundaries.
    static func form(file: [UInt8]) -> [UInt8] {
        var body: [UInt8] = Array("preamble to ignore\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\nabc.def\r\n".utf8)
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nvalid_rows\r\n".utf8)
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
        body += file
        body += Array("\r\n--\(boundary)--\r\nepilogue".utf8)
        return body
    }

    static let file: [UInt8] = Array("id,name\r\nE1,\"Ann\r\n--\(boundary.dropLast())\"\r\nE2,Bo --\(boundary)x\n".utf8)

    /// Parses `body` fed in chunks of `size`, merging consecutive data events.
    static func events(_ body: [UInt8], chunk size: Int) throws -> (events: [MultipartStreamParser.Event], maxBuffered: Int) {
        var parser = MultipartStreamParser(boundary: boundary)
        var events: [MultipartStreamParser.Event] = []
        var maxBuffered = 0
        var start = 0
        while start < body.count {
            let end = min(body.count, start + size)
            try parser.feed(body[start..<end]) { event in
                if case .data(let more) = event, case .data(let earlier)? = events.last {
                    events[events.count - 1] = .data(earlier + more)
                } else {
                    events.append(event)
                }
            }
            maxBuffered = max(maxBuffered, parser.bufferedByteCount)
            start = end
        }
        try parser.finish()
        return (events, maxBuffered)
    }

    @Test("Every way of splitting the body into chunks gives the same parts and bytes")
    func chunkingDoesNotMatter() throws {
        let body = Self.form(file: Self.file)
        let expected: [MultipartStreamParser.Event] = [
            .partStart(.init(name: "csrf_token")), .data(Array("abc.def".utf8)), .partEnd,
            .partStart(.init(name: "mode")), .data(Array("valid_rows".utf8)), .partEnd,
            .partStart(.init(name: "file", filename: "people.csv", contentType: "text/csv")), .data(Self.file), .partEnd,
        ]
        for size in [1, 2, 3, 7, 16, 41, 64, 100, body.count] {
            #expect(try Self.events(body, chunk: size).events == expected, "chunk size \(size)")
        }
    }

    @Test("A large file passes through holding only a boundary's length of bytes")
    func constantMemory() throws {
        let line = Array("E0000001,Somebody,someone@example.org,Engineering\r\n".utf8)
        var file: [UInt8] = []
        for _ in 0..<40_000 { file += line }  // about 2 MB
        let (events, maxBuffered) = try Self.events(Self.form(file: file), chunk: 65_536)
        #expect(events.contains(.data(file)))
        // What a call leaves behind is at most a separator's length, never the file.
        #expect(maxBuffered < 4 + Self.boundary.utf8.count + 2)
    }

    @Test("A body cut off before its closing boundary, or not multipart at all, is refused")
    func malformed() throws {
        let body = Self.form(file: Self.file)
        #expect(throws: MultipartStreamParser.Malformed.self) { try Self.events(Array(body.prefix(body.count - 20)), chunk: 64) }
        #expect(throws: MultipartStreamParser.Malformed.self) { try Self.events(Array("id,name\nE1,Ann\n".utf8), chunk: 64) }
        let broken = Array("--\(Self.boundary)XX".utf8)
        #expect(throws: MultipartStreamParser.Malformed.self) { try Self.events(broken, chunk: 64) }
    }

    @Test("The boundary is read from the content type, quoted or not")
    func boundaryFromContentType() {
        #expect(MultipartStreamParser.boundary(fromContentType: "multipart/form-data; boundary=abc") == "abc")
        #expect(MultipartStreamParser.boundary(fromContentType: "Multipart/Form-Data; charset=utf-8; boundary=\"a b\"") == "a b")
        #expect(MultipartStreamParser.boundary(fromContentType: "text/csv") == nil)
        #expect(MultipartStreamParser.boundary(fromContentType: "multipart/form-data") == nil)
    }
}
