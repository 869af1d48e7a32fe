import MutualMatching
import Testing

@Suite("Deterministic JSON")
struct JSONTests {
    @Test("objects are written with sorted keys, whatever their order")
    func sortedKeys() {
        let a = JSONValue.object([("b", .int(1)), ("a", .array([.string("x"), .null]))])
        let b = JSONValue.object([("a", .array([.string("x"), .null])), ("b", .int(1))])
        #expect(JSONWriter.write(a) == JSONWriter.write(b))
        #expect(JSONWriter.write(a) == "{\n  \"a\": [\"x\", null],\n  \"b\": 1\n}\n")
    }

    @Test("strings are escaped and parse back to the same value")
    func roundTrip() throws {
        let value = JSONValue.object([
            ("text", .string("quote \" backslash \\ newline \n tab \t bell \u{07} é 😀")),
            ("list", .array([.bool(true), .bool(false), .number("-1.5e3"), .object([])])),
        ])
        let parsed = try JSONParser.parse(JSONWriter.write(value))
        #expect(parsed["text"] == value["text"])
        #expect(parsed["list"] == value["list"])
        #expect(JSONWriter.write(parsed) == JSONWriter.write(value))
    }

    @Test("fixed-point numbers never go through floating point")
    func fixed() {
        #expect(JSONValue.fixed(12_345, decimals: 3) == .number("12.345"))
        #expect(JSONValue.fixed(5, decimals: 3) == .number("0.005"))
        #expect(JSONValue.fixed(-70, decimals: 2) == .number("-0.70"))
    }

    @Test("the parser rejects what JSON forbids")
    func strictness() {
        for text in ["{\"a\": 1,}", "[1 2]", "{'a': 1}", "01", "{\"a\": 1, \"a\": 2}", "\"raw\nnewline\"", "tru", "{} {}"] {
            #expect(throws: JSONParser.SyntaxError.self, "\(text)") { try JSONParser.parse(text) }
        }
    }
}
