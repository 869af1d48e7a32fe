import Foundation
import MutualImpact
import Testing

@Suite("Impact against a matched control: known truth")
struct ImpactKnownTruthTests {
    @Test("on confounded data the interval holds the true effect and the raw difference lies outside it", arguments: [UInt64(11), 23, 47])
    func recoversTrueProportionEffect(seed: UInt64) throws {
        let population = ConfoundedPopulation(people: 20_000, effect: 0.10, seed: seed)
        let study = ImpactStudy(subjects: population.subjects)
        let report = study.report(
            outcome: "retained_12m", values: study.values(byID: population.binary), options: ImpactOptions(seed: seed))
        let itt = report.intentionToTreat
        let effect = try #require(itt.effect), low = try #require(itt.ciLow), high = try #require(itt.ciHigh)
        let raw = try #require(itt.rawDifference)
        #expect(report.kind == .proportion)
        #expect(low <= 0.10 && 0.10 <= high, "interval \(low)…\(high) should hold the true 0.10 (estimate \(effect))")
        #expect(raw > high, "the raw difference \(raw) should be visibly biased upwards, above \(high)")
        #expect(raw - 0.10 > 0.04, "the simulation is meant to be confounded; raw \(raw)")
        #expect(abs(effect - 0.10) < 0.025, "the matched estimate recovers the truth: \(effect)")
        #expect(low <= effect && effect <= high, "the estimate lies inside its own interval")
        #expect(high - low < 0.06, "a 20,000-person interval should be narrow: \(low)…\(high)")
        for row in itt.balance {
            #expect(abs(row.smdAfter) < 0.1, "\(row.covariate) after matching: \(row.smdAfter)")
            #expect(!row.imbalanced)
        }
        let level = try #require(itt.balance.first { $0.covariate == "level" })
        #expect(level.smdBefore >= 0.1, "joining depends on level, so it is imbalanced before matching: \(level.smdBefore)")
        #expect(itt.balance.contains { $0.covariate == "department: Engineering" && $0.smdBefore >= 0.1 })
    }

    @Test("a continuous outcome's effect is recovered in its own units")
    func recoversContinuousEffect() throws {
        let population = ConfoundedPopulation(people: 20_000, effect: 0.10, continuousEffect: 0.25, seed: 5)
        let study = ImpactStudy(subjects: population.subjects)
        let report = study.report(outcome: "salary_grade_change", values: study.values(byID: population.continuous))
        let itt = report.intentionToTreat
        #expect(report.kind == .value)
        let low = try #require(itt.ciLow), high = try #require(itt.ciHigh), raw = try #require(itt.rawDifference)
        #expect(low <= 0.25 && 0.25 <= high, "interval \(low)…\(high)")
        let effect = try #require(itt.effect)
        #expect(abs(effect - 0.25) < 0.06 && low <= effect && effect <= high, "estimate \(effect)")
        #expect(raw > high, "raw \(raw) above the interval")
    }

    @Test("completers are compared with never-participants, not with participants who left")
    func completersRecoverTheirEffect() throws {
        let population = ConfoundedPopulation(people: 20_000, effect: 0.10, seed: 3)
        let study = ImpactStudy(subjects: population.subjects)
        let report = study.report(outcome: "retained_12m", values: study.values(byID: population.binary))
        let completers = try #require(report.completers)
        let completed = population.subjects.filter { $0.group.isCompleter }.count
        #expect(completers.participants == completed)
        #expect(completers.controls == report.intentionToTreat.controls)
        #expect(completers.participants < report.intentionToTreat.participants)
        let low = try #require(completers.ciLow), high = try #require(completers.ciHigh)
        #expect(low <= 0.10 && 0.10 <= high)
        let effect = try #require(completers.effect)
        #expect(abs(effect - 0.10) < 0.03 && low <= effect && effect <= high, "estimate \(effect)")
    }
}

@Suite("Impact against a matched control: arithmetic and edge cases")
struct ImpactEdgeCaseTests {
    /// Stratum A (Sales, 2): participants 1, 0 against 0, 0, 1, 1; stratum B (Sales, 3): 1
    /// against 0; stratum C (Finance, 2): one participant and no control.
    static func smallStudy() -> (ImpactStudy, [Double?]) {
        let rows: [(String, Int, Bool, Double?)] = [
            ("Sales", 2, true, 1), ("Sales", 2, true, 0), ("Sales", 2, false, 0), ("Sales", 2, false, 0),
            ("Sales", 2, false, 1), ("Sales", 2, false, 1), ("Sales", 3, true, 1), ("Sales", 3, false, 0),
            ("Finance", 2, true, 1), ("Finance", 4, false, 0),
        ]
        let subjects = rows.enumerated().map { index, row in
            ImpactSubject(id: "e\(index)", department: row.0, level: row.1, group: row.2 ? .participant(completed: nil) : .control)
        }
        return (ImpactStudy(subjects: subjects, coarsening: .finest), rows.map(\.3))
    }

    @Test("the effect is the participant-weighted mean of within-stratum differences; a stratum without controls is dropped")
    func hand() throws {
        let (study, values) = Self.smallStudy()
        var generator = SeededGenerator(seed: 1)
        let estimate = study.estimate(values: values, treated: \.isParticipant, options: ImpactOptions(), using: &generator)
        #expect(estimate.participants == 4)
        #expect(estimate.controls == 6)
        #expect(estimate.matchedParticipants == 3)
        #expect(estimate.droppedParticipants == 1)
        #expect(estimate.matchedControls == 5)
        // (2 × (0.5 − 0.5) + 1 × (1 − 0)) / 3
        let effect = try #require(estimate.effect)
        #expect(abs(effect - 1.0 / 3) < 1e-12)
        // 3/4 − 2/6
        let raw = try #require(estimate.rawDifference)
        #expect(abs(raw - (0.75 - 2.0 / 6)) < 1e-12)
        let low = try #require(estimate.ciLow), high = try #require(estimate.ciHigh)
        #expect(low <= 1.0 / 3 && 1.0 / 3 <= high)
    }

    @Test("the same seed gives the same interval; an injected generator changes it")
    func seeded() throws {
        let population = ConfoundedPopulation(people: 2_000, effect: 0.1, seed: 9)
        let study = ImpactStudy(subjects: population.subjects)
        let values = study.values(byID: population.binary)
        let first = study.report(outcome: "x", values: values, options: ImpactOptions(seed: 42))
        let second = study.report(outcome: "x", values: values, options: ImpactOptions(seed: 42))
        let other = study.report(outcome: "x", values: values, options: ImpactOptions(seed: 43))
        #expect(first == second)
        #expect(first.intentionToTreat.ciLow != other.intentionToTreat.ciLow)
        #expect(first.intentionToTreat.effect == other.intentionToTreat.effect, "only the interval is random")
        var injected = SeededGenerator(seed: 42)
        let viaInjected = study.report(outcome: "x", values: values, options: ImpactOptions(seed: 0), using: &injected)
        #expect(viaInjected.intentionToTreat.ciLow == first.intentionToTreat.ciLow)
    }

    @Test("when everyone took part there is no control and no effect, and the summary says why")
    func allParticipants() throws {
        let subjects = (0..<5).map { ImpactSubject(id: "a\($0)", department: "Sales", level: 1, group: .participant(completed: true)) }
        let study = ImpactStudy(subjects: subjects)
        let report = study.report(outcome: "promoted_12m", values: [1, 0, 1, 1, 0])
        #expect(report.intentionToTreat.controls == 0)
        #expect(report.intentionToTreat.effect == nil)
        #expect(report.intentionToTreat.ciLow == nil)
        #expect(report.intentionToTreat.rawDifference == nil)
        #expect(report.summary.contains("nobody to compare"))
    }

    @Test("people without a value for the outcome are counted and left out")
    func missingOutcome() throws {
        let (study, values) = Self.smallStudy()
        var partial = values
        partial[0] = nil  // a participant in stratum A
        partial[2] = nil  // a control in stratum A
        partial[9] = .nan  // an unreadable value counts as missing too
        var generator = SeededGenerator(seed: 1)
        let estimate = study.estimate(values: partial, treated: \.isParticipant, options: ImpactOptions(), using: &generator)
        #expect(estimate.missingOutcome == 3)
        #expect(estimate.participants == 3)
        #expect(estimate.controls == 4)
        // Stratum A: 0 − 2/3; stratum B: 1 − 0.
        let expected: Double = (-2.0 / 3 + 1) / 2
        let effect = try #require(estimate.effect)
        #expect(abs(effect - expected) < 1e-12)
    }

    @Test("one person, and nobody, give an empty report rather than a crash")
    func onePerson() throws {
        let one = ImpactStudy(subjects: [ImpactSubject(id: "solo", group: .participant(completed: nil))])
        let report = one.report(outcome: "retained_12m", values: [1])
        #expect(report.intentionToTreat.participants == 1)
        #expect(report.intentionToTreat.effect == nil)
        #expect(report.completers == nil)
        let nobody = ImpactStudy(subjects: []).report(outcome: "retained_12m", values: [])
        #expect(nobody.intentionToTreat.participants == 0)
        #expect(nobody.summary.contains("No participant"))
        let control = ImpactStudy(subjects: [ImpactSubject(id: "c")]).report(outcome: "x", values: [nil])
        #expect(control.intentionToTreat.missingOutcome == 1)
    }

    @Test("participants with no comparable colleague at all are all dropped")
    func noControlInAnyStratum() throws {
        let subjects = [
            ImpactSubject(id: "a", department: "Sales", level: 1, group: .participant(completed: nil)),
            ImpactSubject(id: "b", department: "Finance", level: 1),
        ]
        let report = ImpactStudy(subjects: subjects, coarsening: .finest).report(outcome: "x", values: [1, 0])
        #expect(report.intentionToTreat.droppedParticipants == 1)
        #expect(report.intentionToTreat.effect == nil)
        #expect(report.intentionToTreat.rawDifference == 1)
        #expect(report.summary.contains("no fair comparison"))
    }

    @Test("time zones are matched to the hour at the finest: UTC+5:30 with UTC+5, UTC-5:30 with UTC-6; levels in bands")
    func coarseningBands() throws {
        let finest = Coarsening.finest
        #expect(finest.timeZoneBand(of: 330) == 5)
        #expect(finest.timeZoneBand(of: 300) == 5)
        #expect(finest.timeZoneBand(of: -330) == -6)
        #expect(finest.timeZoneBand(of: -300) == -5)
        #expect(finest.timeZoneBand(of: nil) == nil)
        let coarse = Coarsening(levelBand: 2, timeZoneHours: 6)
        #expect(coarse.levelBand(of: 1) == coarse.levelBand(of: 2))
        #expect(coarse.levelBand(of: 2) != coarse.levelBand(of: 3))
        #expect(coarse.timeZoneBand(of: 0) == coarse.timeZoneBand(of: 180))
        #expect(coarse.timeZoneBand(of: -60) != coarse.timeZoneBand(of: 0))
    }

    @Test("a small organisation gets the finest coarsening that matches most participants, and the report says which")
    func ladderChoosesCoarsening() throws {
        // Participants at levels 2 and 4, controls at 1 and 3: nobody matches exactly; bands of two match all.
        var subjects: [ImpactSubject] = []
        for index in 0..<10 {
            let participant = index % 2 == 0
            let level = participant ? (index % 4 == 0 ? 2 : 4) : (index % 4 == 1 ? 1 : 3)
            subjects.append(ImpactSubject(
                id: "s\(index)", department: "Sales", level: level, group: participant ? .participant(completed: nil) : .control))
        }
        let strict = ImpactStudy(subjects: subjects, coarsening: .finest).report(outcome: "x", values: subjects.map { _ in 1 })
        #expect(strict.intentionToTreat.matchedParticipants == 0)
        let chosen = ImpactStudy(subjects: subjects)
        #expect(chosen.coarsening == Coarsening(levelBand: 2, timeZoneHours: 6), "the first step with level in bands of two")
        let report = chosen.report(outcomes: [("x", Dictionary(uniqueKeysWithValues: subjects.map { ($0.id, 1.0) }))])
        #expect(report.outcomes[0].intentionToTreat.matchedParticipants == 5)
        #expect(report.method.contains("level in bands of 2"))
        #expect(report.outcomes[0].summary.contains("similar level"))
    }

    @Test("the report encodes the issue's flat shape, with null for figures it cannot give")
    func jsonShape() throws {
        let (study, values) = Self.smallStudy()
        let report = ImpactReport(
            outcomes: [study.report(outcome: "retained_12m", values: values), study.report(outcome: "empty", values: values.map { _ in nil })],
            options: ImpactOptions())
        let data = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let outcomes = try #require(object["outcomes"] as? [[String: Any]])
        let first = outcomes[0]
        for key in ["outcome", "participants", "controls", "raw_difference", "effect", "ci_low", "ci_high", "balance",
                    "matched_participants", "dropped_participants", "completers", "summary", "caveats", "kind"] {
            #expect(first[key] != nil, "missing \(key)")
        }
        let balance = try #require(first["balance"] as? [[String: Any]])
        #expect(balance.contains { $0["covariate"] as? String == "level" && $0["smd_before"] is Double && $0["smd_after"] is Double })
        #expect(outcomes[1]["effect"] is NSNull)
        let decoded = try JSONDecoder().decode(ImpactReport.self, from: data)
        #expect(decoded == report)
    }
}
