import Testing

@testable import MutualWeb

@Suite("Where sign-in may send you next")
struct SafeNextTests {
    @Test(
        "Paths on this site are kept",
        arguments: ["/", "/dashboard", "/programmes/123?tab=runs", "/people?q=ana%20silva", "/a/b//c"])
    func kept(next: String) {
        #expect(SessionPages.safeNext(next) == next)
    }

    @Test(
        "Anything a browser could read as another site, or a scheme, is dropped",
        arguments: [
            "//evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "/\n/evil.example", "/\r/evil.example",
            "/\u{0}/evil.example", "/x\t", "%2F%2Fevil.example", "https://evil.example", "http:evil.example", "javascript:alert(1)",
            "evil.example", "", "/sign-in", "/sign-out",
        ])
    func dropped(next: String) {
        #expect(SessionPages.safeNext(next) == nil)
    }

    @Test("No next at all stays none")
    func none() {
        #expect(SessionPages.safeNext(nil) == nil)
    }
}
