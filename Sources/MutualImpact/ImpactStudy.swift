/// The people of an organisation, grouped once into matching strata, ready to compare
/// participants with matched non-participants on any number of outcomes.
///
/// Matching is coarsened exact matching (CEM): a participant is compared only with
/// non-participants of the same department and company, and the same level and time zone
/// after ``Coarsening``. See docs/architecture.md, "Impact", for why this rather than a
/// propensity score.
public struct ImpactStudy: Sendable {
    /// The people, in input order.
    public let subjects: [ImpactSubject]
    /// How level and time zone were coarsened.
    public let coarsening: Coarsening
    /// Each subject's stratum, an index into the strata seen.
    let stratumOfSubject: [Int]
    let stratumCount: Int

    /// Matches with a given coarsening.
    public init(subjects: [ImpactSubject], coarsening: Coarsening) {
        self.subjects = subjects
        self.coarsening = coarsening
        (stratumOfSubject, stratumCount) = Self.strata(of: subjects, coarsening: coarsening)
    }

    /// Matches with the finest step of ``Coarsening/ladder`` under which at least
    /// `minimumMatchedShare` of the participants have a non-participant in their stratum (the
    /// coarsest step when none reaches it). The choice looks only at who took part, never at
    /// an outcome, so it cannot be tuned towards a wanted effect.
    public init(subjects: [ImpactSubject], minimumMatchedShare: Double = 0.8) {
        let participants = subjects.filter(\.group.isParticipant).count
        var chosen = Coarsening.ladder[Coarsening.ladder.count - 1]
        for step in Coarsening.ladder {
            let (strata, count) = Self.strata(of: subjects, coarsening: step)
            var hasControl = [Bool](repeating: false, count: count)
            for (index, subject) in subjects.enumerated() where subject.group == .control { hasControl[strata[index]] = true }
            var matched = 0
            for (index, subject) in subjects.enumerated() where subject.group.isParticipant && hasControl[strata[index]] { matched += 1 }
            if participants == 0 || Double(matched) >= minimumMatchedShare * Double(participants) {
                chosen = step
                break
            }
        }
        self.init(subjects: subjects, coarsening: chosen)
    }

    static func strata(of subjects: [ImpactSubject], coarsening: Coarsening) -> ([Int], Int) {
        var strata: [StratumKey: Int] = [:]
        var assigned: [Int] = []
        assigned.reserveCapacity(subjects.count)
        for subject in subjects {
            let key = StratumKey(subject, coarsening: coarsening)
            if let known = strata[key] {
                assigned.append(known)
            } else {
                strata[key] = strata.count
                assigned.append(strata.count - 1)
            }
        }
        return (assigned, strata.count)
    }

    /// Aligns outcome values given by external id with the subjects; ids not among the
    /// people are ignored (they are counted by the caller that reads the file).
    public func values(byID: [String: Double]) -> [Double?] {
        subjects.map { byID[$0.id] }
    }

    /// The whole report for one outcome: intention-to-treat (every participant) and, when
    /// completion is known for anyone, completers, each against the same never-participants.
    public func report(outcome: String, values: [Double?], options: ImpactOptions = ImpactOptions()) -> OutcomeReport {
        var generator = SeededGenerator(seed: options.seed)
        return report(outcome: outcome, values: values, options: options, using: &generator)
    }

    /// As ``report(outcome:values:options:)`` with an injected generator for the bootstrap.
    public func report(
        outcome: String, values: [Double?], options: ImpactOptions, using generator: inout some RandomNumberGenerator
    ) -> OutcomeReport {
        let itt = estimate(values: values, treated: \.isParticipant, options: options, using: &generator)
        let completionKnown = subjects.contains { subject in
            if case .participant(.some) = subject.group { return true }
            return false
        }
        let completers = completionKnown
            ? estimate(values: values, treated: \.isCompleter, options: options, using: &generator) : nil
        let kind = OutcomeKind(values: values)
        return OutcomeReport(
            outcome: outcome, kind: kind, intentionToTreat: itt, completers: completers,
            summary: ImpactSummary.text(outcome: outcome, kind: kind, itt: itt, completers: completers, coarsening: coarsening),
            caveats: ImpactSummary.caveats(itt: itt, completers: completers))
    }

    /// Compares the subjects whose group satisfies `treated` with the controls (people who
    /// never took part); participants outside `treated` (non-completers, for completers) are
    /// in neither group.
    public func estimate(
        values: [Double?], treated: (ImpactSubject.Group) -> Bool, options: ImpactOptions,
        using generator: inout some RandomNumberGenerator
    ) -> OutcomeEstimate {
        precondition(values.count == subjects.count, "one value (or nil) per subject")
        var units: [Unit] = []
        units.reserveCapacity(subjects.count)
        var missing = 0
        var treatedPerStratum = [Int](repeating: 0, count: stratumCount)
        var controlsPerStratum = [Int](repeating: 0, count: stratumCount)
        for index in subjects.indices {
            let group = subjects[index].group
            let isTreated = treated(group)
            guard isTreated || group == .control else { continue }
            guard let value = values[index], value.isFinite else {
                missing += 1
                continue
            }
            let stratum = stratumOfSubject[index]
            units.append(Unit(subject: index, stratum: stratum, treated: isTreated, value: value))
            if isTreated { treatedPerStratum[stratum] += 1 } else { controlsPerStratum[stratum] += 1 }
        }
        var result = OutcomeEstimate(missingOutcome: missing)
        var treatedSum = 0.0, controlSum = 0.0
        for unit in units {
            if unit.treated {
                result.participants += 1
                treatedSum += unit.value
            } else {
                result.controls += 1
                controlSum += unit.value
            }
        }
        if result.participants > 0 { result.participantMean = treatedSum / Double(result.participants) }
        if result.controls > 0 { result.controlMean = controlSum / Double(result.controls) }
        if let participantMean = result.participantMean, let controlMean = result.controlMean {
            result.rawDifference = participantMean - controlMean
        }
        for stratum in 0..<stratumCount where treatedPerStratum[stratum] > 0 {
            if controlsPerStratum[stratum] > 0 {
                result.matchedParticipants += treatedPerStratum[stratum]
                result.matchedControls += controlsPerStratum[stratum]
            } else {
                result.droppedParticipants += treatedPerStratum[stratum]
            }
        }
        let matched = MatchedStrata(units: units, treatedPerStratum: treatedPerStratum, controlsPerStratum: controlsPerStratum)
        if result.matchedParticipants > 0 {
            result.effect = matched.effect()
            if options.bootstrapReplicates > 0 {
                let interval = matched.bootstrapInterval(replicates: options.bootstrapReplicates, using: &generator)
                result.ciLow = interval.low
                result.ciHigh = interval.high
            }
        }
        if result.participants > 0 && result.controls > 0 {
            result.balance = balance(
                units: units, treatedPerStratum: treatedPerStratum, controlsPerStratum: controlsPerStratum,
                threshold: options.imbalanceThreshold)
        }
        return result
    }

    /// One person in one comparison.
    struct Unit {
        var subject: Int
        var stratum: Int
        var treated: Bool
        var value: Double
    }
}

/// The cell a person is matched in: the covariates after coarsening.
struct StratumKey: Hashable {
    var department: String
    var company: String
    var levelBand: Int?
    var timeZoneBand: Int?

    init(_ subject: ImpactSubject, coarsening: Coarsening) {
        department = subject.department
        company = subject.company
        levelBand = coarsening.levelBand(of: subject.level)
        timeZoneBand = coarsening.timeZoneBand(of: subject.utcOffsetMinutes)
    }
}
