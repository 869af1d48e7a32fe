/// A pairs rotation round: the pair result in ``MatchResult``'s JSON, plus the round, the
/// repeats and who could not avoid one.
public struct RotationPairsResult: Sendable {
    public var match: MatchResult
    /// The round formed.
    public var round: Int
    /// Pairs who met before.
    public var repeats: Int
    public var zeroRepeatsRequired: Bool
    /// People left without a partner because every partner with learning value met them before.
    public var couldNotAvoidRepeat: [Int]

    /// Repeats per matched pair, in thousandths of a percent.
    public var repeatRatePerHundredThousand: Int64 {
        let pairs = match.pairs.count
        return pairs > 0 ? Int64(repeats) * 100_000 / Int64(pairs) : 0
    }

    public func json(includeTimings: Bool = true) -> JSONValue {
        guard case .object(var members) = match.json(includeTimings: includeTimings) else { return match.json(includeTimings: includeTimings) }
        members.removeAll { $0.0 == "model" }
        members.append(("model", .string("rotation")))
        members.append(("round", .int(round)))
        members.append(("repeats", .int(repeats)))
        members.append(("repeat_rate", .fixed(repeatRatePerHundredThousand, decimals: 3)))
        members.append(("zero_repeats", .bool(zeroRepeatsRequired)))
        members.append(("could_not_avoid_repeat", .array(couldNotAvoidRepeat.map { .string(match.people[$0].id) })))
        return .object(members)
    }

    /// The lines the command prints.
    public func summary() -> String {
        var text = "round \(round): \(match.pairs.count) pairs, \(repeats) repeat\(repeats == 1 ? "" : "s")"
        text += ", \(match.unmatched.count) without a partner"
        if !couldNotAvoidRepeat.isEmpty {
            text += "; \(couldNotAvoidRepeat.count) could not be placed without a repeat: "
                + couldNotAvoidRepeat.prefix(10).map { match.people[$0].id }.joined(separator: ", ")
                + (couldNotAvoidRepeat.count > 10 ? ", …" : "")
        }
        return text + "\n"
    }
}
