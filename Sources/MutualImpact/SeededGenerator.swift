/// A small, fast, seedable generator (SplitMix64) so that the bootstrap gives the same
/// interval for the same seed on every platform; `SystemRandomNumberGenerator` cannot be seeded.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension RandomNumberGenerator {
    /// A uniform index in `0..<count` by multiply-shift (Lemire); the bias is below 2⁻³²
    /// for any stratum size we meet, and it is several times faster than `Int.random(in:)`
    /// in the bootstrap's inner loop.
    @inline(__always)
    mutating func index(below count: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(count)).high)
    }
}
