import FluentKit
import Foundation
import MutualMatching

extension Store {
    /// Group sizes the app forms for mastermind programmes: four to six, the size at which
    /// everyone gets airtime at a meeting and the group still has enough different backgrounds.
    public static let groupSizeRange = 4...6

    /// Forms mastermind groups for a started run with the group engine (the same one as
    /// `mutual match --model groups`), with the run's rules and seed, and records the result.
    /// Group formation is a heuristic search: the run says so instead of claiming an optimum.
    func executeGroupRun(_ run: MatchRun, programme: Programme) async throws {
        let people = try await matchingPeople(of: programme)
        let rules: MatchRules
        do {
            rules = run.rules.isEmpty ? MatchRules.defaults(for: .pairs) : try RulesFile.decode(run.rules, model: .pairs)
        } catch {
            throw StoreError.invalid(field: "rules", message: "The run's rules could not be read (\(error.description)). Fix the programme's rules and run again.")
        }
        let history = try await previousPairs(in: run.programmeID)
        let recorder = RunProgressRecorder(runID: try run.requireID(), database: database)
        await recorder.write(RunProgress.forming)
        let result = await GroupEngine.run(
            people: people, rules: rules, history: history, options: GroupOptions(sizeRange: Self.groupSizeRange, seed: UInt64(run.seed)))
        try run.record(engineJSON: JSONWriter.write(result.json(includeTimings: false)))
        try await finish(run)
    }
}
