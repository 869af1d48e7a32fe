import Foundation

/// The 95 % Wilson score interval of a proportion: unlike the textbook ± 1.96 √(p(1−p)/n) it
/// stays inside 0…1 and is honest for small groups and for shares near 0 % or 100 %, which is
/// what a programme of twelve pairs has.
public struct WilsonInterval: Sendable, Equatable, Codable {
    /// Bounds as proportions (0…1).
    public let low: Double
    public let high: Double

    /// The interval of `successes` out of `trials`; nil when there are no trials.
    public init?(successes: Int, trials: Int, z: Double = 1.959_963_984_540_054) {
        guard trials > 0, successes >= 0, successes <= trials else { return nil }
        let n = Double(trials)
        let p = Double(successes) / n
        let z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = (z / (1 + z2 / n)) * ((p * (1 - p) / n + z2 / (4 * n * n)).squareRoot())
        low = max(0, centre - half)
        high = min(1, centre + half)
    }
}
