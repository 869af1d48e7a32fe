/// The plain-language summary and caveats of an outcome's report.
enum ImpactSummary {
    static func text(outcome: String, kind: OutcomeKind, itt: OutcomeEstimate, completers: OutcomeEstimate?, coarsening: Coarsening) -> String {
        guard itt.participants > 0 else {
            return "No participant has a value for \(outcome), so there is nothing to compare yet."
        }
        guard itt.controls > 0 else {
            return "Everyone with a value for \(outcome) took part in the programme, so there is nobody to compare them with."
        }
        guard let effect = itt.effect else {
            return "None of the \(itt.participants) participants with a value for \(outcome) has a colleague outside the programme in the same department and company at a comparable level and time zone, so no fair comparison is possible."
        }
        var sentences: [String] = []
        let dropped = itt.droppedParticipants > 0
            ? " (\(itt.droppedParticipants) had no such colleague and are left out)" : ""
        let alike = coarsening == .finest
            ? "in the same department, level, company and time zone"
            : "in the same department and company, at a similar level and time zone (\(coarsening.description))"
        sentences.append(
            "\(itt.matchedParticipants) of \(itt.participants) participants were compared with \(itt.matchedControls) colleagues who did not take part, \(alike)\(dropped).")
        var effectSentence = "Against them, participants' \(outcome) differs by \(kind.describe(difference: effect))"
        if let low = itt.ciLow, let high = itt.ciHigh {
            effectSentence += " (95 % interval \(kind.describe(difference: low)) to \(kind.describe(difference: high)))"
            if low > 0 || high < 0 {
                effectSentence += "; the interval excludes no difference"
            } else {
                effectSentence += "; the interval includes no difference, so the data cannot tell an effect from chance"
            }
        }
        sentences.append(effectSentence + ".")
        if let raw = itt.rawDifference {
            var rawSentence = "The raw difference, comparing all participants with everyone else, is \(kind.describe(difference: raw))"
            if let low = itt.ciLow, let high = itt.ciHigh, raw < low || raw > high {
                rawSentence += ", outside that interval: part of the raw gap comes from who joined, not from the programme"
            }
            sentences.append(rawSentence + ".")
        }
        if let completers, let effect = completers.effect {
            sentences.append(
                "For the \(completers.matchedParticipants) matched participants who completed, the difference is \(kind.describe(difference: effect)).")
        }
        return sentences.joined(separator: " ")
    }

    static func caveats(itt: OutcomeEstimate, completers: OutcomeEstimate?) -> [String] {
        var caveats = [
            "Matching makes participants and non-participants alike only in department, level, company and time zone. People who chose to join may differ in what was not measured, such as motivation, performance or a supportive manager; part of any difference may come from that self-selection, not from the programme.",
            "The figures describe association in this organisation's data, not proof that the programme caused the difference.",
        ]
        if itt.droppedParticipants > 0 {
            caveats.append("\(itt.droppedParticipants) participants had no comparable colleague and are not in the effect; it describes the others.")
        }
        if itt.missingOutcome > 0 {
            caveats.append("\(itt.missingOutcome) people have no value for this outcome and are left out.")
        }
        if itt.matchedParticipants > 0 && itt.matchedParticipants < 30 {
            caveats.append("Fewer than 30 participants were matched: the interval is wide and can be unreliable.")
        }
        if itt.hasImbalance {
            caveats.append("Some covariates remain imbalanced after matching (|SMD| ≥ 0.1, flagged in the balance table).")
        }
        if completers != nil {
            caveats.append("Completers are a further self-selected group: people who stay in a programme differ from those who leave it, so their figure is not the programme's effect on everyone who joined.")
        }
        return caveats
    }
}
