import Foundation
import Testing

@testable import MutualStore

@Suite("Import row ids")
struct ImportUUIDsTests {
    /// The id's 16 bytes, for comparing in the order databases sort them.
    static func bytes(_ id: UUID) -> [UInt8] { withUnsafeBytes(of: id.uuid) { Array($0) } }

    @Test("Ids are version-7 UUIDs that ascend, and two generators made at once never collide")
    func ascendingAndUnique() {
        let now = Date(timeIntervalSince1970: 1_764_000_000)
        var first = ImportUUIDs(now: now), second = ImportUUIDs(now: now)
        var seen = Set<UUID>()
        var previous: [UInt8] = []
        for _ in 0..<20_000 {
            let id = first.next()
            #expect(seen.insert(id).inserted)
            #expect(seen.insert(second.next()).inserted)
            let text = Array(id.uuidString)
            #expect(text[14] == "7" && "89AB".contains(text[19]), "\(id)")
            #expect(previous.lexicographicallyPrecedes(Self.bytes(id)))
            previous = Self.bytes(id)
        }
        #expect(seen.count == 40_000)
        // The first 48 bits are the creation time in milliseconds.
        let time = Self.bytes(first.next()).prefix(6).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(time == 1_764_000_000_000)
    }
}
