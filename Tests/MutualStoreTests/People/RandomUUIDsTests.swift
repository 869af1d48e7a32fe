import Foundation
import Testing

@testable import MutualStore

@Suite("Import row ids")
struct RandomUUIDsTests {
    @Test("Ids are version-4 UUIDs, all different, and two generators do not repeat each other")
    func uniqueVersion4() {
        var first = RandomUUIDs(), second = RandomUUIDs()
        var seen = Set<UUID>()
        for _ in 0..<50_000 {
            for id in [first.next(), second.next()] {
                #expect(seen.insert(id).inserted)
                let text = id.uuidString
                #expect(Array(text)[14] == "4", "version nibble of \(text)")
                #expect("89AB".contains(Array(text)[19]), "variant of \(text)")
            }
        }
        #expect(seen.count == 100_000)
    }
}
