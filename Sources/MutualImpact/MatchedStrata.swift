/// The outcome values of the strata that hold both participants and controls, laid out
/// contiguously so that the bootstrap's inner loop reads memory in order.
struct MatchedStrata {
    /// Participants' values, stratum after stratum.
    private var treatedValues: [Double] = []
    /// Controls' values, stratum after stratum.
    private var controlValues: [Double] = []
    /// Per matched stratum: where its participants and controls start, and how many there are.
    private var strata: [(treatedStart: Int, treatedCount: Int, controlStart: Int, controlCount: Int)] = []
    private var matchedParticipants = 0

    init(units: [ImpactStudy.Unit], treatedPerStratum: [Int], controlsPerStratum: [Int]) {
        var slot = [Int](repeating: -1, count: treatedPerStratum.count)
        var treatedStart = 0, controlStart = 0
        for stratum in treatedPerStratum.indices where treatedPerStratum[stratum] > 0 && controlsPerStratum[stratum] > 0 {
            slot[stratum] = strata.count
            strata.append((treatedStart, treatedPerStratum[stratum], controlStart, controlsPerStratum[stratum]))
            treatedStart += treatedPerStratum[stratum]
            controlStart += controlsPerStratum[stratum]
        }
        matchedParticipants = treatedStart
        treatedValues = [Double](repeating: 0, count: treatedStart)
        controlValues = [Double](repeating: 0, count: controlStart)
        var treatedFill = strata.map(\.treatedStart)
        var controlFill = strata.map(\.controlStart)
        for unit in units where slot[unit.stratum] >= 0 {
            let index = slot[unit.stratum]
            if unit.treated {
                treatedValues[treatedFill[index]] = unit.value
                treatedFill[index] += 1
            } else {
                controlValues[controlFill[index]] = unit.value
                controlFill[index] += 1
            }
        }
    }

    /// The ATT: Σ over strata of n_treated × (participants' mean − controls' mean), over all
    /// matched participants — each participant compared with the controls of their stratum.
    func effect() -> Double {
        var total = 0.0
        for stratum in strata {
            var treatedSum = 0.0, controlSum = 0.0
            for index in stratum.treatedStart..<(stratum.treatedStart + stratum.treatedCount) { treatedSum += treatedValues[index] }
            for index in stratum.controlStart..<(stratum.controlStart + stratum.controlCount) { controlSum += controlValues[index] }
            total += treatedSum - Double(stratum.treatedCount) * controlSum / Double(stratum.controlCount)
        }
        return total / Double(matchedParticipants)
    }

    /// A 95 % percentile interval from a stratified bootstrap: each replicate redraws, with
    /// replacement, the participants and the controls of every matched stratum separately, so
    /// every replicate keeps the matched design (same strata, same sizes) and only the
    /// outcomes' sampling noise varies.
    func bootstrapInterval(replicates: Int, using generator: inout some RandomNumberGenerator) -> (low: Double, high: Double) {
        var estimates = [Double](repeating: 0, count: replicates)
        treatedValues.withUnsafeBufferPointer { treated in
            controlValues.withUnsafeBufferPointer { controls in
                for replicate in 0..<replicates {
                    var total = 0.0
                    for stratum in strata {
                        var treatedSum = 0.0, controlSum = 0.0
                        for _ in 0..<stratum.treatedCount {
                            treatedSum += treated[stratum.treatedStart + generator.index(below: stratum.treatedCount)]
                        }
                        for _ in 0..<stratum.controlCount {
                            controlSum += controls[stratum.controlStart + generator.index(below: stratum.controlCount)]
                        }
                        total += treatedSum - Double(stratum.treatedCount) * controlSum / Double(stratum.controlCount)
                    }
                    estimates[replicate] = total / Double(matchedParticipants)
                }
            }
        }
        estimates.sort()
        return (Self.quantile(estimates, 0.025), Self.quantile(estimates, 0.975))
    }

    /// The q-quantile of sorted values with linear interpolation (R's type 7).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let position = q * Double(sorted.count - 1)
        let lower = Int(position)
        let upper = min(lower + 1, sorted.count - 1)
        let fraction = position - Double(lower)
        return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction
    }
}
