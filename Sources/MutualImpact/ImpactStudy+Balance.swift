import Foundation

extension ImpactStudy {
    /// Balance rows for the covariates matching used: level and time zone as numbers, and one
    /// row per department and per company (a category's SMD is that of its 0/1 indicator).
    /// Categories are listed only where the comparison has more than one value.
    func balance(units: [Unit], treatedPerStratum: [Int], controlsPerStratum: [Int], threshold: Double) -> [BalanceRow] {
        // After matching a control stands for n_treated / n_controls of its stratum's participants.
        let weightAfter: [Double] = units.map { unit in
            let treated = treatedPerStratum[unit.stratum], controls = controlsPerStratum[unit.stratum]
            guard treated > 0, controls > 0 else { return 0 }
            return unit.treated ? 1 : Double(treated) / Double(controls)
        }
        var covariates: [(name: String, value: (ImpactSubject) -> Double?)] = [
            ("level", { $0.level.map(Double.init) }),
            ("time zone (UTC offset, hours)", { $0.utcOffsetMinutes.map { Double($0) / 60 } }),
        ]
        for (label, keyPath) in [("department", \ImpactSubject.department), ("company", \ImpactSubject.company)] {
            var seen = Set<String>()
            for unit in units { seen.insert(subjects[unit.subject][keyPath: keyPath]) }
            guard seen.count > 1 else { continue }
            for category in seen.sorted() {
                let name = "\(label): \(category.isEmpty ? "(none)" : category)"
                covariates.append((name, { $0[keyPath: keyPath] == category ? 1 : 0 }))
            }
        }
        var rows: [BalanceRow] = []
        for covariate in covariates {
            var treated = Moments(), treatedAfter = Moments(), controlsBefore = Moments(), controlsAfter = Moments()
            for (position, unit) in units.enumerated() {
                guard let value = covariate.value(subjects[unit.subject]) else { continue }
                if unit.treated {
                    treated.add(value, weight: 1)
                    treatedAfter.add(value, weight: weightAfter[position])
                } else {
                    controlsBefore.add(value, weight: 1)
                    controlsAfter.add(value, weight: weightAfter[position])
                }
            }
            guard treated.weight > 0, controlsBefore.weight > 0 else { continue }
            // One denominator, the pooled SD before matching, for both columns: otherwise an
            // SMD could shrink after matching only because the spread changed.
            let spread = ((treated.variance + controlsBefore.variance) / 2).squareRoot()
            func standardised(_ difference: Double) -> Double {
                spread > 1e-12 ? difference / spread : difference
            }
            // After matching, dropped participants are out of the comparison too.
            let matched = controlsAfter.weight > 0 && treatedAfter.weight > 0
            let after = matched ? controlsAfter.mean : controlsBefore.mean
            let smdAfter = matched ? standardised(treatedAfter.mean - after) : standardised(treated.mean - after)
            rows.append(BalanceRow(
                covariate: covariate.name, participantMean: treated.mean, controlMeanBefore: controlsBefore.mean,
                controlMeanAfter: after, smdBefore: standardised(treated.mean - controlsBefore.mean),
                smdAfter: smdAfter, imbalanced: abs(smdAfter) >= threshold))
        }
        return rows
    }
}

/// Running weighted mean and variance.
struct Moments {
    var weight = 0.0
    var sum = 0.0
    var sumOfSquares = 0.0

    mutating func add(_ value: Double, weight: Double) {
        self.weight += weight
        sum += weight * value
        sumOfSquares += weight * value * value
    }

    var mean: Double { weight > 0 ? sum / weight : 0 }
    var variance: Double { weight > 0 ? max(0, sumOfSquares / weight - mean * mean) : 0 }
}
