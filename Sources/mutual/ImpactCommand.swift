import ArgumentParser
import Foundation
import MutualImpact
import MutualMatching
import MutualStore

/// `mutual impact`: compares a programme's participants with matched non-participants on HR
/// outcomes, file-to-file, for an analyst. All statistics live in `MutualImpact`.
struct ImpactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "impact",
        abstract: "Compare participants with matched non-participants on HR outcomes (effect with a bootstrap interval).",
        discussion: """
            PEOPLE (--people): the people CSV of `mutual import` and `mutual match` (id, department, company,
              level and timezone are used; other columns are read as usual and otherwise ignored).
            PARTICIPANTS (--participants): a CSV with an id column and an optional completed column
              (true/false; empty when not known). Other columns are ignored. Everyone else in the people
              file is a possible control.
            OUTCOMES (--outcomes): a CSV in long format, id,outcome,value, one row per person and outcome,
              e.g. "e17,retained_12m,1". A 0/1 outcome is reported as a proportion (0.10 is ten points);
              any other in its own units. People without a row for an outcome are left out of it.

            Matching is coarsened exact matching: each participant is compared with non-participants of the
            same department, level, company and time zone (to the hour). Participants with no such colleague
            are dropped and counted. The effect on participants (ATT) carries a 95 % bootstrap interval
            (1,000 stratified resamples; --seed fixes it).

            OUTPUT: JSON {"outcomes": [{"outcome", "kind", "participants", "controls", "matched_participants",
            "dropped_participants", "matched_controls", "missing_outcome", "participant_mean", "control_mean",
            "raw_difference", "effect", "ci_low", "ci_high", "balance": [{"covariate", "participant_mean",
            "control_mean_before", "control_mean_after", "smd_before", "smd_after", "imbalanced"}],
            "completers": {the same figures for participants who completed} or null, "summary", "caveats"}],
            "method", "covariates", "coarsening": {"level_band", "time_zone_hours"}, "bootstrap_replicates", "seed"}.
            Level and time zone are coarsened only as far as needed for 80 % of participants to find a match.
            The top-level figures of an outcome are intention-to-treat (every participant).
            """)

    @Option(name: .long, help: "The people CSV file (the people CSV contract).")
    var people: String

    @Option(name: .long, help: "A CSV of participants: id, and optionally completed (true/false).")
    var participants: String

    @Option(name: .long, help: "A CSV of HR outcomes in long format: id,outcome,value.")
    var outcomes: String

    @Option(name: .long, help: "Write the report JSON here instead of standard output.")
    var output: String?

    @Option(name: .long, help: "Seed of the bootstrap; the same seed gives the same intervals.")
    var seed: UInt64 = 1

    @Option(name: .long, help: "Bootstrap resamples for the 95 % interval.")
    var replicates: Int = 1000

    func validate() throws {
        if replicates < 100 || replicates > 100_000 { throw ValidationError("--replicates must be between 100 and 100000") }
    }

    func run() throws {
        let table: PeopleTable
        do {
            table = try TextFiles.readPeople(at: people)
        } catch let error as PeopleImportError {
            throw CommandFailure("\(people): \(error.description)")
        }
        for warning in table.warnings where !warning.contains("strengths") && !warning.contains("wants") {
            TextFiles.printError("warning: \(people): \(warning)")
        }
        if table.people.isEmpty { throw CommandFailure("\(people): the file has a header but no people") }

        let listed: [ParticipantsCSVReader.Participant]
        do {
            listed = try ParticipantsCSVReader.read(try TextFiles.readText(at: participants))
        } catch let error as PeopleImportError {
            throw CommandFailure(Self.problems(in: participants, error.issues.map(\.description)))
        }
        let knownIDs = Set(table.people.map(\.id))
        var completion: [String: Bool?] = [:]
        for participant in listed {
            if knownIDs.contains(participant.id) {
                completion[participant.id] = participant.completed
            } else {
                TextFiles.printError("warning: \(participants): line \(participant.line): id \"\(participant.id)\" is not in \(people); ignored")
            }
        }
        if completion.isEmpty { throw CommandFailure("\(participants): none of its ids is in \(people); nobody to compare") }

        let reader = try readOutcomes()
        var byOutcome: [String: [String: Double]] = [:]
        var order: [String] = []
        var unknown = 0
        for row in reader.rows {
            guard knownIDs.contains(row.id) else {
                unknown += 1
                continue
            }
            if byOutcome[row.outcome] == nil { order.append(row.outcome) }
            byOutcome[row.outcome, default: [:]][row.id] = row.value
        }
        if unknown > 0 { TextFiles.printError("warning: \(outcomes): \(unknown) row\(unknown == 1 ? "" : "s") name ids not in \(people); ignored") }
        if order.isEmpty { throw CommandFailure("\(outcomes): no row names a person of \(people); nothing to report") }

        let subjects = table.people.map { person in
            ImpactSubject(
                id: person.id, department: person.department, level: person.level, company: person.company,
                utcOffsetMinutes: person.utcOffsetMinutes,
                group: completion[person.id].map { ImpactSubject.Group.participant(completed: $0) } ?? .control)
        }
        let study = ImpactStudy(subjects: subjects)
        let report = study.report(
            outcomes: order.map { ($0, byOutcome[$0] ?? [:]) }, options: ImpactOptions(bootstrapReplicates: replicates, seed: seed))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
        if let output {
            try TextFiles.write(json, to: output)
        } else {
            FileHandle.standardOutput.write(Data(json.utf8))
        }
    }

    private func readOutcomes() throws -> OutcomesCSVReader {
        let reader = OutcomesCSVReader.read(try TextFiles.readText(at: outcomes))
        let problems = reader.fileProblems.map(\.description)
            + reader.rejected.flatMap { row in row.problems.map(\.description) }
        if !problems.isEmpty { throw CommandFailure(Self.problems(in: outcomes, problems)) }
        for warning in reader.warnings { TextFiles.printError("warning: \(outcomes): \(warning)") }
        return reader
    }

    /// "file: 3 problems:\n  line 2, column value: …", at most 50 listed.
    static func problems(in file: String, _ problems: [String]) -> String {
        let shown = problems.prefix(50).map { "  " + $0 }.joined(separator: "\n")
        let more = problems.count > 50 ? "\n  … and \(problems.count - 50) more" : ""
        return "\(file) has \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n\(shown)\(more)"
    }
}
