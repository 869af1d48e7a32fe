import Foundation

/// Whether an outcome is a 0/1 indicator (its differences are proportions, shown as
/// percentage points) or a quantity in its own units.
public enum OutcomeKind: String, Sendable, Hashable, Codable, CaseIterable {
    case proportion
    case value

    /// An outcome whose every known value is 0 or 1 is a proportion.
    public init(values: [Double?]) {
        let known = values.compactMap { $0 }
        self = !known.isEmpty && known.allSatisfy { $0 == 0 || $0 == 1 } ? .proportion : .value
    }

    /// A difference in words: "+6.2 percentage points" or "+0.31".
    public func describe(difference: Double) -> String {
        switch self {
        case .proportion: "\(Self.signed(difference * 100, digits: 1)) percentage points"
        case .value: Self.signed(difference, digits: 2)
        }
    }

    /// A level (not a difference): "42.0 %" or "3.10".
    public func describe(level: Double) -> String {
        switch self {
        case .proportion: "\(Self.fixed(level * 100, digits: 1)) %"
        case .value: Self.fixed(level, digits: 2)
        }
    }

    static func signed(_ value: Double, digits: Int) -> String {
        (value >= 0 ? "+" : "−") + fixed(abs(value), digits: digits)
    }

    /// Fixed-point text without Foundation's locale-dependent formatters.
    static func fixed(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()
        let whole = Int(rounded / scale)
        let fraction = Int(rounded) - whole * Int(scale)
        var text = (value < 0 && rounded > 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let digitsText = String(fraction)
            text += "." + String(repeating: "0", count: digits - digitsText.count) + digitsText
        }
        return text
    }
}
