import ArgumentParser
import Foundation
import MutualMatching

/// `mutual match`: matches a people CSV file-to-file, without a server or database, so an
/// analyst can run it on an HR export. All logic lives in `MutualMatching.MatchEngine`.
struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Match a pool of people from a CSV file: provably optimal pairs, buddies or mentoring, with reasons.",
        discussion: """
            INPUT (--input): a CSV file with a header row; headers are case-insensitive and in any order.
              id,name,email,department,company,level,manager_id,timezone,languages,strengths,wants,interests,exclude
              Only id is required. Lists are separated by ';'.
                strengths  skill:level with level 1-5, e.g. "SQL:4;Public Speaking:2"
                wants      skill, skill:current_level (0-4) or skill:current_level:priority (1-3), e.g. "SQL:2;Go"
                timezone   UTC+2, UTC-05:30, or an IANA name such as Europe/Berlin
                exclude    ids this person must not be matched with
              Optional: capacity, how many partners a person takes (pairs and buddies: never the same partner
              twice; people left with places get an entry in open_places). For --model mentoring also:
              role (mentor, mentee or both), and capacity is the mentees a mentor takes; on a row with a
              role, pairs and buddies read capacity only as 0 (skip this round), else the default.
              Skill names are normalised: "Public Speaking", public-speaking and "public speaking" are one skill.

            RULES (--rules): a JSON file; every key is optional and unknown keys are errors.
              {
                "level_window": 1,                  max level difference (null: off)
                "shared_language": true,            partners share a language
                "min_overlap_hours": 2,             overlap of working hours (null: off)
                "working_hours": {"start": 9, "end": 17},
                "forbid_reporting_line": true,      never a manager with their direct report
                "honour_exclusions": true,
                "history": {"mode": "forbid", "penalty_percent": 50},   forbid | penalise repeat partners
                "reciprocity": 70,                  0 one-way learning is fine ... 100 both must learn
                "teaching": {"gap_values": [100, 90, 55, 30, 15], "related_credit_percent": 0, "skills_counted": 3},
                "skill_families": {"data": ["SQL", "Python"]},   related skills for partial credit
                "criteria": {"department": {"prefer": "different", "weight": 10}},
                    attributes: department, company, level, timezone, language, interests
                    prefer: similar | different | ignore; weight: percent added when met (0-100)
                "odd_one_out": "leave_out",         leave_out | triad
                "candidates_per_person": null,      partners kept per person (null: grows with the pool)
                "default_capacity": 1               partners per person (mentoring: mentees per mentor)
              }

            HISTORY (--history): a CSV with columns a and b, one previous pair per line.

            OUTPUT: JSON with participants, matched, total_weight, upper_bound, status (optimal or gap),
            gap_percent, pairs [{a, b, weight, score (0-100), reasons}], triads, unmatched [{id, reason}],
            open_places [{id, capacity, partners, reason}] (only when some capacity is above 1),
            timings (milliseconds per phase). Same input, options and seed give identical output
            apart from timings (use --no-timings for byte-identical files).
            """ + groupsDiscussion)

    @Option(name: .long, help: "The people CSV file.")
    var input: String

    @Option(name: .long, help: "The programme model: pairs (mutual peer pairs), buddies, mentoring, groups (masterminds) or rotation.")
    var model: CommandModel = .pairs

    @Option(name: .long, help: "A JSON rules file (see below).")
    var rules: String?

    @Option(name: .long, help: "A CSV of previous partners (columns a,b): forbidden or penalised by the rules.")
    var history: String?

    @Flag(name: .long, help: "Add pricing rounds until the result is proven optimal for the whole pool.")
    var prove = false

    @Flag(name: .long, help: "A fast greedy preview with local improvement instead of the exact solver.")
    var preview = false

    @Option(name: .long, help: "Seed for every choice not fixed by the input (the preview's visiting order).")
    var seed: UInt64 = 0

    @Option(name: .long, help: "Partners kept per person in the candidate graph (default: grows with the pool).")
    var candidates: Int?

    @Option(name: .long, help: "Write the result JSON here instead of standard output.")
    var output: String?

    @Option(name: .customLong("emit-graph"), help: "Write the graph the solver used as a,b,weight CSV lines.")
    var emitGraph: String?

    @Flag(name: .customLong("no-timings"), help: "Leave timings out of the JSON, so identical runs give identical bytes.")
    var noTimings = false

    @Flag(name: .long, help: "No progress bar on standard error.")
    var quiet = false

    @Option(name: .customLong("group-size"), help: "Groups and group rotation: a size or range, e.g. 5 or 4-6 (default 4-6).")
    var groupSize: String?

    @Option(name: .customLong("time-budget"), help: "Groups: cap the search's wall-clock time, in seconds.")
    var timeBudget: Double?

    @Flag(name: .customLong("zero-repeats"), help: "Rotation: forbid every previous partner and list who cannot be placed.")
    var zeroRepeats = false

    @Option(name: .customLong("repeat-penalty"), help: "Rotation: percent a repeat of last round's partner costs (older rounds cost less).")
    var repeatPenalty: Int = 80

    func validate() throws {
        if let candidates, candidates < 1 { throw ValidationError("--candidates must be at least 1") }
        if prove && preview { throw ValidationError("--prove and --preview cannot be combined: the preview has no proof") }
    }

    func run() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let progress = MatchProgressBar(enabled: !quiet)
        let table: PeopleTable
        do {
            table = try TextFiles.readPeople(at: input)
        } catch let error as PeopleImportError {
            throw CommandFailure("\(input): \(error.description)")
        }
        for warning in table.warnings { TextFiles.printError("warning: \(input): \(warning)") }
        if model == .mentoring, !table.columns.contains(.role) {
            throw CommandFailure("\(input): the mentoring model needs a role column (mentor, mentee or both)")
        }
        if table.people.isEmpty { throw CommandFailure("\(input): the file has a header but no people") }
        let readTime = started.duration(to: clock.now)

        var matchRules = MatchRules.defaults(for: model.matchModel)
        if let rules {
            do {
                matchRules = try RulesFile.decode(try TextFiles.readText(at: rules), model: model.matchModel)
            } catch let error as RulesError {
                throw CommandFailure("\(rules): \(error.description)")
            }
        }
        if model.formsGroupsOrRounds { return try await runGroupsOrRotation(people: table.people, rules: matchRules) }
        var previous: [(String, String)] = []
        if let history {
            do {
                previous = try HistoryFile.read(try TextFiles.readText(at: history))
            } catch let error as PeopleImportError {
                throw CommandFailure("\(history): \(error.description)")
            }
        }

        let options = MatchOptions(model: model.matchModel, prove: prove, preview: preview, seed: seed, partnersPerPerson: candidates)
        var result = await MatchEngine.run(people: table.people, rules: matchRules, history: previous, options: options) { phase, fraction in
            progress.update(phase: phase, fraction: fraction)
        }
        progress.finish()
        let milliseconds = Int(readTime.components.seconds * 1000 + readTime.components.attoseconds / 1_000_000_000_000_000)
        result.timings.insert((.read, milliseconds), at: 0)

        let json = JSONWriter.write(result.json(includeTimings: !noTimings))
        if let emitGraph { try TextFiles.write(result.graphCSV(), to: emitGraph) }
        if let output {
            try TextFiles.write(json, to: output)
        } else {
            FileHandle.standardOutput.write(Data(json.utf8))
        }
    }
}

extension MatchModel: ExpressibleByArgument {}
