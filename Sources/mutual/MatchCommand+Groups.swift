import ArgumentParser
import Foundation
import MutualMatching

/// The models `mutual match --model` accepts: the pair models of ``MatchModel`` plus mastermind
/// groups and rotation rounds, which ``GroupEngine`` and ``RotationEngine`` form.
enum CommandModel: String, CaseIterable, ExpressibleByArgument {
    case pairs, buddies, mentoring, groups, rotation

    /// The pair model whose rules defaults apply (groups and rotation score pairs of members
    /// like mutual pairs).
    var matchModel: MatchModel {
        switch self {
        case .pairs, .groups, .rotation: .pairs
        case .buddies: .buddies
        case .mentoring: .mentoring
        }
    }

    var formsGroupsOrRounds: Bool { self == .groups || self == .rotation }
}

extension MatchCommand {
    /// Help for the group and rotation options, appended to the command's discussion.
    static let groupsDiscussion = """

        GROUPS (--model groups): mastermind groups with sizes in --group-size (e.g. 5 or 4-6), composed so
        every member's wants are covered by others' strengths, with diverse departments and skill families,
        the rules' criteria and every hard rule between every two members. Output: groups [{id, members,
        score (0-100), coverage [{learner, skill, level, teachers}], reasons, facilitator_order, hot_seat_order,
        facilitation}], min_group_score, mean_group_score, coverage_percent, yardsticks (random and stratified
        groups on the same pool), plan (sizes and why), unmatched. The summary on standard error compares the
        groups with the yardsticks. --seed reproduces a run; --time-budget caps the search's wall-clock time.

        ROTATION (--model rotation): the next round for the same pool, avoiding previous partners from
        --history: pairs, or groups when --group-size is given. The history CSV has columns a,b,round (one
        previous pair per line) or members,round (a group's ids separated by ';'); rounds are numbers, newer
        rounds cost more to repeat (--repeat-penalty, percent for last round's partners). --zero-repeats
        forbids every repeat and lists who could not be placed without one (could_not_avoid_repeat).
        Output adds round, repeats and repeat_rate.
        """

    /// Runs `--model groups` or `--model rotation`.
    func runGroupsOrRotation(people: [Person], rules: MatchRules) async throws {
        var sizeRange: ClosedRange<Int>?
        if let groupSize {
            guard let parsed = GroupOptions.parseSizeRange(groupSize) else {
                throw CommandFailure("--group-size: \"\(groupSize)\" is not a size or range such as 5 or 4-6 (sizes 2 to 50)")
            }
            sizeRange = parsed
        }
        var options = GroupOptions(sizeRange: sizeRange ?? 4...6, seed: seed)
        if let timeBudget {
            guard timeBudget > 0 else { throw CommandFailure("--time-budget must be a positive number of seconds") }
            options.timeBudget = .milliseconds(Int64(timeBudget * 1000))
        }
        if model == .rotation, let problem = RotationOptions.repeatPenaltyProblem(repeatPenalty) {
            throw CommandFailure(problem)
        }
        var roundHistory = RoundHistory()
        if let history {
            do {
                roundHistory = try RoundHistory.read(try TextFiles.readText(at: history))
            } catch let error as PeopleImportError {
                throw CommandFailure("\(history): \(error.description)")
            }
        }
        let json: JSONValue
        let summary: String
        if model == .groups {
            let result = await GroupEngine.run(people: people, rules: rules, history: roundHistory.pairs, options: options)
            json = result.json(includeTimings: !noTimings)
            summary = result.summary()
        } else {
            let rotation = RotationOptions(zeroRepeats: zeroRepeats, repeatPenaltyPercent: repeatPenalty,
                                           groups: sizeRange == nil ? nil : options, seed: seed)
            if sizeRange == nil {
                let result = await RotationEngine.pairs(people: people, rules: rules, history: roundHistory, options: rotation)
                json = result.json(includeTimings: !noTimings)
                summary = result.summary()
            } else {
                let result = await RotationEngine.groups(people: people, rules: rules, history: roundHistory, options: rotation)
                json = result.json(includeTimings: !noTimings)
                summary = result.summary()
            }
        }
        if !quiet { FileHandle.standardError.write(Data(summary.utf8)) }
        let text = JSONWriter.write(json)
        if let output {
            try TextFiles.write(text, to: output)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
