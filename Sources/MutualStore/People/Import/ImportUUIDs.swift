import Foundation

/// Ids for the rows one import creates: time-ordered UUIDs (the version 7 layout) that ascend
/// in the order they are made.
///
/// Two reasons. `UUID()` on Linux opens `/dev/urandom` for every id (about 600,000 `openat`
/// calls in a 100,000-person import). And random ids land on random pages of every index
/// keyed by them (the primary keys, person_skills by person), so a large import touched the
/// whole of each index; ascending ids append at the right-hand edge instead.
///
/// Layout: 48 bits of Unix time in milliseconds when the generator was made, the version
/// nibble 7, 12 random bits, the variant, 30 random bits, then a 32-bit counter. The 42 random
/// bits keep two generators made in the same millisecond apart.
struct ImportUUIDs {
    private let high: UInt64
    private let lowBase: UInt64
    private var counter: UInt32 = 0

    init(now: Date = Date()) {
        var system = SystemRandomNumberGenerator()
        let milliseconds = UInt64(max(0, now.timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        high = (milliseconds << 16) | 0x7000 | (system.next() & 0x0FFF)
        lowBase = 0x8000_0000_0000_0000 | ((system.next() & 0x3FFF_FFFF) << 32)
    }

    mutating func next() -> UUID {
        let low = lowBase | UInt64(counter)
        counter &+= 1
        return UUID(uuid: (
            UInt8(truncatingIfNeeded: high >> 56), UInt8(truncatingIfNeeded: high >> 48), UInt8(truncatingIfNeeded: high >> 40),
            UInt8(truncatingIfNeeded: high >> 32), UInt8(truncatingIfNeeded: high >> 24), UInt8(truncatingIfNeeded: high >> 16),
            UInt8(truncatingIfNeeded: high >> 8), UInt8(truncatingIfNeeded: high), UInt8(truncatingIfNeeded: low >> 56),
            UInt8(truncatingIfNeeded: low >> 48), UInt8(truncatingIfNeeded: low >> 40), UInt8(truncatingIfNeeded: low >> 32),
            UInt8(truncatingIfNeeded: low >> 24), UInt8(truncatingIfNeeded: low >> 16), UInt8(truncatingIfNeeded: low >> 8),
            UInt8(truncatingIfNeeded: low)))
    }
}
