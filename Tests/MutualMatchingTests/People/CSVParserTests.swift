import MutualMatching
import Testing

@Suite("RFC 4180 CSV parser")
struct CSVParserTests {
    @Test("quoted fields keep embedded commas, doubled quotes and newlines")
    func quotedFields() throws {
        let records = try CSVParser.parse("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n")
        #expect(records.count == 2)
        #expect(records[1].fields == ["x, y", "say \"hi\"", "two\nlines"])
        #expect(records[1].line == 2)
    }

    @Test("a UTF-8 byte-order mark and CRLF line ends are handled")
    func bomAndCRLF() throws {
        let records = try CSVParser.parse("\u{FEFF}id,name\r\n1,Ana\r\n2,Ben\r\n")
        #expect(records.map(\.fields) == [["id", "name"], ["1", "Ana"], ["2", "Ben"]])
        #expect(records.map(\.line) == [1, 2, 3])
    }

    @Test("non-ASCII text survives, and a last line without a line end is a record")
    func nonASCII() throws {
        let records = try CSVParser.parse("name\nChloé Müller\n李小龙")
        #expect(records.map(\.fields) == [["name"], ["Chloé Müller"], ["李小龙"]])
    }

    @Test("empty fields and trailing commas are empty strings")
    func emptyFields() throws {
        let records = try CSVParser.parse("a,b,c\n,,\n1,,\n")
        #expect(records[1].fields == ["", "", ""])
        #expect(records[2].fields == ["1", "", ""])
    }

    @Test("records after a quoted newline report the right line")
    func linesAfterQuotedNewline() throws {
        let records = try CSVParser.parse("a\n\"x\r\ny\"\nz\n")
        #expect(records.map(\.line) == [1, 2, 4])
    }

    @Test("an unterminated quote is an error at the line where the field starts")
    func unterminatedQuote() {
        #expect(throws: CSVError.self) { try CSVParser.parse("a,b\n1,\"open\n2,3\n") }
        do {
            _ = try CSVParser.parse("a,b\n1,\"open\n2,3\n")
        } catch {
            #expect(error.line == 2)
            #expect(error.field == 2)
        }
    }

    @Test("a stray quote inside an unquoted field is an error naming line and field")
    func strayQuote() {
        do {
            _ = try CSVParser.parse("a,b\n1,2\n3,x\"y\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.field == 2)
            #expect(error.reason.contains("quote"))
        }
    }

    @Test("text after a closing quote is an error")
    func textAfterClosingQuote() {
        #expect(throws: CSVError.self) { try CSVParser.parse("a\n\"x\"y\n") }
    }

    @Test("invalid UTF-8 is an error")
    func invalidUTF8() {
        var parser = CSVParser()
        #expect(throws: CSVError.self) {
            try parser.feed([0x61, 0xFF, 0x0A]) { _ in }
        }
    }

    @Test("feeding the bytes in chunks of any size gives the same records")
    func chunking() throws {
        let text = "\u{FEFF}id,\"na,me\"\r\n1,\"multi\r\nline \"\"q\"\"\"\r\n2,Zoë\r\n"
        let whole = try CSVParser.parse(text)
        let bytes = Array(text.utf8)
        for size in 1...7 {
            var parser = CSVParser()
            var records: [CSVRecord] = []
            var start = 0
            while start < bytes.count {
                try parser.feed(bytes[start..<min(bytes.count, start + size)]) { records.append($0) }
                start += size
            }
            try parser.finish { records.append($0) }
            #expect(records == whole, "chunk size \(size)")
        }
    }
}
