import MutualStore
import Testing

@Suite("Email addresses people enter")
struct EmailAddressRuleTests {
    @Test("An address the form accepts is one the sender accepts: those SMTP cannot take are refused with the reason",
        arguments: ["josé@example.org", "a..b@example.org", "x@exa_mple.org", "x@-bad.org", "x@[1.2.3.4]"])
    func unsendableAddressesAreRefused(address: String) {
        #expect(throws: StoreError.self) { _ = try InputRules.email(address) }
        do {
            _ = try InputRules.email(address)
        } catch let error as StoreError {
            #expect(error.field == "email")
            #expect(error.errorDescription?.contains("could not email it") == true, "\(error.errorDescription ?? "")")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("Ordinary addresses pass, lower-cased and trimmed")
    func ordinaryAddresses() throws {
        #expect(try InputRules.email("  Ana.Silva+mentoring@Example.ORG ") == "ana.silva+mentoring@example.org")
        #expect(try InputRules.email("o'brien@sub.example.co.uk") == "o'brien@sub.example.co.uk")
    }
}
